package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// The mobile form with JavaScript on, in headless Chromium at 360×740, and
// the slip and poster as printed. Screenshots go to ./artifacts/.

// tab is a browser tab in its own browser context.
type tab struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	jsErrors []string
}

func newTab(t *testing.T, browser context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	b := &tab{t: t, ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			b.mu.Lock()
			b.jsErrors = append(b.jsErrors, ex.ExceptionDetails.Text)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, s := range b.jsErrors {
			t.Errorf("uncaught JavaScript error: %s", s)
		}
	})
	return b
}

func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func bJS[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// shot saves a screenshot of the whole page as artifacts/name.png.
func (b *tab) shot(name string) {
	b.t.Helper()
	b.run(chromedp.Sleep(150 * time.Millisecond))
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(b.t), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// shotAt scrolls sel to the top of the screen and saves what the phone
// shows as artifacts/name.png.
func (b *tab) shotAt(name, sel string) {
	b.t.Helper()
	bJS[bool](b, `(document.querySelector(`+"`"+sel+"`"+`).scrollIntoView({block: "start"}), true)`)
	b.run(chromedp.Sleep(150 * time.Millisecond))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(b.t), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func tapLabel(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(`label[for="` + id + `"]`))
}

func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
}

func TestReceiptBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newReceiptEnv(t, func(dir string) {
		mustCLI(t, "mật-khẩu-dài-đủ\n", "user", "add", "--data", dir, "--username", "lan", "--role", "reception",
			"--unit", "so-cong-thuong", "--password-stdin")
	})

	t.Run("MobileFormWithJavaScript", func(t *testing.T) {
		b := newTab(t, browser)
		rc := e.issue(receiptBody("HS-JS-1"))
		b.run(phone(), chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS(`form[data-screen="criteria"]`)))
		checkPhoneLayout(t, b)
		if !bJS[bool](b, `document.getElementById("reasons").hidden`) {
			t.Fatal("reasons shown before any negative answer")
		}
		b.shotAt("receipt-form-360-1-top", "body")
		b.run(tapLabel("c-overall-2"), chromedp.WaitVisible(chromedp.CSS("#reasons")),
			tapLabel("c-staff_attitude-1"), tapLabel("c-online_speed-na"), tapLabel("f-tt01_contacts-1"),
			tapLabel("r-waited_long"), tapLabel("c-access_info-3"), chromedp.Click(chromedp.CSS("#q-access_info .clear")),
			chromedp.SendKeys(chromedp.CSS("#comment"), "Phải chờ lâu, cần thêm ghế ngồi"))
		if bJS[bool](b, `document.getElementById("c-access_info-3").checked`) {
			t.Fatal("clear did not clear")
		}
		if c := bJS[string](b, `document.getElementById("comment-count").textContent`); c != "31 / 2.000" {
			t.Errorf("comment counter %q", c)
		}
		b.shot("receipt-form-360-full")
		b.shotAt("receipt-form-360-2-facts", "#q-overall")
		b.shotAt("receipt-form-360-3-criteria", "#el-cong_chuc")
		b.shotAt("receipt-form-360-4-end", "#reasons")
		b.run(chromedp.Click(chromedp.CSS(`[data-action="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-screen="thanks"]`)))
		b.shot("receipt-thanks-360")
		rs := e.responses()
		if len(rs) != 1 {
			t.Fatalf("%d stored", len(rs))
		}
		r := rs[0]
		if r.Dossier != "HS-JS-1" || r.Channel != survey.ChannelQR || len(r.Answers) != 3 || r.Answers["overall"] != 2 ||
			r.Answers["staff_attitude"] != 1 || r.Answers["online_speed"] != survey.NA || r.Facts["tt01_contacts"] != 1 ||
			len(r.Reasons) != 1 || r.Reasons[0] != "waited_long" || r.Comment != "Phải chờ lâu, cần thêm ghế ngồi" {
			t.Fatalf("stored %+v", r)
		}
		b.run(chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS("h1")))
		if h := bJS[string](b, `document.querySelector("h1").textContent`); h != "Hồ sơ này đã được đánh giá" {
			t.Fatalf("second visit: %q", h)
		}
		b.shot("receipt-answered-360")
	})

	t.Run("ErrorsAndLanguage", func(t *testing.T) {
		b := newTab(t, browser)
		rc := e.issue(receiptBody("HS-JS-2"))
		b.run(phone(), chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS("form")),
			chromedp.SendKeys(chromedp.CSS("#comment"), "Chưa chọn mức nào"),
			chromedp.Click(chromedp.CSS(`[data-action="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".summary")))
		if id := bJS[string](b, `document.activeElement.id`); id != "errors" {
			t.Errorf("focus on %q, want the error summary", id)
		}
		if v := bJS[string](b, `document.getElementById("comment").value`); v != "Chưa chọn mức nào" {
			t.Errorf("comment not kept: %q", v)
		}
		b.shotAt("receipt-errors-360", "body")
		b.shotAt("receipt-errors-360-field", "#q-overall")
		// Switching language keeps what was chosen and typed.
		b.run(tapLabel("c-overall-4"), chromedp.Click(chromedp.CSS(`a[data-lang="en"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] form`)))
		if h := bJS[string](b, `document.querySelector("h1").textContent`); h != "Rate how your dossier was handled" {
			t.Fatalf("English title %q", h)
		}
		if !bJS[bool](b, `document.getElementById("c-overall-4").checked`) || bJS[string](b, `document.getElementById("comment").value`) != "Chưa chọn mức nào" {
			t.Fatal("answers lost on switching language")
		}
		b.shotAt("receipt-form-360-english", "body")
		b.run(chromedp.Click(chromedp.CSS(`[data-action="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-screen="thanks"]`)))
		if h := bJS[string](b, `document.querySelector("h1").textContent`); h != "Thank you for your feedback!" {
			t.Fatalf("English thanks %q", h)
		}
	})

	t.Run("ScriptsDisabled", func(t *testing.T) {
		b := newTab(t, browser)
		rc := e.issue(receiptBody("HS-NOJS"))
		b.run(phone(), chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}), chromedp.Navigate(rc.SurveyURL), chromedp.WaitVisible(chromedp.CSS("#reasons"))) // shown: no script hides it
		b.run(tapLabel("c-overall-5"), tapLabel("c-result_on_time-4"), chromedp.Click(chromedp.CSS(`[data-action="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-screen="thanks"]`)))
		b.shotAt("receipt-thanks-360-nojs", "body")
		n := 0
		for _, r := range e.responses() {
			if r.Dossier == "HS-NOJS" && r.Answers["overall"] == 5 && r.Answers["result_on_time"] == 4 {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d responses for the receipt answered without scripts", n)
		}
	})

	t.Run("Accessibility", func(t *testing.T) {
		b := newTab(t, browser)
		rc := e.issue(receiptBody("HS-JS-3"))
		for _, state := range []string{"form", "errors", "poster"} {
			u := rc.SurveyURL
			if state == "poster" {
				u = e.base + "/f/so-cong-thuong"
			}
			b.run(phone(), chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("form")))
			if state == "errors" {
				b.run(chromedp.Click(chromedp.CSS(`[data-action="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".summary")))
			}
			axeCheck(t, b.ctx, state, 10)
		}
	})

	t.Run("ReceptionPageToSlip", func(t *testing.T) {
		b := newTab(t, browser)
		due := time.Now().AddDate(0, 0, 5)
		b.run(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/reception"), chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), "lan"), chromedp.SendKeys(chromedp.CSS("#password"), "mật-khẩu-dài-đủ"),
			chromedp.Click(chromedp.CSS(`button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#issue-code")),
			chromedp.SendKeys(chromedp.CSS("#issue-code"), "HS-TAY-0007"), chromedp.SendKeys(chromedp.CSS("#issue-procedure"), "1.004227"))
		bJS[bool](b, `(document.getElementById("issue-due").value = "`+due.Format("2006-01-02")+`", true)`)
		b.shotAt("reception-page", "body")
		b.run(chromedp.Click(chromedp.CSS(`form[action="/reception/receipts"] button`)), chromedp.WaitVisible(chromedp.CSS(".paper")))
		if code := bJS[string](b, `document.querySelector(".code").textContent`); code != "HS-TAY-0007" {
			t.Fatalf("slip shows %q", code)
		}
		b.shotAt("slip-a5-screen", "body")
	})

	t.Run("SlipAndPosterPrinted", func(t *testing.T) {
		b := newTab(t, browser)
		rc := e.issue(receiptBody("000.00.12.H42-260310-0042"))
		b.run(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Authorization": "Bearer " + e.reception}})
			return err
		}))
		for _, c := range []struct {
			name, url string
			width     int64 // CSS px of the paper at 96 dpi
			w, h      float64
		}{
			{"slip-a5-print", rc.SlipURL, 560, 419.53, 595.28},                  // 148 × 210 mm
			{"slip-80mm-print", rc.SlipURL + "?size=80mm", 302, 226.77, 566.93}, // 80 × 200 mm
			{"poster-a4-print", e.base + "/f/so-cong-thuong/poster", 794, 595.28, 841.89},
		} {
			b.run(chromedp.EmulateViewport(c.width, 600), printMedia(true), chromedp.Navigate(c.url), chromedp.WaitVisible(chromedp.CSS(".paper")))
			b.shot(c.name)
			pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
				yes := true
				p.PreferCSSPageSize, p.PrintBackground = &yes, &yes
			}))
			if err != nil {
				t.Fatal(err)
			}
			checkPDFPage(t, c.name, pdf, c.w, c.h)
		}
		b.run(printMedia(false))
	})
}

