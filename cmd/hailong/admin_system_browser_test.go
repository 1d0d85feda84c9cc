package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// The installation's admin pages in headless Chromium at 1366×768: log in
// as an administrator, walk every page (and the survey editor with a
// validation error), check nothing scrolls sideways and no script from the
// data runs, and save screenshots in ./artifacts for a person to look at.

const evilName = `<script>alert(1)</script>`

type adminTab struct {
	t       *testing.T
	tab     context.Context
	base    string
	mu      sync.Mutex
	dialogs []string
}

func newAdminTab(t *testing.T) *adminTab {
	t.Helper()
	browser := mustBrowser(t)
	dir, _, _ := setup(t)
	mustCLI(t, "mat-khau-quan-tri\n", "user", "add", "--data", dir, "--username", "quantri", "--role", "admin", "--password-stdin")
	mustCLI(t, "", "token", "add", "--data", dir, "--role", "viewer", "--name", evilName)
	db, err := openTestStore(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.PutUnits([]survey.Unit{{ID: "phong-xss", Name: "Phòng " + evilName, Parent: "so-cong-thuong"}})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	m := MustRun(t, dir)
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	a := &adminTab{t: t, tab: tab, base: "http://" + m.Addr}
	if err := chromedp.Listen(tab, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			a.mu.Lock()
			a.dialogs = append(a.dialogs, d.Message)
			a.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, d := range a.dialogs {
			t.Errorf("a dialog opened: %q", d)
		}
	})
	a.do(chromedp.EmulateViewport(1366, 768))
	return a
}

func (a *adminTab) do(actions ...chromedp.Action[chromedp.Void]) {
	a.t.Helper()
	if err := chromedp.Do(a.tab, actions...); err != nil {
		a.t.Fatal(err)
	}
}

func aRun[T any](a *adminTab, act chromedp.Action[T]) T {
	a.t.Helper()
	v, err := chromedp.Run(a.tab, act)
	if err != nil {
		a.t.Fatal(err)
	}
	return v
}

// set sets the value of the field matching sel, as typing or choosing would.
func (a *adminTab) set(sel, value string) {
	a.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; return e.value; })()`, sel, value)
	if got := aRun(a, chromedp.Evaluate[string](js)); got != value {
		a.t.Fatalf("%s: value %q, want %q", sel, got, value)
	}
}

// open navigates to path and waits for the page's heading.
func (a *adminTab) open(path string) {
	a.t.Helper()
	a.do(chromedp.Navigate(a.base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// shoot saves the viewport (and, if full, the whole page) and checks that
// the page does not scroll sideways.
func (a *adminTab) shoot(name string, full bool) {
	a.t.Helper()
	dir := artifactsDir(a.t)
	png := aRun(a, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, "admin-"+name+"-1366x768.png"), png, 0o644); err != nil {
		a.t.Fatal(err)
	}
	if full {
		png = aRun(a, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, "admin-"+name+"-full.png"), png, 0o644); err != nil {
			a.t.Fatal(err)
		}
	}
	wide := aRun(a, chromedp.Evaluate[bool](`document.scrollingElement.scrollWidth > innerWidth`))
	if wide {
		a.t.Errorf("%s: the page scrolls sideways at 1366 px", name)
	}
	if n := aRun(a, chromedp.Evaluate[int](`document.querySelectorAll("script").length`)); n != 0 {
		a.t.Errorf("%s: %d script elements", name, n)
	}
}

func TestAdminSystemBrowser(t *testing.T) {
	a := newAdminTab(t)
	a.do(chromedp.Navigate(a.base+"/login?next=/admin/surveys"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "quantri"), chromedp.SendKeys(chromedp.CSS("#password"), "mat-khau-quan-tri"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#survey-quay")))
	a.shoot("surveys", false)

	a.open("/admin/surveys/quay/v/1")
	a.shoot("survey-view", true)

	// The editor: a wrong value comes back with the message beside it.
	a.open("/admin/surveys/quay/edit")
	a.shoot("survey-edit", true)
	a.set("#c1-vi", "")
	a.set("#c7-key", "wifi")
	a.set("#c7-vi", "Có wifi miễn phí")
	a.set("#c7-en", "Free wifi")
	a.do(chromedp.Click(chromedp.CSS(`form[action="/admin/surveys/quay/edit"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	summary := aRun(a, chromedp.Text(chromedp.CSS(".error-summary")))
	if !strings.Contains(summary, "tiếng Việt") || !strings.Contains(summary, "yếu tố") {
		t.Errorf("error summary: %q", summary)
	}
	if v := aRun(a, chromedp.Evaluate[string](`document.querySelector("#c7-vi").value`)); v != "Có wifi miễn phí" {
		t.Errorf("input not kept: %q", v)
	}
	a.shoot("survey-edit-errors", false)
	a.set("#c1-vi", "Thông tin và hướng dẫn "+evilName)
	a.set("#c7-element", "tiep_can")
	a.do(chromedp.Click(chromedp.CSS(`form[action="/admin/surveys/quay/edit"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if loc := aRun(a, chromedp.Location()); !strings.HasSuffix(loc, "/admin/surveys/quay/v/2?ok=version") {
		t.Errorf("after saving: %s", loc)
	}

	a.open("/admin/surveys/use")
	a.shoot("survey-use", false)
	a.open("/admin/settings")
	a.shoot("settings", true)
	a.open("/admin/holidays")
	a.shoot("holidays", true)

	a.open("/admin/users")
	a.do(chromedp.SendKeys(chromedp.CSS("#tok-name"), "Phần mềm một cửa"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/tokens"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#secret")))
	if s := aRun(a, chromedp.Evaluate[string](`document.querySelector("#secret").value`)); !strings.HasPrefix(s, "hl_") {
		t.Errorf("secret %q", s)
	}
	a.shoot("users-token", false)
	a.open("/admin/users")
	a.shoot("users", true)
	a.open("/admin/users/quantri")
	a.shoot("user", true)
	a.open("/admin/backup")
	a.shoot("backup", false)
	a.open("/admin/audit")
	a.shoot("audit", false)
	if text := aRun(a, chromedp.Text(chromedp.CSS("table.data"))); !strings.Contains(text, "survey.version") || !strings.Contains(text, "token.add") {
		t.Errorf("audit log: %q", text)
	}
}
