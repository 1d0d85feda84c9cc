package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// The outbox's admin pages in headless Chromium: add a webhook through the
// form (the secret shown once), see its failing delivery with the attempts
// and send it again, send a test mail while SMTP is down; screenshots in
// ./artifacts (admin-webhooks*, admin-deliveries*, admin-mail*).
func TestNotifyBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newNotifyEnv(t, "smtp://"+freePort(t)+"?from=hailong@sct.example.vn&tls=none")
	rcv := newReceiver(t, 1000)
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	a := &adminTab{t: t, tab: tab, base: e.base}
	a.do(chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(a.base+"/login?next=/admin/webhooks"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "quantri"), chromedp.SendKeys(chromedp.CSS("#password"), "mat-khau-vai-tro"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#url")))

	// A refused address comes back with the message beside the field.
	a.set("#name", "Cổng SMS của Sở")
	a.set("#url", "http://169.254.169.254/latest")
	a.do(chromedp.Click(chromedp.CSS(`input[name="event_case.opened"]`)),
		chromedp.Click(chromedp.CSS(`form[action="/admin/webhooks"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#url-error")))
	if v := aRun(a, chromedp.Evaluate[bool](`document.querySelector('input[name="event_case.opened"]').checked`)); !v {
		t.Error("the ticked event was not kept")
	}
	a.shoot("webhooks-refused", true)
	a.set("#url", rcv.URL+"/hailong")
	a.do(chromedp.Click(chromedp.CSS(`input[name="event_response.created"]`)), chromedp.Click(chromedp.CSS("#allow_private")),
		chromedp.Click(chromedp.CSS(`form[action="/admin/webhooks"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#secret")))
	if s := aRun(a, chromedp.Evaluate[string](`document.querySelector("#secret").value`)); len(s) != 43 {
		t.Errorf("secret %q", s)
	}
	a.shoot("webhooks", true)

	e.submit(2, "")
	e.waitFor("a failed attempt", func() bool {
		ds, _ := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverWebhook})
		return len(ds) == 1 && len(ds[0].Attempts) > 0
	})
	a.open("/admin/deliveries")
	a.do(chromedp.Click(chromedp.CSS(`form[action$="/redeliver"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if f := aRun(a, chromedp.Text(chromedp.CSS(".flash"))); !strings.Contains(f, "Đã xếp lại") {
		t.Errorf("flash %q", f)
	}
	e.waitFor("a second attempt", func() bool {
		ds, _ := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverWebhook})
		return len(ds[0].Attempts) > 1
	})
	a.open("/admin/deliveries")
	a.shoot("deliveries", true)

	a.open("/admin/mail")
	a.set("#to", "lan@example.vn")
	a.do(chromedp.Click(chromedp.CSS(`form[action="/admin/mail/test"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#test [role=status]")))
	e.waitFor("the test mail's attempt", func() bool {
		ds, _ := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverMail})
		return len(ds) == 1 && len(ds[0].Attempts) > 0
	})
	a.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#test [role=status]")))
	if s := aRun(a, chromedp.Text(chromedp.CSS("#test [role=status]"))); !strings.Contains(s, "đang chờ trong hộp thư đi") || !strings.Contains(s, "connection refused") {
		t.Errorf("test mail status %q", s)
	}
	a.shoot("mail", true)
	for _, path := range []string{"/admin/webhooks", "/admin/deliveries", "/admin/mail"} { // WCAG 2 A and AA
		a.open(path)
		axeCheck(t, a.tab, path, 10)
	}

	// The one-click link of a digest, opened on a phone: a button, then done.
	if err := e.m.DB.SetNotify("quantri", "quantri@example.vn", true, true, "test"); err != nil {
		t.Fatal(err)
	}
	key, err := e.m.DB.ClientKey()
	if err != nil {
		t.Fatal(err)
	}
	a.do(chromedp.EmulateViewport(360, 740), chromedp.Navigate(a.base+"/huy-dang-ky/"+survey.UnsubscribeToken(key, "quantri", survey.UnsubDigest)),
		chromedp.WaitVisible(chromedp.CSS(`[data-action="unsubscribe"]`)))
	shot360(a, "unsubscribe")
	axeCheck(t, a.tab, "/huy-dang-ky", 5)
	a.do(chromedp.Click(chromedp.CSS(`[data-action="unsubscribe"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if u := e.m.DB.User("quantri"); !u.NoDigest || u.NoAlerts {
		t.Errorf("after unsubscribing from the digest: %+v", u)
	}
	shot360(a, "unsubscribed")
}

// shot360 saves the phone-width viewport as artifacts/<name>-360.png.
func shot360(a *adminTab, name string) {
	a.t.Helper()
	png := aRun(a, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(artifactsDir(a.t), name+"-360.png"), png, 0o644); err != nil {
		a.t.Fatal(err)
	}
	if aRun(a, chromedp.Evaluate[bool](`document.scrollingElement.scrollWidth > innerWidth`)) {
		a.t.Errorf("%s: the page scrolls sideways at 360 px", name)
	}
}