func printMedia(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

// checkPDFPage wants exactly one page of w × h points (the CSS @page size).
func checkPDFPage(t *testing.T, name string, pdf []byte, w, h float64) {
	t.Helper()
	boxes := mediaBox.FindAllSubmatch(pdf, -1)
	if len(boxes) != 1 {
		t.Errorf("%s: %d pages printed, want 1", name, len(boxes))
	}
	for _, m := range boxes {
		var gw, gh float64
		fmt.Sscan(string(m[1]), &gw)
		fmt.Sscan(string(m[2]), &gh)
		if gw < w-1 || gw > w+1 || gh < h-1 || gh > h+1 {
			t.Errorf("%s: page %.2f × %.2f pt, want %.2f × %.2f", name, gw, gh, w, h)
		}
	}
}

// checkPhoneLayout fails when the page scrolls sideways, something leaves
// the screen, a control is too small to touch, or text is too small.
func checkPhoneLayout(t *testing.T, b *tab) {
	t.Helper()
	problems := bJS[[]string](b, `(() => {
		const out = [], W = innerWidth;
		if (document.scrollingElement.scrollWidth > W) out.push("page scrolls sideways: " + document.scrollingElement.scrollWidth);
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width && !el.closest(".hp, .sprite") && el.type !== "radio" && el.type !== "checkbox" && (r.right > W + 0.5 || r.left < -0.5))
				out.push("off screen: " + el.tagName + "#" + el.id + "." + el.className);
		}
		for (const l of document.querySelectorAll("form label, .langs a, button")) {
			const r = l.getBoundingClientRect();
			if (l.closest(".hp") || !r.width) continue; // hidden
			if (r.height < 44 && !l.closest(".comment")) out.push("small target " + l.htmlFor + " " + Math.round(r.width) + "x" + Math.round(r.height));
		}
		for (const el of document.querySelectorAll("legend, label, p, dd, dt")) {
			if (!el.closest(".hp") && parseFloat(getComputedStyle(el).fontSize) < 12) out.push("text under 12 px: " + el.textContent.slice(0, 30));
		}
		return [...new Set(out)];
	})()`)
	for _, p := range problems {
		t.Errorf("at 360 px: %s", p)
	}
}

// axeCheck runs axe-core (testdata/axe.min.js) on the page of the tab ctx
// against WCAG 2.2 A and AA: serious and critical violations fail, others
// are logged; fewer than minPasses passing rules means axe did not run.
func axeCheck(t *testing.T, ctx context.Context, what string, minPasses int) {
	t.Helper()
	axe, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe))); err != nil {
		t.Fatal(err)
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []string
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Passes     int
		Violations []violation
	}](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
		.then(r => ({passes: r.passes.length, violations: r.violations.map(v =>
			({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passes < minPasses {
		t.Fatalf("%s: axe ran only %d passing rules", what, res.Passes)
	}
	for _, v := range res.Violations {
		msg := fmt.Sprintf("%s: %s (%s): %s on %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}
