package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/demo"
	"hailong/survey"
)

// The public page, the widget and the badge in real Chromium over the demo
// province: screenshots in ./artifacts (a phone at 360 × 740, a desktop at
// 1366 × 768, the widget at the size an agency would frame it), number
// formats, nothing wider than the phone, and an axe scan.

// pubTab is a dashboard tab (dashboard_browser_test.go) without a login.
type pubTab = dashTab

func newPubDemo(t *testing.T) *Main {
	t.Helper()
	m := MustRun(t, t.TempDir())
	if _, err := demo.Generate(m.DB, time.Now().In(m.DB.Loc()), 1); err != nil {
		t.Fatal(err)
	}
	mustSet(t, m.DB, func(s *survey.Settings) {
		s.Publish.Enabled, s.Publish.Groups = true, []string{"khoi-so", "khoi-xa", "khoi-benh-vien"}
		s.Publish.Origins = []string{"https://congkhai.example.gov.vn"}
	})
	return m
}

func (p *pubTab) open(w, h int64, path, wait string) {
	p.t.Helper()
	p.run(chromedp.EmulateViewport(w, h), chromedp.Navigate(p.base+path), chromedp.WaitVisible(chromedp.CSS(wait)))
	dashJS[any](p, `document.fonts.ready.then(() => true)`)
}

func TestPublicBrowser(t *testing.T) {
	browser := mustBrowser(t)
	m := newPubDemo(t)
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelT)
	p := &pubTab{t: t, ctx: ctx, base: "http://" + m.Addr}
	t.Run("Phone", func(t *testing.T) { p.t = t; pubPhone(t, p) })
	t.Run("Desktop", func(t *testing.T) { p.t = t; pubDesktop(t, p) })
	t.Run("Widget", func(t *testing.T) { p.t = t; pubWidget(t, p) })
	t.Run("Satisfaction766", func(t *testing.T) { p.t = t; pub766(t, p) })
	t.Run("Accessibility", func(t *testing.T) { p.t = t; pubAxe(t, p, pubPaths) })
	t.Run("AdminControls", func(t *testing.T) {
		p.t = t
		if err := m.DB.CreateUser(survey.User{Username: "pub-admin", Role: survey.RoleAdmin}, dashPassword); err != nil {
			t.Fatal(err)
		}
		p.run(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(p.base+"/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), "pub-admin"), chromedp.SendKeys(chromedp.CSS("#password"), dashPassword),
			chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(".who")))
		p.open(1366, 768, "/admin/publish", "#origins")
		p.shot("admin-publish-1366x768", false)
		p.shot("admin-publish-full", true)
		pubAxe(t, p, []string{"/admin/publish"})
	})
}

var pubPaths = []string{"/cong-khai", "/cong-khai?unit=so-cong-thuong", "/cong-khai?lang=en&p=" + time.Now().Format("2006") + "&unit=phuong-bac-thanh",
	"/cong-khai/widget/so-cong-thuong", "/cong-khai?p=1999"}

var viPct = regexp.MustCompile(`^\d{1,3},\d{2}\x{00a0}%$`)

func pubPhone(t *testing.T, p *pubTab) {
	p.open(360, 740, "/cong-khai", ".pub-rank")
	p.shot("public-360x740", false)
	p.shot("public-360-full", true)
	if o := dashJS[[]string](p, overflowJS); len(o) > 0 {
		t.Errorf("overflow at 360 px: %v", o)
	}
	p.run(chromedp.ScrollIntoView(chromedp.CSS("#dossiers-h")))
	p.shot("public-360-dossiers", false)
	p.run(chromedp.ScrollIntoView(chromedp.CSS("#method-h")))
	p.shot("public-360-method", false)
	if o := dashJS[[]string](p, `[...document.querySelectorAll(".table-wrap")].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector("table").className)`); len(o) > 0 {
		t.Errorf("tables scroll sideways at 360 px: %v", o)
	}
	p.open(360, 740, "/cong-khai?p=1999", ".pub-notice")
	p.shot("public-notice-360x740", false)
	p.open(360, 740, "/cong-khai?unit=so-cong-thuong", ".pub-agency")
	p.shot("public-agency-360x740", false)
	p.shot("public-agency-360-full", true)
	p.run(chromedp.ScrollIntoView(chromedp.CSS(".pub-criteria")))
	p.shot("public-agency-360-criteria", false)
	p.run(chromedp.ScrollIntoView(chromedp.CSS(".pub-agency .pub-files")))
	p.shot("public-agency-360-dossiers", false)
	if o := dashJS[[]string](p, overflowJS); len(o) > 0 {
		t.Errorf("agency page overflow at 360 px: %v", o)
	}
}

