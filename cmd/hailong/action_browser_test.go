package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hailong/demo"
	"hailong/survey"
)

// Improvement actions in real Chromium over the demo province, as the
// manager of Sở Công Thương: the list, the counter action with its measured
// effect, the facilities trend with its markers, the dashboard panel, the
// report's sections and a refused form; screenshots in ./artifacts.

// shotOf saves one element of the page.
func (d *dashTab) shotOf(name, sel string) {
	d.t.Helper()
	png, err := chromedp.Run(d.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(d.t), name+".png"), png, 0o644); err != nil {
		d.t.Fatal(err)
	}
}

func TestActionBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newDashEnv(t)
	d := e.tab(t, browser, "dash-manager")
	for _, step := range []struct {
		name string
		fn   func(t *testing.T, e *dashEnv, d *dashTab)
	}{
		{"List", actBrowseList},
		{"Effect", actBrowseEffect},
		{"TrendMarkers", actBrowseTrendMarkers},
		{"DashboardPanel", actBrowseDashboardPanel},
		{"Report", actBrowseReport},
		{"Accessibility", actBrowseAccessibility},
		{"RefusedForm", actBrowseRefusedForm},
	} {
		t.Run(step.name, func(t *testing.T) { d.t = t; step.fn(t, e, d) })
	}
}

func actBrowseList(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/actions"), chromedp.WaitVisible(chromedp.CSS("table.actions")))
	d.shot("actions-1366x768", false)
	d.shot("actions-full", true)
	first := dashJS[string](d, `document.querySelector("table.actions tbody tr").dataset.action`)
	if first != demo.ActionWebsite {
		t.Errorf("first row is action %q, want the overdue one (%s)", first, demo.ActionWebsite)
	}
	if o := dashJS[[]string](d, overflowJS); len(o) > 0 {
		t.Errorf("overflow: %v", o)
	}
}

func actBrowseEffect(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/actions/"+demo.ActionCounter), chromedp.WaitVisible(chromedp.CSS("#effect")))
	d.shot("action-effect-1366x768", false)
	d.shot("action-effect-full", true)
	d.shotOf("action-effect-section", "#effect")
	verdict := dashJS[string](d, `document.querySelector('[data-criterion="facilities"]').dataset.verdict + " " + document.querySelector('[data-criterion="facilities"]').textContent`)
	if !strings.HasPrefix(verdict, "improved Tiêu chí “Bố trí quầy, trang thiết bị” tăng ") || !strings.Contains(verdict, "có ý nghĩa thống kê") {
		t.Errorf("facilities verdict: %q", verdict)
	}
	if o := dashJS[[]string](d, overflowJS); len(o) > 0 {
		t.Errorf("overflow: %v", o)
	}
}

func actBrowseTrendMarkers(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/dashboard/criteria/facilities"), chromedp.WaitVisible(chromedp.CSS("svg.trend")))
	d.shot("criterion-markers-full", true)
	d.shotOf("criterion-trend-markers", "section:has(#h-trend)")
	n := dashJS[int](d, `document.querySelectorAll("svg.trend g.marker.done").length`)
	if n != 1 {
		t.Errorf("%d done markers on the facilities trend, want 1", n)
	}
	title := dashJS[string](d, `document.querySelector("svg.trend g.marker title").textContent`)
	if !strings.Contains(title, "Cải tạo, bố trí lại khu vực tiếp nhận") {
		t.Errorf("marker title %q", title)
	}
}

func actBrowseDashboardPanel(t *testing.T, e *dashEnv, d *dashTab) {
	// A low alert threshold, so that the demo's criteria with open
	// actions (website, staff attitude) raise alerts that link to them.
	mustSet(t, e.m.DB, func(s *survey.Settings) { s.Analytics.AlertNegative = 10 })
	defer mustSet(t, e.m.DB, func(s *survey.Settings) { s.Analytics.AlertNegative = survey.DefaultAlertNegative })
	d.run(chromedp.Navigate(e.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("#actions")))
	d.shotOf("dashboard-actions", "#actions")
	d.shotOf("dashboard-alerts-actions", "#alerts")
	links := dashJS[int](d, `document.querySelectorAll('#alerts .alert-actions a[href^="/actions/"], #alerts a.invite').length`)
	if links == 0 {
		t.Error("no alert links to an action or invites one")
	}
}

func actBrowseReport(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/reports/official"), chromedp.WaitVisible(chromedp.CSS("#report-actions")))
	d.shotOf("report-actions", "#report-actions")
	text := dashJS[string](d, `document.querySelector("#report-actions").textContent`)
	for _, want := range []string{"Cải tạo, bố trí lại khu vực tiếp nhận", "có ý nghĩa thống kê", "Giao Văn phòng Sở chủ trì, phối hợp", "đã quá hạn"} {
		if !strings.Contains(text, want) {
			t.Errorf("report section lacks %q", want)
		}
	}
}

func actBrowseAccessibility(t *testing.T, e *dashEnv, d *dashTab) {
	axePages(t, e, d, "/actions", "/actions/"+demo.ActionCounter, "/actions/"+demo.ActionWebsite+"?lang=en", "/actions/new")
}

func actBrowseRefusedForm(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/actions/new?criterion=website"), chromedp.WaitVisible(chromedp.CSS("form.action-form")),
		chromedp.SetValue(chromedp.CSS("#f-office"), "Văn phòng Sở"),
		chromedp.Click(chromedp.CSS(`form.action-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	d.shot("action-new-errors-1366x768", false)
	d.shot("action-new-errors-full", true)
	kept := dashJS[string](d, `document.querySelector("#f-office").value + "|" + document.querySelector('input[name=criteria][value=website]').checked`)
	if kept != "Văn phòng Sở|true" {
		t.Errorf("input not kept: %q", kept)
	}
	beside := dashJS[string](d, `document.querySelector("#f-title").closest(".field").querySelector(".field-error").textContent`)
	if !strings.Contains(beside, "Nhập tên hành động") {
		t.Errorf("message beside the title: %q", beside)
	}
}

// axePages runs axe (WCAG 2.x A and AA) on each page; serious and critical
// violations fail.
func axePages(t *testing.T, e *dashEnv, d *dashTab, paths ...string) {
	for _, path := range paths {
		d.run(chromedp.Navigate(e.base+path), chromedp.WaitVisible(chromedp.CSS("main")))
		axeCheck(t, d.ctx, path, 10)
	}
}
