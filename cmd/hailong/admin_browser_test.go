package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
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

// The organisation admin pages in real headless Chromium: log in as an
// administrator, screenshot each page at 1366×768 to ./artifacts/, and
// check that names carrying a <script> never run.

// orgBrowserFixture fills a running installation (setup's units) with what the
// pages list: groups, more units, counters, staff with a photo, kiosks in
// every state.
func orgBrowserFixture(t *testing.T, db survey.Store) {
	t.Helper()
	now := db.Now()
	for _, err := range []error{
		db.PutUnits([]survey.Unit{
			{ID: "sct-phong-qlcn", Name: "Phòng Quản lý công nghiệp", Parent: "so-cong-thuong"},
			{ID: "xa-ninh-hoa", Name: "UBND phường Ninh Hòa", Parent: "tinh-mau", Group: "khoi-xa-phuong"},
			{ID: "xa-cam-lam", Name: "UBND xã Cam Lâm", Parent: "tinh-mau", Group: "khoi-xa-phuong"},
		}),
		db.PutCounter(survey.Counter{ID: "sct-q1", Unit: "so-cong-thuong", Name: "Quầy 1 – Tiếp nhận hồ sơ"}),
		db.PutCounter(survey.Counter{ID: "sct-q2", Unit: "so-cong-thuong", Name: "Quầy 2 – Trả kết quả"}),
		db.PutCounter(survey.Counter{ID: "stp-q1", Unit: "so-tu-phap", Name: "Quầy Lý lịch tư pháp"}),
		db.PutCounter(survey.Counter{ID: "nh-q1", Unit: "xa-ninh-hoa", Name: "Quầy Hộ tịch"}),
		db.PutStaff(survey.Staff{ID: "sct-nguyen-thi-lan", Unit: "so-cong-thuong", Name: "Nguyễn Thị Lan", Position: "Chuyên viên"}),
		db.PutStaff(survey.Staff{ID: "sct-tran-van-hung", Unit: "so-cong-thuong", Name: "Trần Văn Hùng", Position: "Phó Chánh Văn phòng"}),
		db.PutStaff(survey.Staff{ID: "stp-le-thi-mai", Unit: "so-tu-phap", Name: "Lê Thị Mai", Position: "Chuyên viên chính"}),
		db.PutStaff(survey.Staff{ID: "nh-pham-van-an", Unit: "xa-ninh-hoa", Name: "Phạm Văn An", Position: "Công chức Tư pháp – Hộ tịch"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SetStaffPhoto("sct-nguyen-thi-lan", portrait(t)); err != nil {
		t.Fatal(err)
	}
	if err := db.SignOn("sct-nguyen-thi-lan", "sct-q1"); err != nil {
		t.Fatal(err)
	}
	kiosks := []struct {
		k     survey.Kiosk
		pair  bool
		seen  time.Duration
		queue int
	}{
		{survey.Kiosk{ID: "sct-kiosk-1", Unit: "so-cong-thuong", Counter: "sct-q1", Name: "Ki-ốt Quầy 1"}, true, 20 * time.Second, 0},
		{survey.Kiosk{ID: "sct-kiosk-2", Unit: "so-cong-thuong", Counter: "sct-q2", Name: "Ki-ốt Quầy 2"}, true, 3 * time.Hour, 7},
		{survey.Kiosk{ID: "stp-kiosk-1", Unit: "so-tu-phap", Name: "Ki-ốt sảnh chờ"}, false, 0, 0},
		{survey.Kiosk{ID: "nh-kiosk-1", Unit: "xa-ninh-hoa", Counter: "nh-q1", Name: "Ki-ốt Hộ tịch"}, true, 0, 0},
	}
	for _, x := range kiosks {
		code, err := db.AddKiosk(x.k)
		if err != nil {
			t.Fatal(err)
		}
		if !x.pair {
			continue
		}
		if _, _, err := db.PairKiosk(code); err != nil {
			t.Fatal(err)
		}
		if x.seen > 0 {
			if err := db.KioskSeen(x.k.ID, x.queue, "2026.11", now.Add(-x.seen)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.RevokeKiosk("nh-kiosk-1"); err != nil {
		t.Fatal(err)
	}
}

// portrait is a small PNG: a head and shoulders on a light background.
func portrait(t *testing.T) []byte {
	t.Helper()
	const n = 96
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := color.RGBA{222, 232, 242, 255}
			dx, dy := x-n/2, y-38
			switch {
			case dx*dx+dy*dy < 18*18:
				c = color.RGBA{224, 180, 150, 255}
			case y > 62 && dx*dx < (y-50)*(y-50):
				c = color.RGBA{11, 83, 148, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// orgTab is a logged-in administrator's browser tab that records any
// JavaScript dialog (a name that ran as script would open one).
type orgTab struct {
	tab     context.Context
	base    string
	mu      sync.Mutex
	dialogs []string
}

func newOrgTab(t *testing.T, browser context.Context, base, user, password string) *orgTab {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	a := &orgTab{tab: tab, base: base}
	err := chromedp.Listen(tab, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			a.mu.Lock()
			a.dialogs = append(a.dialogs, d.Message)
			a.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if user == "" { // a citizen's tab: no login
		a.do(t, chromedp.EmulateViewport(1366, 768))
		return a
	}
	a.do(t, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(base+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), user), chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".who")))
	return a
}

func (a *orgTab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(a.tab, actions...); err != nil {
		t.Fatal(err)
	}
}

func orgRun[T any](t *testing.T, a *orgTab, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(a.tab, action)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// submit fills a page's fields (CSS selector → value) and posts its form.
func (a *orgTab) submit(t *testing.T, path, form string, fields [][2]string, ready string) {
	t.Helper()
	actions := []chromedp.Action[chromedp.Void]{chromedp.Navigate(a.base + path)}
	for _, f := range fields {
		actions = append(actions, chromedp.SetValue(chromedp.CSS(f[0]), f[1]))
	}
	actions = append(actions, chromedp.Click(chromedp.CSS(`form[method="post"][action="`+form+`"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(ready)))
	a.do(t, actions...)
}

// shoot saves the viewport and the whole page to ./artifacts/.
func (a *orgTab) shoot(t *testing.T, name string) {
	t.Helper()
	out := artifactsDir(t)
	for suffix, shot := range map[string]chromedp.Action[[]byte]{"": chromedp.CaptureScreenshot(), "-full": chromedp.FullScreenshot(100)} {
		if err := os.WriteFile(filepath.Join(out, "admin-"+name+"-1366x768"+suffix+".png"), orgRun(t, a, shot), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAdminOrgBrowser(t *testing.T) {
	browser := mustBrowser(t)
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	orgBrowserFixture(t, m.DB)
	if err := m.DB.CreateUser(survey.User{Username: "quantri", Role: survey.RoleAdmin}, "mat-khau-quan-tri"); err != nil {
		t.Fatal(err)
	}
	a := newOrgTab(t, browser, "http://"+m.Addr, "quantri", "mat-khau-quan-tri")

	t.Run("Screenshots", func(t *testing.T) {
		for _, p := range []struct{ name, path, ready string }{
			{"units", "/admin/units", ".tree"},
			{"counters", "/admin/counters", "table.data"},
			{"staff", "/admin/staff", "table.data"},
			{"kiosks", "/admin/kiosks", "table.data"},
			{"staff-edit", "/admin/staff/sct-nguyen-thi-lan/edit", "#staff-photo"},
			{"kiosk", "/admin/kiosks/sct-kiosk-2", "table.data"},
		} {
			a.do(t, chromedp.Navigate(a.base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			if h1 := orgRun(t, a, chromedp.Text(chromedp.CSS("h1"))); h1 == "" {
				t.Fatalf("%s: no heading", p.path)
			}
			a.shoot(t, p.name)
		}
		// Refused by the server: the summary on top, the message beside the field, the input kept.
		a.submit(t, "/admin/units", "/admin/units", [][2]string{{"#unit-id", "Sở Mới"}, {"#unit-name", "Sở Mới"}}, ".error-summary")
		if v := orgRun(t, a, chromedp.Value(chromedp.CSS("#unit-id"))); v != "Sở Mới" {
			t.Fatalf("the refused input is not kept: %q", v)
		}
		a.shoot(t, "units-error")
		// A new kiosk through the form: its one-time pairing link.
		a.submit(t, "/admin/kiosks", "/admin/kiosks", [][2]string{{"#kiosk-name", "Ki-ốt Quầy Lý lịch"},
			{"#kiosk-unit", "so-tu-phap"}, {"#kiosk-counter", "stp-q1"}}, "#pair-url")
		if link := orgRun(t, a, chromedp.Value(chromedp.CSS("#pair-url"))); !strings.HasPrefix(link, a.base+"/kiosk/pair/") {
			t.Fatalf("pairing link %q", link)
		}
		a.shoot(t, "kiosk-link")
	})

	t.Run("ScriptNamesInert", func(t *testing.T) {
		orgScriptNames(t, m.DB)
		for _, p := range []string{"/admin/units", "/admin/units/xa-xss/edit", "/admin/counters", "/admin/staff",
			"/admin/staff/xss-nv/edit", "/admin/kiosks", "/admin/kiosks/xss-kiosk"} {
			a.do(t, chromedp.Navigate(a.base+p), chromedp.WaitVisible(chromedp.CSS("h1")))
			if text := orgRun(t, a, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(text, `<script>alert("xss")</script>`) {
				t.Errorf("%s: the name is not shown as text", p)
			}
		}
		time.Sleep(200 * time.Millisecond) // let a stray onerror fire, if any
		a.mu.Lock()
		defer a.mu.Unlock()
		if len(a.dialogs) > 0 {
			t.Fatalf("a name ran as script: dialogs %q", a.dialogs)
		}
	})
}

// orgScriptNames adds a unit, counter, staff member and kiosk whose
// names carry markup that would alert if it ran.
func orgScriptNames(t *testing.T, db survey.Store) {
	t.Helper()
	const xss = `<script>alert("xss")</script><img src=x onerror=alert("img")>`
	for _, err := range []error{
		db.CreateUnit(survey.Unit{ID: "xa-xss", Name: "UBND xã " + xss, Parent: "tinh-mau", Group: "khoi-xa-phuong"}),
		db.CreateCounter(survey.Counter{ID: "xss-q1", Unit: "xa-xss", Name: "Quầy " + xss}),
		db.CreateStaff(survey.Staff{ID: "xss-nv", Unit: "xa-xss", Name: "Công chức " + xss, Position: xss}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AddKiosk(survey.Kiosk{ID: "xss-kiosk", Unit: "xa-xss", Counter: "xss-q1", Name: "Ki-ốt " + xss}); err != nil {
		t.Fatal(err)
	}
}
