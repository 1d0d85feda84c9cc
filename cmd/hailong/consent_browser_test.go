package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hailong/survey"
)

// The contact step in real Chromium: the kiosk's keypad screen at the
// kiosk's sizes, and the receipt form's step at 360 px with JavaScript on
// and off. Screenshots go to ./artifacts/.

// toContact answers "very dissatisfied" with a reason and lands on the
// contact screen.
func (e *kioskEnv) toContact() {
	e.t.Helper()
	e.run(kTap(kFace("overall", 1)), kScreen("criteria"), kTap(kIn("criteria", `[data-action="next"]`)), kScreen("reasons"),
		kTap(`[data-reason="waited_long"]`), kTap(kIn("reasons", `[data-action="submit"]`)), kScreen("contact"))
}

// keys taps digits (or clear, del) on the contact screen's keypad.
func (e *kioskEnv) keys(s string) {
	e.t.Helper()
	for _, k := range s {
		e.run(kTap(`[data-key="` + string(k) + `"]`))
	}
}

func TestConsentKioskBrowser(t *testing.T) {
	browser := mustBrowser(t)
	t.Run("KeypadAndSend", func(t *testing.T) { consentKeypad(t, browser) })
	t.Run("Offline", func(t *testing.T) { consentOffline(t, browser) })
	t.Run("IdleSendsNothing", func(t *testing.T) {
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 2 * time.Second, Thanks: 2 * time.Second, Partial: survey.PartialKeep})
		e.pair()
		e.toContact()
		e.keys("0912345678")
		start := time.Now()
		e.run(kScreen("start"))
		if d := time.Since(start); d < 1500*time.Millisecond {
			t.Fatalf("idle after only %v", d)
		}
		kStored(t, e.m.DB, 1)
		time.Sleep(time.Second)
		if cs, _ := e.m.DB.Cases(survey.CaseQuery{}); len(cs) != 0 || kJS[int](e, `window.hailongKiosk.outbox().length`) != 0 {
			t.Fatalf("idle sent %+v", cs)
		}
		if n := kText(e, "#phone"); n != "" {
			t.Fatalf("the next citizen sees %q", n)
		}
	})
}

