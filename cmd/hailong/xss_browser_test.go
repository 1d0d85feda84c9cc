package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// TestScriptIsInertEverywhere stores markup that would open a dialog if it
// ran — in a unit name, a counter, a staff name and position, a kiosk name,
// a procedure and comments — then opens every page that shows them in
// Chromium as an administrator, a kiosk and a citizen: no dialog may fire,
// and the text must be on the page as text.
func TestScriptIsInertEverywhere(t *testing.T) {
	browser := mustBrowser(t)
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	db := m.DB
	const xss = `<script>alert("xss")</script><img src=x onerror=alert("img")>`
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateUnit(survey.Unit{ID: "xa-xss", Name: "UBND xã " + xss, Parent: "tinh-mau", Group: "khoi-so"}))
	must(db.CreateCounter(survey.Counter{ID: "xss-q1", Unit: "xa-xss", Name: "Quầy " + xss}))
	must(db.CreateStaff(survey.Staff{ID: "xss-nv", Unit: "xa-xss", Name: "Công chức " + xss, Position: xss}))
	must(db.SignOn("xss-nv", "xss-q1"))
	pair, err := db.AddKiosk(survey.Kiosk{ID: "xss-kiosk", Unit: "xa-xss", Counter: "xss-q1", Name: "Ki-ốt " + xss})
	must(err)
	now := time.Now()
	for i := 0; i < 12; i++ { // enough to pass the minimum n on the dashboard
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "xa-xss", Counter: "xss-q1", Staff: "xss-nv",
			Procedure: "1.001", Answers: map[string]int{"overall": 1 + i%5, "facilities": 1}, Reasons: []string{"had_to_stand"},
			Comment: "Góp ý " + xss, SubmittedAt: now.Add(-time.Duration(i) * time.Hour), ReceivedAt: now}
		_, err := db.Submit(r)
		must(err)
	}
	dossier := &survey.Dossier{Code: "HS-XSS", Unit: "xa-xss", Procedure: "1.001", Staff: "xss-nv", ReceivedAt: now, DueAt: now.AddDate(0, 0, 3)}
	token, err := db.IssueReceipt("test", dossier, time.Time{})
	must(err)
	must(db.CreateUser(survey.User{Username: "qt", Role: survey.RoleAdmin}, "mat-khau-quan-tri"))

	admin := newOrgTab(t, browser, base, "qt", "mat-khau-quan-tri")
	day := now.Format("2006-01-02")
	for _, path := range []string{
		"/dashboard?unit=xa-xss",
		"/dashboard?unit=tinh-mau",
		"/dashboard/criteria/facilities?unit=xa-xss",
		"/dashboard/comments?unit=xa-xss",
		"/reports/official?unit=xa-xss&from=" + now.AddDate(0, -1, 0).Format("2006-01-02") + "&to=" + day,
		"/reception",
		"/receipts/" + token + "/slip",
		"/admin/units", "/admin/counters", "/admin/staff", "/admin/kiosks", "/admin/audit",
	} {
		admin.do(t, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(150*time.Millisecond))
		text := orgRun(t, admin, chromedp.Evaluate[string](`document.body.innerText`))
		if !strings.Contains(text, `<script>alert("xss")</script>`) && !strings.Contains(text, "onerror=alert") && path != "/admin/audit" {
			t.Errorf("%s: the stored markup is not shown as text", path)
		}
	}
	// the citizen's pages: the receipt form, the poster, the kiosk
	citizen := newOrgTab(t, browser, base, "", "")
	for _, path := range []string{"/r/" + token, "/f/xa-xss", "/kiosk/pair/" + pair} {
		citizen.do(t, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(300*time.Millisecond))
	}
	// the pairing link shows the kiosk's name, then its button pairs
	citizen.do(t, chromedp.Click(chromedp.CSS(`[data-action="pair"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-screen="start"]`)),
		chromedp.Sleep(300*time.Millisecond))
	text := orgRun(t, citizen, chromedp.Evaluate[string](`document.body.innerText`))
	if !strings.Contains(text, "Công chức <script>") {
		t.Errorf("kiosk: the staff card does not show the name as text: %.300q", text)
	}
	for _, tab := range []*orgTab{admin, citizen} {
		tab.mu.Lock()
		if len(tab.dialogs) > 0 {
			t.Errorf("dialogs fired: %v", tab.dialogs)
		}
		tab.mu.Unlock()
	}
}
