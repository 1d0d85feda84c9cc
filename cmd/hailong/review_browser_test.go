package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReviewBrowser opens the anomaly review in real Chromium over the demo
// province as an administrator: the five sections with their planted case,
// Vietnamese number formats, no sideways scrolling, axe, the link to the
// responses, a scoped manager's 403 and no menu entry; screenshots in
// ./artifacts (review-1366x768.png, review-full.png).
func TestReviewBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newDashEnv(t)
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	d := &dashTab{t: t, ctx: ctx, base: e.base}
	d.run(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(e.base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "dash-admin"), chromedp.SendKeys(chromedp.CSS("#password"), dashPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))

	t0 := time.Now()
	d.run(chromedp.Navigate(e.base+"/review"), chromedp.WaitVisible(chromedp.CSS(`[data-kind="jump"]`)))
	t.Logf("/review loaded in %v", time.Since(t0).Round(time.Millisecond))
	d.shot("review-1366x768", false)
	d.shot("review-full", true)
	counts := dashJS[map[string]int](d, `Object.fromEntries([...document.querySelectorAll("[data-kind]")].map(s => [s.dataset.kind, s.querySelectorAll("tr[data-finding]").length]))`)
	for _, k := range []string{"ratio", "hours", "run", "outlier", "jump"} {
		if counts[k] < 1 {
			t.Errorf("section %s lists %d findings, want the planted one", k, counts[k])
		}
	}
	t.Logf("findings by kind: %v", counts)
	fig := dashJS[string](d, `document.querySelector('[data-kind="outlier"] td.value').textContent`)
	if !strings.Contains(fig, ",") || !strings.HasSuffix(fig, "\u00a0%") {
		t.Errorf("outlier figure %q, want the Vietnamese format 40,24 %%", fig)
	}
	if nav := dashJS[string](d, `document.querySelector('nav a[aria-current="page"]')?.textContent || ""`); nav != "Rà soát bất thường" {
		t.Errorf("current menu entry %q", nav)
	}
	if o := dashJS[[]string](d, overflowJS); len(o) > 0 {
		t.Errorf("overflow: %v", o)
	}
	axeCheck(t, d.ctx, "/review", 10)
	d.run(chromedp.Navigate(e.base+"/review?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-kind="jump"]`)))
	d.shot("review-en", false)

	// The hours finding's link lists the twelve night answers of its kiosk.
	d.run(chromedp.Navigate(e.base+"/review"), chromedp.WaitVisible(chromedp.CSS(`[data-kind="hours"] a`)),
		chromedp.Click(chromedp.CSS(`[data-kind="hours"] tr[data-finding] a`)), chromedp.WaitVisible(chromedp.CSS("ol.comments")))
	if n := dashJS[int](d, `document.querySelectorAll("ol.comments > li").length`); n < 12 {
		t.Errorf("the hours finding links to %d responses, want its 12 at least", n)
	}
	d.shot("review-link-comments", false)

	// A bad date is shown beside its field, with the 422 status.
	if st, body, _ := e.login(t, "dash-admin").do("GET", "/review?from=2026-13-01", nil); st != 422 || !strings.Contains(body, `class="field-error"`) {
		t.Errorf("/review?from=2026-13-01: %d, message beside the field: %v", st, strings.Contains(body, `class="field-error"`))
	}

	// A manager limited to a unit has no entry in the menu and gets 403.
	m := e.login(t, "dash-manager")
	if st, body, _ := m.do("GET", "/dashboard", nil); st != 200 || strings.Contains(body, `href="/review"`) {
		t.Errorf("manager's dashboard: %d, review in the menu: %v", st, strings.Contains(body, `href="/review"`))
	}
	if st, _, _ := m.do("GET", "/review", nil); st != 403 {
		t.Errorf("manager of a unit: /review %d, want 403", st)
	}
	// The comments page's kiosk filter: a kiosk of another unit is outside
	// the manager's subtree, an unknown one is invalid, its own is listed.
	for path, want := range map[string]int{"/dashboard/comments?kiosk=kiosk-pts-q1": 403,
		"/dashboard/comments?kiosk=khong-co": 422, "/dashboard/comments?kiosk=kiosk-sct-q1&show=all": 200} {
		if st, _, _ := m.do("GET", path, nil); st != want {
			t.Errorf("manager: %s %d, want %d", path, st, want)
		}
	}
}