func pubDesktop(t *testing.T, p *pubTab) {
	p.open(1366, 768, "/cong-khai", ".pub-rank")
	p.shot("public-1366x768", false)
	p.shot("public-1366-full", true)
	cells := dashJS[[]string](p, `[...document.querySelectorAll(".pub-rank tbody td.num:nth-child(3)")].map(td => td.firstChild.textContent.trim())`)
	if len(cells) < 10 {
		t.Fatalf("only %d index cells", len(cells))
	}
	for _, c := range cells {
		if !viPct.MatchString(c) {
			t.Errorf("index cell %q is not in the Vietnamese format 76,29 %%", c)
		}
	}
	heading := dashJS[string](p, `document.querySelector("h1").textContent`)
	if !strings.Contains(heading, "Chỉ số hài lòng của người dân, tổ chức") {
		t.Errorf("heading %q", heading)
	}
	p.open(1366, 768, "/cong-khai?unit=so-cong-thuong", ".pub-agency")
	p.shot("public-agency-1366x768", false)
	big := dashJS[string](p, `document.querySelector(".pub-big").textContent`)
	if !viPct.MatchString(big) {
		t.Errorf("agency index %q", big)
	}
	p.open(1366, 768, "/cong-khai?lang=en&unit=so-cong-thuong", ".pub-agency")
	p.shot("public-agency-en-1366x768", false)
	if big := dashJS[string](p, `document.querySelector(".pub-big").textContent`); !regexp.MustCompile(`^\d{1,3}\.\d{2}\x{00a0}%$`).MatchString(big) {
		t.Errorf("English agency index %q", big)
	}
}

func pubWidget(t *testing.T, p *pubTab) {
	p.open(320, 210, "/cong-khai/widget/so-cong-thuong", ".w-value")
	p.shot("public-widget-320x210", false)
	if o := dashJS[bool](p, `document.scrollingElement.scrollHeight > innerHeight || document.scrollingElement.scrollWidth > innerWidth`); o {
		t.Error("the widget does not fit 320 × 210")
	}
	if v := dashJS[string](p, `document.querySelector(".w-value").firstChild.textContent.trim()`); !viPct.MatchString(v) {
		t.Errorf("widget value %q", v)
	}
	p.open(400, 60, "/cong-khai/badge/so-cong-thuong.svg", "svg")
	p.shot("public-badge", false)
}

func pubAxe(t *testing.T, p *pubTab, paths []string) {
	for _, path := range paths {
		p.open(1366, 768, path, "main")
		axeCheck(t, p.ctx, path, 5)
	}
}

// pub766 looks at the 766 satisfaction figures of the public page on a
// phone and a desktop: every cell a rate with its denominator or a note.
func pub766(t *testing.T, p *pubTab) {
	for _, v := range []struct {
		w, h       int64
		path, shot string
	}{
		{360, 740, "/cong-khai", "public-360-766"},
		{1366, 768, "/cong-khai", "public-1366-766"},
		{360, 740, "/cong-khai?unit=so-cong-thuong", "public-agency-360-766"},
	} {
		p.open(v.w, v.h, v.path, "table.pub-766")
		cells := dashJS[[]string](p, `[...document.querySelectorAll("table.pub-766 tbody td")].map(td => td.textContent.replace(/[ \t\n]+/g, " ").trim())`)
		if len(cells) < 4 || len(cells)%4 != 0 {
			t.Fatalf("%s: %d cells in the 766 table", v.path, len(cells))
		}
		shown := 0
		for _, c := range cells {
			switch {
			case regexp.MustCompile(`^\d{1,3},\d{2}\x{00a0}% n = [\d.]+ \pL`).MatchString(c):
				shown++
			case c == "—" || c == "Chưa đủ số liệu để kết luận" || c == "Ẩn để bảo vệ số liệu nhỏ":
			default:
				t.Errorf("%s: 766 cell %q", v.path, c)
			}
		}
		if shown == 0 {
			t.Errorf("%s: no 766 figure shown for the demo", v.path)
		}
		if o := dashJS[[]string](p, overflowJS); len(o) > 0 {
			t.Errorf("%s: overflow at %d px: %v", v.path, v.w, o)
		}
		dashJS[bool](p, `(document.querySelector("table.pub-766").parentElement.previousElementSibling.scrollIntoView({block: "start"}), true)`)
		p.shot(v.shot, false)
	}
}
