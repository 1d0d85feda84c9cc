package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// Confirmation codes in real Chromium: the kiosk's thanks screen, the
// receipt form's thanks page, and the public check /cong-khai/xac-minh.
// Screenshots in ./artifacts.
func TestLogBrowser(t *testing.T) {
	browser := mustBrowser(t)
	var code string

	t.Run("KioskThanks", func(t *testing.T) {
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 10 * time.Minute, Thanks: time.Minute, Partial: survey.PartialKeep})
		e.signOn()
		e.pair()
		e.run(kTap(kFace("overall", 4)), kScreen("criteria"), kTap(kIn("criteria", `[data-action="skip"]`)), kScreen("thanks"),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="thanks"] [data-code]`)))
		kStored(t, e.m.DB, 1)
		shown := kJS[string](e, `document.querySelector("[data-code]").getAttribute("data-code")`)
		if want := e.m.DB.ConfirmationCode(&survey.Response{Seq: 1}); shown != want || kText(e, "#code") != want { // the first entry
			t.Fatalf("thanks screen shows code %q, want %q", shown, want)
		}
		if s := kText(e, `[data-screen="thanks"] .code`); !strings.Contains(s, "/cong-khai/xac-minh") {
			t.Errorf("no address to check the code at: %q", s)
		}
		checkLayout(t, e, "thanks", [2]int64{1280, 800})
		e.run(chromedp.Sleep(300 * time.Millisecond))
		for _, size := range [][2]int64{{1280, 800}, {800, 1280}} {
			e.run(chromedp.EmulateViewport(size[0], size[1]), chromedp.Sleep(300*time.Millisecond))
			checkLayout(t, e, "thanks", size)
			png := kRun(e, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(artifactsDir(t), "kiosk-thanks-code-"+itoa(size[0])+"x"+itoa(size[1])+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// The next citizen's thanks screen starts without the last code.
		e.run(kTap(`[data-screen="thanks"] h1`), kScreen("start"))
		if !kJS[bool](e, `document.querySelector("[data-code]").hidden`) {
			t.Fatal("the code stays after the thanks screen")
		}
	})

	t.Run("FormThanks", func(t *testing.T) {
		e := newReceiptEnv(t)
		b := newTab(t, browser)
		rc := e.issue(receiptBody("HS-CODE-1"))
		b.run(phone(), chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS(`form[data-screen="criteria"]`)),
			tapLabel("c-overall-5"), chromedp.Click(chromedp.CSS(`[data-action="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="thanks"] [data-code]`)))
		code = bJS[string](b, `document.querySelector("[data-code]").getAttribute("data-code")`)
		rs := e.responses()
		if len(rs) != 1 || code == "" || code != e.m.DB.ConfirmationCode(&survey.Response{Seq: 1}) {
			t.Fatalf("done page shows code %q for %d responses", code, len(rs))
		}
		checkPhoneLayout(t, b)
		b.shot("receipt-thanks-code-360")

		b.run(chromedp.Click(chromedp.CSS(`.code-check a`)), chromedp.WaitVisible(chromedp.CSS(`[data-result]`)))
		page := bJS[string](b, `document.body.innerText`)
		if !strings.Contains(page, "Được tính cho") || !strings.Contains(page, "Sở Công Thương") || regexp.MustCompile(`\d{1,2}:\d{2}`).MatchString(page) {
			t.Fatalf("xac-minh says:\n%s", page)
		}
		if w := bJS[int](b, `document.scrollingElement.scrollWidth`); w > 360 {
			t.Errorf("xac-minh scrolls sideways at 360 px: %d", w)
		}
		axeCheck(t, b.ctx, "/cong-khai/xac-minh", 10)
		b.shot("xac-minh-found-360")
		b.run(chromedp.EmulateViewport(1366, 768), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-result]`)))
		b.shot("xac-minh-found-1366")
		b.run(phone(), chromedp.Navigate(e.base+"/cong-khai/xac-minh?lang=en&code=ABCDE-FGHJK"), chromedp.WaitVisible(chromedp.CSS(`[data-result="none"]`)))
		b.shot("xac-minh-unknown-en-360")
	})
}

func itoa(n int64) string { return survey.Itoa(int(n)) }
