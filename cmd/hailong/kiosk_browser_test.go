package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// The kiosk in real headless Chromium: one browser for every subtest, each
// subtest in its own browser context (cookies, storage, service worker)
// against its own server and data folder.

const (
	kioskUnit    = "so-cong-thuong"
	kioskCounter = "sct-q1"
	kioskStaff   = "sct-nguyen-thi-lan"
)

func mustBrowser(t testing.TB) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if _, serr := os.Stat("/usr/bin/chromium"); serr != nil {
			t.Fatal("install chromium: apt-get install chromium")
		}
		path = "/usr/bin/chromium"
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	browser, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return browser
}

// kioskEnv is a server with a counter, a staff member and a kiosk, and a
// browser tab (in a fresh browser context) that is not yet paired.
type kioskEnv struct {
	t         testing.TB
	m         *Main
	dir       string
	base      string
	reception string
	kioskID   string
	pairURL   string
	tab       context.Context
	mu        sync.Mutex
	jsErrors  []string
}

// newKioskEnv starts a server with a paired kiosk whose idle, thanks and
// partial settings are set's, and its misuse interval when not zero.
func newKioskEnv(t testing.TB, browser context.Context, set survey.KioskSettings) *kioskEnv {
	t.Helper()
	dir, reception, _ := setup(t)
	db, err := openTestStore(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	all := db.Settings()
	all.Kiosk.Idle, all.Kiosk.Thanks, all.Kiosk.Partial = set.Idle, set.Thanks, set.Partial
	if set.MisuseInterval != 0 {
		all.Kiosk.MisuseInterval = set.MisuseInterval
	}
	for _, err := range []error{
		db.PutCounter(survey.Counter{ID: kioskCounter, Unit: kioskUnit, Name: "Quầy 1 – Tiếp nhận hồ sơ"}),
		db.PutStaff(survey.Staff{ID: kioskStaff, Unit: kioskUnit, Name: "Nguyễn Thị Lan", Position: "Chuyên viên"}),
		db.SaveSettings(all),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var k struct {
		ID      string `json:"id"`
		PairURL string `json:"pair_url"`
	}
	out := mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", kioskUnit, "--counter", kioskCounter, "--name", "Ki-ốt Quầy 1")
	if err := json.Unmarshal([]byte(out), &k); err != nil {
		t.Fatalf("kiosk add: %q", out)
	}
	e := &kioskEnv{t: t, m: MustRun(t, dir), dir: dir, reception: reception, kioskID: k.ID, pairURL: k.PairURL}
	e.base = "http://" + e.m.Addr
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	e.tab = tab
	e.run(chromedp.EmulateViewport(1280, 800))
	err = chromedp.Listen(tab, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := ex.ExceptionDetails.Text
			if ex.ExceptionDetails.Exception != nil && ex.ExceptionDetails.Exception.Description != "" {
				msg += " " + ex.ExceptionDetails.Exception.Description
			}
			e.mu.Lock()
			e.jsErrors = append(e.jsErrors, msg)
			e.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, s := range e.jsErrors {
			t.Errorf("uncaught JavaScript error: %s", s)
		}
	})
	return e
}

func (e *kioskEnv) run(actions ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(e.tab, actions...); err != nil {
		e.t.Fatal(err)
	}
}

// kRun runs an action that returns a value.
func kRun[T any](e *kioskEnv, a chromedp.Action[T]) T {
	e.t.Helper()
	v, err := chromedp.Run(e.tab, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// js evaluates an expression in the page, promises awaited.
func kJS[T any](e *kioskEnv, expr string) T {
	e.t.Helper()
	return kRun(e, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

func kText(e *kioskEnv, sel string) string {
	e.t.Helper()
	return kRun(e, chromedp.Text(chromedp.CSS(sel)))
}

// pair opens the pairing link, presses its confirmation button and lands
// on the kiosk's start screen.
func (e *kioskEnv) pair() {
	e.t.Helper()
	e.run(chromedp.Navigate(e.base+e.pairURL), kScreen("pair"), chromedp.Click(chromedp.CSS(`[data-action="pair"]`)), kScreen("start"))
	// The page's script replaces ?paired=1 once it has shown the notice;
	// the start screen is visible before that (it is in the HTML).
	url := kRun(e, chromedp.Location())
	for deadline := time.Now().Add(3 * time.Second); url != e.base+"/kiosk" && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		url = kRun(e, chromedp.Location())
	}
	if url != e.base+"/kiosk" {
		e.t.Fatalf("pairing landed on %s", url)
	}
}

func (e *kioskEnv) signOn() {
	e.t.Helper()
	r := post(e.t, http.DefaultClient, e.base+"/api/v1/counters/"+kioskCounter+"/sign-on", e.reception, "application/json",
		[]byte(`{"staff":"`+kioskStaff+`"}`))
	if r.Status != 200 {
		e.t.Fatalf("sign-on: %d %v", r.Status, r.Body)
	}
}

func kTap(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

func kScreen(name string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`[data-screen="` + name + `"]`))
}

func kIn(screen, sel string) string { return `[data-screen="` + screen + `"] ` + sel }

func kFace(criterion string, score int) string {
	return fmt.Sprintf(`[data-criterion="%s"][data-score="%d"]`, criterion, score)
}

// kStored waits until the store holds n responses, readable. (Reading
// right after a response is visible in bbolt can race the store's
// in-memory dictionary for a name used the first time; see the report.)
func kStored(t *testing.T, db survey.Store, n int) []*survey.Response {
	t.Helper()
	var rs []*survey.Response
	// The kiosk sends an answer at least the misuse interval (5 s by
	// default) after the server accepted the previous one.
	kWaitFor(t, 5*time.Second+time.Duration(n)*6*time.Second, fmt.Sprintf("%d stored responses", n), func() bool {
		rs = rs[:0]
		err := db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { rs = append(rs, r); return nil })
		return err == nil && len(rs) == n
	})
	return rs
}

// waitFor polls cond until it holds or d passes.
func kWaitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

var kQuick = survey.KioskSettings{Idle: 30 * time.Second, Thanks: 2 * time.Second, Partial: survey.PartialKeep}

func TestKioskBrowser(t *testing.T) {
	browser := mustBrowser(t)

	t.Run("Pairing", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.run(chromedp.Navigate(e.base + "/kiosk"))
		notice := kText(e, "h1")
		if !strings.Contains(notice, "chưa được ghép nối") {
			t.Fatalf("unpaired browser sees %q", notice)
		}
		e.pair()
		if s := kText(e, "#paired"); !strings.Contains(s, "Ki-ốt đã sẵn sàng") || !strings.Contains(s, "Sở Công Thương") {
			t.Fatalf("pairing confirmation: %q", s)
		}
		e.run(kTap(`[data-lang="en"]`)) // the first touch dismisses it
		if !kJS[bool](e, `document.getElementById("paired").hidden`) {
			t.Fatal("pairing confirmation still shown after a touch")
		}
		unit, counter := kText(e, "#unit-name"), kText(e, "#counter-name")
		if unit != "Sở Công Thương" || counter != "Quầy 1 – Tiếp nhận hồ sơ" {
			t.Fatalf("start screen names %q, %q", unit, counter)
		}
	})

	t.Run("FullPath", func(t *testing.T) {
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 30 * time.Second, Thanks: 60 * time.Second, Partial: survey.PartialKeep})
		e.signOn()
		e.pair()
		if name := kText(e, "#staff-name"); name != "Nguyễn Thị Lan" {
			t.Fatalf("staff card shows %q", name)
		}
		e.run(kTap(kFace("overall", 2)), kScreen("criteria"),
			kTap(kFace("facilities", 1)), kTap(kIn("criteria", `[data-action="next"]`)), kScreen("reasons"),
			kTap(`[data-reason="had_to_stand"]`), kTap(`[data-reason="glass_partition"]`), kTap(`[data-reason="glass_partition"]`),
			chromedp.SendKeys(chromedp.CSS("#comment"), "Phải đứng chờ, không có ghế"),
			kTap(kIn("reasons", `[data-action="submit"]`)), kScreen("contact"), kTap(kIn("contact", `[data-action="contact-skip"]`)), kScreen("thanks"))
		r := kStored(t, e.m.DB, 1)[0]
		if r.Channel != survey.ChannelKiosk || r.Unit != kioskUnit || r.Counter != kioskCounter || r.Staff != kioskStaff ||
			r.Kiosk != e.kioskID || r.Survey != "quay" {
			t.Fatalf("stored as %+v", r)
		}
		if len(r.Answers) != 2 || r.Answers["overall"] != 2 || r.Answers["facilities"] != 1 {
			t.Fatalf("answers %v", r.Answers)
		}
		if len(r.Reasons) != 1 || r.Reasons[0] != "had_to_stand" || r.Comment != "Phải đứng chờ, không có ghế" || r.Flags != 0 {
			t.Fatalf("reasons %v comment %q flags %v", r.Reasons, r.Comment, r.Flags)
		}
		if time.Since(r.SubmittedAt) > time.Minute || r.SubmittedAt.After(r.ReceivedAt) {
			t.Fatalf("submitted_at %v", r.SubmittedAt)
		}
		now := time.Now()
		counts, err := e.m.DB.Count(survey.CountQuery{Dim: survey.DimStaff, Units: []string{kioskUnit}, From: now, To: now})
		if err != nil {
			t.Fatal(err)
		}
		if c := counts[kioskStaff]; c == nil || c.Responses != 1 {
			t.Fatalf("counts by staff: %+v", counts)
		}
		base, err := e.m.DB.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{kioskUnit}, From: now, To: now})
		if err != nil {
			t.Fatal(err)
		}
		if c := base[""]; c == nil || c.Reasons["facilities"]["had_to_stand"] != 1 || c.Reasons[""]["glass_partition"] != 0 {
			t.Fatalf("reason counts: %+v", c)
		}
	})

	t.Run("AutoResetAfterThanks", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.pair()
		e.run(kTap(kFace("overall", 5)), kScreen("criteria"), kTap(kIn("criteria", `[data-action="skip"]`)), kScreen("thanks"))
		start := time.Now()
		if !kJS[bool](e, `!!document.querySelector(".ring .run.go")`) {
			t.Error("no progress ring on the thanks screen")
		}
		e.run(kScreen("start"))
		if d := time.Since(start); d < 1500*time.Millisecond || d > 4*time.Second {
			t.Fatalf("back to start after %v, want about 2 s", d)
		}
		if pressed := kJS[int](e, `document.querySelectorAll('[aria-pressed="true"][data-criterion]').length`); pressed != 0 {
			t.Fatalf("%d answers still shown pressed after reset", pressed)
		}
		kStored(t, e.m.DB, 1)
	})

	t.Run("IdleKeepsPartial", func(t *testing.T) {
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 2 * time.Second, Thanks: 2 * time.Second, Partial: survey.PartialKeep})
		e.pair()
		e.run(kTap(kFace("overall", 4)), kScreen("criteria"))
		start := time.Now()
		e.run(kScreen("start"))
		if d := time.Since(start); d < 1500*time.Millisecond {
			t.Fatalf("idle reset after only %v", d)
		}
		r := kStored(t, e.m.DB, 1)[0]
		if len(r.Answers) != 1 || r.Answers["overall"] != 4 || len(r.Reasons) != 0 {
			t.Fatalf("partial response %+v", r)
		}
	})

	t.Run("IdleDiscardPolicy", func(t *testing.T) {
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: time.Second, Thanks: 2 * time.Second, Partial: survey.PartialDiscard})
		e.pair()
		e.run(kTap(kFace("overall", 3)), kScreen("criteria"), kScreen("start"))
		time.Sleep(500 * time.Millisecond)
		if n := e.m.DB.ResponseCount(); n != 0 {
			t.Fatalf("%d responses stored under the discard policy", n)
		}
	})

	t.Run("BurstFlaggedMisuse", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.pair()
		for i := 0; i < 3; i++ {
			e.run(kTap(kFace("overall", 5)), kScreen("criteria"), kTap(kFace("staff_attitude", 5)),
				kTap(kIn("criteria", `[data-action="next"]`)), kScreen("thanks"),
				kTap(`[data-screen="thanks"] h1`), kScreen("start"))
		}
		rs := kStored(t, e.m.DB, 3)
		for i, r := range rs {
			misuse := r.Flags&survey.FlagMisuse != 0
			if misuse != (i > 0) {
				t.Errorf("answer %d at %v: misuse=%v", i+1, r.SubmittedAt.Format("15:04:05.000"), misuse)
			}
		}
		if !rs[0].SubmittedAt.Before(rs[1].SubmittedAt) || rs[0].SubmittedAt.Equal(rs[1].SubmittedAt) {
			t.Fatal("answers do not carry their own submitted_at")
		}
	})

	// A queue that filled while the network was down drains paced by the
	// misuse interval: its answers, given minutes apart, are not a burst by
	// receive time. An answer the server refuses for good (older than the
	// window: 422) is dropped from the queue, and the rest still go.
	t.Run("QueueDrainsPacedDropsRefused", func(t *testing.T) {
		set := kQuick
		set.MisuseInterval = time.Second
		e := newKioskEnv(t, browser, set)
		e.pair()
		now := time.Now()
		var items []string
		for i, age := range []time.Duration{40 * time.Minute, 8 * 24 * time.Hour, 30 * time.Minute, 20 * time.Minute} {
			items = append(items, fmt.Sprintf(`{"id":"0190a0f4-0000-7000-8000-00000000000%d","answers":{"overall":4},"submitted_at":%q}`,
				i, now.Add(-age).UTC().Format(time.RFC3339Nano)))
		}
		kJS[bool](e, `(() => { localStorage.setItem("hailong.outbox.v1", '[`+strings.Join(items, ",")+`]');
			window.hailongKiosk.drain(); return true; })()`)
		kWaitFor(t, 20*time.Second, "the queue to drain", func() bool {
			n, err := chromedp.Run(e.tab, chromedp.Evaluate[int](`window.hailongKiosk.outbox().length`))
			return err == nil && n == 0
		})
		rs := kStored(t, e.m.DB, 3)
		for i, r := range rs {
			if r.Flags != 0 {
				t.Errorf("queued answer %d flagged %v", i+1, r.Flags)
			}
			if i > 0 {
				if gap := r.ReceivedAt.Sub(rs[i-1].ReceivedAt); gap < time.Second {
					t.Errorf("answers %d and %d received %v apart", i, i+1, gap)
				}
			}
		}
		if _, err := e.m.DB.ResponseByID("0190a0f4-0000-7000-8000-000000000001"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("the answer older than the window: %v", err)
		}
		if v := metric(t, e.base, `hailong_responses_refused_total{reason="submitted_at"}`); v != "1" {
			t.Fatalf("refusals counted %q", v)
		}
	})

	t.Run("OfflineQueueDrainsOnce", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.pair()
		kJS[bool](e, `navigator.serviceWorker.ready.then(() => new Promise(r => {
			const check = () => navigator.serviceWorker.controller ? r(true) : setTimeout(check, 50); check(); }))`)
		// Stop the server. Chromium keeps pre-connected sockets open, which
		// a graceful shutdown would wait for: give it half a second.
		addr := e.m.Addr
		e.m.Config.ShutdownIn = 500 * time.Millisecond
		if err := e.m.Close(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
		e.run(kTap(kFace("overall", 1)), kScreen("criteria"), kTap(kIn("criteria", `[data-action="skip"]`)), kScreen("reasons"),
			kTap(`[data-reason="waited_long"]`), kTap(kIn("reasons", `[data-action="submit"]`)), kScreen("contact"),
			kTap(kIn("contact", `[data-action="contact-skip"]`)), kScreen("thanks"))
		queued := kJS[int](e, `window.hailongKiosk.outbox().length`)
		dot := kJS[bool](e, `!document.getElementById("queued").hidden`)
		if queued != 1 || !dot {
			t.Fatalf("offline: %d queued, dot shown %v", queued, dot)
		}
		// A reload while the server is down still shows the kiosk (service
		// worker), with the queue kept.
		e.run(chromedp.Reload(), kScreen("start"))
		if queued := kJS[int](e, `window.hailongKiosk.outbox().length`); queued != 1 {
			t.Fatalf("after an offline reload: %d queued", queued)
		}
		id := kJS[string](e, `window.hailongKiosk.outbox()[0].id`)
		if !strings.HasPrefix(strings.Split(id, "-")[2], "7") {
			t.Fatalf("idempotency key %q is not a UUIDv7", id)
		}
		// Pretend an earlier attempt reached the server but its answer was
		// lost: the same answer is queued twice.
		kJS[int](e, `(() => { const q = window.hailongKiosk.outbox(); q.push(q[0]);
			localStorage.setItem("hailong.outbox.v1", JSON.stringify(q)); return q.length; })()`)

		restarted := time.Now()
		m2 := &Main{Config: Config{Addr: addr, Data: e.dir, DB: testAddr(t, e.dir), TZ: "Asia/Ho_Chi_Minh"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := m2.Run(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m2.Close() })
		kWaitFor(t, 40*time.Second, "the queue to drain", func() bool {
			n, err := chromedp.Run(e.tab, chromedp.Evaluate[int](`window.hailongKiosk.outbox().length`))
			return err == nil && n == 0
		})
		t.Logf("queue drained %v after the restart", time.Since(restarted).Round(time.Millisecond))
		dot = kJS[bool](e, `!document.getElementById("queued").hidden`)
		if n := m2.DB.ResponseCount(); n != 1 || dot {
			t.Fatalf("%d responses stored (want exactly 1); dot shown %v", n, dot)
		}
		r, err := m2.DB.ResponseByID(id)
		if err != nil || r.Answers["overall"] != 1 || r.Reasons[0] != "waited_long" ||
			!r.SubmittedAt.Before(restarted) || r.ReceivedAt.Before(restarted) {
			t.Fatalf("drained response %+v %v", r, err)
		}
	})

	t.Run("EnglishSwitch", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.pair()
		e.run(kTap(`[data-lang="en"]`))
		q, word := kText(e, "#h-start"), kText(e, kIn("start", kFace("overall", 5)))
		lang := kRun(e, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
		pressed := kRun(e, chromedp.AttributeValue(chromedp.CSS(`[data-lang="en"]`), "aria-pressed")).Value
		if q != "How satisfied are you with today's service?" || strings.TrimSpace(word) != "Very satisfied" || lang != "en" || pressed != "true" {
			t.Fatalf("English: %q %q lang=%s pressed=%s", q, word, lang, pressed)
		}
		e.run(kTap(kFace("overall", 4)), kScreen("criteria"))
		if next := kText(e, kIn("criteria", `[data-action="next"]`)); next != "Continue" {
			t.Fatalf("criteria screen in English: %q", next)
		}
		e.run(kTap(`[data-lang="vi"]`))
		if next := kText(e, kIn("criteria", `[data-action="next"]`)); next != "Tiếp tục" {
			t.Fatalf("back to Vietnamese: %q", next)
		}
	})

	t.Run("Heartbeat", func(t *testing.T) {
		e := newKioskEnv(t, browser, kQuick)
		e.pair()
		version := kJS[string](e, `window.hailongKiosk.version`)
		kWaitFor(t, 5*time.Second, "a heartbeat", func() bool {
			k := e.m.DB.Kiosk(e.kioskID)
			return !k.LastSeen.IsZero() && k.Version == version
		})
		if k := e.m.DB.Kiosk(e.kioskID); time.Since(k.LastSeen) > time.Minute || k.Queue != 0 {
			t.Fatalf("kiosk %+v", k)
		}
		resp, err := http.Get(e.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`hailong_kiosk_last_seen_seconds{kiosk="` + e.kioskID + `"} 1`, `hailong_kiosk_queue_depth{kiosk="` + e.kioskID + `"} 0`} {
			if !strings.Contains(string(body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})

	t.Run("Accessibility", func(t *testing.T) {
		axe, err := os.ReadFile("testdata/axe.min.js")
		if err != nil {
			t.Fatal(err)
		}
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 10 * time.Minute, Thanks: time.Minute, Partial: survey.PartialKeep})
		e.signOn()
		e.pair()
		kJS[any](e, string(axe))
		walkScreens(e, func(name string) {
			type violation struct {
				ID, Impact, Help string
				Nodes            []string
			}
			res := kJS[struct {
				Passes     int
				Violations []violation
			}](e, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
				.then(r => ({passes: r.passes.length, violations: r.violations.map(v =>
					({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))}))`)
			if res.Passes < 10 {
				t.Fatalf("%s screen: axe ran only %d passing rules", name, res.Passes)
			}
			for _, v := range res.Violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s screen: %s (%s): %s on %v", name, v.ID, v.Impact, v.Help, v.Nodes)
				} else {
					t.Logf("%s screen: %s (%s) on %v", name, v.ID, v.Impact, v.Nodes)
				}
			}
		})
	})

	t.Run("Screenshots", func(t *testing.T) {
		dir := artifactsDir(t)
		e := newKioskEnv(t, browser, survey.KioskSettings{Idle: 10 * time.Minute, Thanks: time.Minute, Partial: survey.PartialKeep})
		e.signOn()
		e.pair()
		fonts := kJS[int](e, `document.fonts.ready.then(() => [...document.fonts].filter(f => f.family.includes("Be Vietnam Pro") && f.status === "loaded").length)`)
		if fonts != 2 {
			t.Errorf("%d Be Vietnam Pro faces loaded, want the Vietnamese and Latin subsets", fonts)
		}
		for _, size := range [][2]int64{{1280, 800}, {800, 1280}} {
			e.run(chromedp.EmulateViewport(size[0], size[1]), chromedp.Reload(), kScreen("start"))
			walkScreens(e, func(name string) {
				e.run(chromedp.Sleep(300 * time.Millisecond))
				png := kRun(e, chromedp.CaptureScreenshot())
				file := filepath.Join(dir, fmt.Sprintf("kiosk-%s-%dx%d.png", name, size[0], size[1]))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				checkLayout(t, e, name, size)
			})
		}
	})
}

// walkScreens goes start → criteria → reasons → contact (a number half
// typed) → thanks, calling fn on each.
func walkScreens(e *kioskEnv, fn func(screen string)) {
	e.run(kScreen("start"))
	fn("start")
	e.run(kTap(kFace("overall", 2)), kScreen("criteria"), kTap(kFace("access", 4)), kTap(kFace("facilities", 1)), kTap(kFace("website", 3)))
	fn("criteria")
	e.run(kTap(kIn("criteria", `[data-action="next"]`)), kScreen("reasons"),
		kTap(`[data-reason="had_to_stand"]`), kTap(`[data-reason="glass_partition"]`),
		chromedp.SendKeys(chromedp.CSS("#comment"), "Nên bố trí thêm ghế ngồi cho người chờ"))
	fn("reasons")
	e.run(kTap(kIn("reasons", `[data-action="submit"]`)), kScreen("contact"),
		kTap(`[data-key="0"]`), kTap(`[data-key="9"]`), kTap(`[data-key="1"]`), kTap(`[data-key="2"]`), kTap(`[data-key="3"]`))
	fn("contact")
	e.run(kTap(kIn("contact", `[data-action="contact-skip"]`)), kScreen("thanks"))
	fn("thanks")
	e.run(kTap(`[data-screen="thanks"] h1`), kScreen("start"))
}

// checkLayout fails when anything scrolls or leaves the screen, a touch
// target is too small, or a question's text is under 28 px.
func checkLayout(t *testing.T, e *kioskEnv, name string, size [2]int64) {
	t.Helper()
	problems := kJS[[]string](e, `(() => {
		const out = [], W = innerWidth, H = innerHeight;
		const root = document.scrollingElement;
		if (root.scrollHeight > H || root.scrollWidth > W) out.push("page scrolls: " + root.scrollWidth + "x" + root.scrollHeight);
		const sec = document.querySelector("[data-screen]:not([hidden])");
		if (sec.scrollHeight > sec.clientHeight + 1) out.push("screen overflows by " + (sec.scrollHeight - sec.clientHeight) + " px");
		for (const el of document.querySelectorAll("header *, [data-screen]:not([hidden]) *")) {
			const r = el.getBoundingClientRect();
			if (r.width && el.closest(".sr-only") === null && (r.right > W + 0.5 || r.bottom > H + 0.5 || r.left < -0.5 || r.top < -0.5))
				out.push("off screen: " + el.tagName + " " + (typeof el.className === "string" ? el.className : ""));
		}
		for (const b of document.querySelectorAll("header button, [data-screen]:not([hidden]) button")) {
			const r = b.getBoundingClientRect(), big = b.closest(".faces.big") !== null;
			const min = big ? 120 : 64;
			if (r.width < min || r.height < min) out.push("small target " + (b.dataset.criterion || b.dataset.reason || b.dataset.action || b.dataset.lang) + " " + Math.round(r.width) + "x" + Math.round(r.height));
		}
		for (const q of document.querySelectorAll("[data-screen]:not([hidden]) h1, [data-screen]:not([hidden]) .label > span")) {
			if (parseFloat(getComputedStyle(q).fontSize) < 28) out.push("question under 28 px: " + q.textContent);
		}
		const faces = [...document.querySelectorAll("[data-screen]:not([hidden]) .face")].map(f => f.getBoundingClientRect());
		for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) {
			const a = faces[i], b = faces[j];
			if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push("faces overlap");
		}
		return [...new Set(out)];
	})()`)
	sort.Strings(problems)
	for _, p := range problems {
		t.Errorf("%s screen at %dx%d: %s", name, size[0], size[1], p)
	}
}

// artifactsDir is ./artifacts at the repository root (gitignored).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
	dir = filepath.Join(dir, "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