func consentKeypad(t *testing.T, browser context.Context) {
	e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 10 * time.Minute, Thanks: 30 * time.Second, Partial: survey.PartialKeep})
	e.pair()
	shot := func(name string, size [2]int64) {
		t.Helper()
		e.run(chromedp.Sleep(300 * time.Millisecond))
		png := kRun(e, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(artifactsDir(t), fmt.Sprintf("kiosk-consent-%s-%dx%d.png", name, size[0], size[1])), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sendDisabled := func() bool { return kJS[bool](e, `document.querySelector('[data-action="contact-send"]').disabled`) }

	for _, size := range [][2]int64{{800, 1280}, {1280, 800}} {
		e.run(chromedp.EmulateViewport(size[0], size[1]), chromedp.Reload(), kScreen("start"))
		e.toContact()
		if !sendDisabled() {
			t.Fatal("send enabled before a number or a petition")
		}
		e.keys("0212")
		if kJS[bool](e, `document.getElementById("phone-bad").hidden`) {
			t.Fatal("02… not shown as wrong")
		}
		shot("bad", size)
		checkLayout(t, e, "contact", size)
		e.run(chromedp.KeyEvent("3"))
		if got := kText(e, "#phone"); got != "0212 3" {
			t.Fatalf("a typed 3 shows %q", got)
		}
		e.run(chromedp.KeyEvent(kb.Backspace), kTap(`[data-key="clear"]`))
		e.keys("09123456789") // one digit too many: the keypad stops at ten
		e.run(kTap(`[data-key="del"]`), kTap(`[data-key="8"]`))
		if got := kText(e, "#phone"); got != "0912 345 678" {
			t.Fatalf("number shown as %q", got)
		}
		if sendDisabled() || !kJS[bool](e, `document.getElementById("phone-bad").hidden`) {
			t.Fatal("a good number cannot be sent")
		}
		shot("number", size)
		checkLayout(t, e, "contact", size)
		e.run(kTap(`[data-lang="en"]`))
		if h := kText(e, "#h-contact"); h != "Would you like the office to contact you with a reply?" {
			t.Fatalf("in English: %q", h)
		}
		shot("number-en", size)
		checkLayout(t, e, "contact in English", size)
		e.run(kTap(`[data-lang="vi"]`))
		if size[0] == 800 { // the first pass: skip, so nothing is sent
			e.run(kTap(kIn("contact", `[data-action="contact-skip"]`)), kScreen("thanks"), kTap(`[data-screen="thanks"] h1`), kScreen("start"))
		}
	}
	e.run(kTap(kIn("contact", `[data-action="contact-send"]`)), kScreen("thanks"))
	if s := kText(e, "#thanks-sub"); !strings.Contains(s, "sẽ trả lời Ông/Bà") {
		t.Fatalf("thanks after sending says %q", s)
	}
	kStored(t, e.m.DB, 2) // the skipped one and this one
	var cs []survey.Case
	kWaitFor(t, 10*time.Second, "the case", func() bool {
		cs, _ = e.m.DB.Cases(survey.CaseQuery{})
		return len(cs) == 1
	})
	if c := cs[0]; c.Kind != survey.CaseAskReply || !c.HasContact || c.Channel != "kiosk" {
		t.Fatalf("case %+v", c)
	}
	if r, err := e.m.DB.ResponseByID(cs[0].Response); err != nil || r.Kiosk != e.kioskID || r.Answers["overall"] != 1 {
		t.Fatalf("the case's response %+v %v", r, err)
	}
	if ct, err := e.m.DB.CaseContact(cs[0].ID, "test"); err != nil || ct.Phone != "0912345678" {
		t.Fatalf("contact %+v %v", ct, err)
	}
	e.run(chromedp.WaitVisible(chromedp.CSS("#case")))
	if no := kText(e, "#case-no"); no != cs[0].ID {
		t.Fatalf("thanks shows case %q, want %s", no, cs[0].ID)
	}
	shot("thanks", [2]int64{1280, 800})
	kWaitFor(t, 5*time.Second, "an empty outbox", func() bool { return kJS[int](e, `window.hailongKiosk.outbox().length`) == 0 })
	if left := kJS[string](e, `JSON.stringify(Object.assign({}, localStorage))`); strings.Contains(left, "345678") {
		t.Fatalf("the number stays in the kiosk's storage: %s", left)
	}
	e.run(kTap(`[data-screen="thanks"] h1`), kScreen("start"))
	if n := kJS[string](e, `document.getElementById("phone").textContent`); n != "" {
		t.Fatalf("the next citizen sees %q", n)
	}
}

func TestConsentFormBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newReceiptEnv(t)
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "js", false: "nojs"}[js]
		t.Run(name, func(t *testing.T) {
			b := newTab(t, browser)
			b.run(phone(), scriptsOff(!js))
			rc := e.issue(receiptBody("HS-CONSENT-" + name))
			b.run(chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS(`form[data-screen="criteria"]`)),
				chromedp.Sleep(200*time.Millisecond))
			if hidden := bJS[bool](b, `document.getElementById("reasons").hidden`); hidden != js { // form.js hides them until a negative answer
				t.Fatalf("JavaScript on=%v, yet the reasons' hidden=%v", js, hidden)
			}
			b.run(tapLabel("c-overall-1"), chromedp.Click(chromedp.CSS(`[data-action="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`form[data-screen="contact"]`)))
			checkPhoneLayout(t, b)
			if js { // axe needs the page's scripts; the markup is the same either way
				axeCheck(t, b.ctx, "the contact step", 10)
			}
			b.shot("consent-form-360-" + name + "-0-thanks") // the whole page
			b.shotAt("consent-form-360-"+name+"-1-step", "#contact")
			b.run(chromedp.SendKeys(chromedp.CSS("#phone"), "0123 456"), chromedp.Click(chromedp.CSS(`[data-action="send"]`)),
				chromedp.WaitVisible(chromedp.CSS("#e-phone")))
			if js && !bJS[bool](b, `document.activeElement === document.querySelector("#contact .summary")`) {
				t.Error("the error summary does not take focus")
			}
			checkPhoneLayout(t, b)
			if js {
				axeCheck(t, b.ctx, "the contact step with an error", 10)
			}
			b.shotAt("consent-form-360-"+name+"-2-error", "#contact")
			b.run(chromedp.Clear(chromedp.CSS("#phone")), chromedp.SendKeys(chromedp.CSS("#phone"), "0912 345 678"),
				chromedp.Click(chromedp.CSS(`[data-action="send"]`)), chromedp.WaitVisible(chromedp.CSS(`main[data-screen="sent"]`)))
			if h := bJS[string](b, `document.querySelector("h1").textContent`); h != "Đã gửi yêu cầu của Ông/Bà" {
				t.Fatalf("after sending: %q", h)
			}
			checkPhoneLayout(t, b)
			b.shot("consent-form-360-" + name + "-3-sent")
			cs, err := e.m.DB.Cases(survey.CaseQuery{Text: "HS-CONSENT-" + name})
			if err != nil || len(cs) != 1 || !cs[0].HasContact {
				t.Fatalf("cases %+v %v", cs, err)
			}
		})
	}
}

// scriptsOff turns the page's JavaScript off (or on again) in the tab.
func scriptsOff(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

// consentOffline: the server is down while the citizen leaves a number;
// the answer and then the request are delivered when it is back, and the
// number leaves the device's storage.
func consentOffline(t *testing.T, browser context.Context) {
	e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 10 * time.Minute, Thanks: 2 * time.Second, Partial: survey.PartialKeep})
	e.pair()
	addr := e.m.Addr
	e.m.Config.ShutdownIn = 500 * time.Millisecond
	if err := e.m.Close(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
	e.toContact()
	e.run(kTap(`[data-petition]`))
	e.keys("0987654321")
	e.run(kTap(kIn("contact", `[data-action="contact-send"]`)), kScreen("thanks"))
	q := kJS[[]map[string]any](e, `window.hailongKiosk.outbox()`)
	if len(q) != 2 || q[0]["answers"] == nil || q[1]["response"] != q[0]["id"] || q[1]["kind"] != "petition" {
		t.Fatalf("offline queue %v", q)
	}
	m2 := &Main{Config: Config{Addr: addr, Data: e.dir, DB: testAddr(t, e.dir), TZ: "Asia/Ho_Chi_Minh"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m2.Run(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m2.Close() })
	kWaitFor(t, 40*time.Second, "the queue to drain", func() bool {
		n, err := chromedp.Run(e.tab, chromedp.Evaluate[int](`window.hailongKiosk.outbox().length`))
		return err == nil && n == 0
	})
	cs, err := m2.DB.Cases(survey.CaseQuery{})
	if err != nil || len(cs) != 1 || cs[0].Response != q[0]["id"] || cs[0].Kind != survey.CasePetition || !cs[0].HasContact {
		t.Fatalf("cases %+v %v", cs, err)
	}
	if ct, err := m2.DB.CaseContact(cs[0].ID, "test"); err != nil || ct.Phone != "0987654321" {
		t.Fatalf("contact %+v %v", ct, err)
	}
	if left := kJS[string](e, `JSON.stringify(Object.assign({}, localStorage))`); strings.Contains(left, "654321") {
		t.Fatalf("the number stays in the kiosk's storage: %s", left)
	}
}
