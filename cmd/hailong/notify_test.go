package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hailong/notify"
	"hailong/survey"
)

// The outbox through the real server: webhooks to a real HTTP receiver on
// 127.0.0.1 that fails the first attempts, a restart with deliveries
// pending, the URL checks of the admin page and of the dialer. The store's
// clock is moved forward past each backoff instead of waiting for it.

// notifyEnv is a server whose store clock can be moved forward, with a
// reception token and a logged-in administrator.
type notifyEnv struct {
	t         *testing.T
	dir, smtp string
	reception string
	off       atomic.Int64 // how far the store's clock is ahead of the real one
	m         *Main
	base      string
	admin     *caller
}

func newNotifyEnv(t *testing.T, smtpURL string) *notifyEnv {
	t.Helper()
	e := &notifyEnv{t: t, smtp: smtpURL}
	e.dir, e.reception, _ = setup(t)
	e.start()
	e.admin = loginAs(t, e.m, "quantri", survey.RoleAdmin, "")
	return e
}

// start runs the server on the data folder (again, after stop).
func (e *notifyEnv) start() {
	e.t.Helper()
	e.m = &Main{Config: Config{Addr: "127.0.0.1:0", Data: e.dir, TZ: "Asia/Ho_Chi_Minh", SMTPURL: e.smtp, SendEvery: 50 * time.Millisecond,
		Now: e.now}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := e.m.Run(); err != nil {
		e.t.Fatal(err)
	}
	m := e.m
	e.t.Cleanup(func() { m.Close() })
	e.base = "http://" + e.m.Addr
}

func (e *notifyEnv) now() time.Time { return time.Now().Add(time.Duration(e.off.Load())) }

// advance moves the store's clock forward and wakes the sender.
func (e *notifyEnv) advance(d time.Duration) {
	e.off.Add(int64(d))
	e.m.Sender.Wake()
}

// waitFor polls cond for up to 15 s.
func (e *notifyEnv) waitFor(what string, cond func() bool) {
	e.t.Helper()
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	e.t.Fatalf("timed out waiting for %s", what)
}

// submit posts a response for Sở Công Thương through the API.
func (e *notifyEnv) submit(overall int, comment string) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"survey": "quay", "unit": "so-cong-thuong", "answers": map[string]int{"overall": overall}, "comment": comment})
	r := post(e.t, http.DefaultClient, e.base+"/api/v1/responses", e.reception, "application/json", body)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("submit: %d %v", r.Status, r.Body)
	}
	return r.Body["id"].(string)
}

// delivery returns the only delivery of webhook id.
func (e *notifyEnv) delivery(id string) survey.Delivery {
	e.t.Helper()
	ds, err := e.m.DB.Deliveries(survey.DeliveryQuery{Webhook: id})
	if err != nil || len(ds) != 1 {
		e.t.Fatalf("deliveries of %s: %v %v", id, ds, err)
	}
	return ds[0]
}

// page gets path as c and returns its status and body.
func (e *notifyEnv) page(c *caller, path string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.base+path, nil)
	req.Header.Set("Accept", "text/html")
	res, err := c.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// hookCall is one request the receiver got.
type hookCall struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTP endpoint on 127.0.0.1 that answers fail for
// its first n calls, then 200.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	calls []hookCall
	fail  atomic.Int32
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	r := &receiver{}
	r.fail.Store(int32(failFirst))
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			t.Error(err)
		}
		r.mu.Lock()
		r.calls = append(r.calls, hookCall{req.Header.Clone(), b})
		r.mu.Unlock()
		if r.fail.Add(-1) >= 0 {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func (r *receiver) call(i int) hookCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[i]
}

// addHook registers a webhook through the admin page and returns its
// secret, shown once on the answer.
func (e *notifyEnv) addHook(name, u string, private bool, events ...string) (int, string) {
	e.t.Helper()
	f := url.Values{"name": {name}, "url": {u}}
	if private {
		f.Set("allow_private", "on")
	}
	for _, ev := range events {
		f.Set("event_"+ev, "on")
	}
	req, _ := http.NewRequest("POST", e.base+"/admin/webhooks", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", e.admin.csrf)
	res, err := e.admin.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode >= 500 {
		e.t.Logf("%s", b)
	}
	return res.StatusCode, string(b)
}

func TestNotifyWebhookRetried(t *testing.T) {
	e := newNotifyEnv(t, "")
	rcv := newReceiver(t, 2)
	status, page := e.addHook("Một cửa điện tử", rcv.URL+"/hook", true, survey.EventResponseCreated)
	if status != http.StatusCreated {
		t.Fatalf("add webhook: %d", status)
	}
	hooks := e.m.DB.Webhooks()
	if len(hooks) != 1 || !strings.Contains(page, hooks[0].Secret) {
		t.Fatalf("the new webhook's secret is not on the page: %v", hooks)
	}
	w := hooks[0]
	id := e.submit(1, "Nhân viên không chào — số tôi 0912345678")
	e.waitFor("the first attempt", func() bool { return len(e.delivery(w.ID).Attempts) == 1 })
	if d := e.delivery(w.ID); d.State != survey.DeliveryPending || d.Attempts[0].Status != 500 {
		t.Fatalf("after a 500: %+v", d)
	}
	e.advance(31 * time.Second)
	e.waitFor("the second attempt", func() bool { return len(e.delivery(w.ID).Attempts) == 2 })
	e.advance(61 * time.Second)
	e.waitFor("delivery", func() bool { return e.delivery(w.ID).State == survey.DeliveryDelivered })
	d := e.delivery(w.ID)
	if n := rcv.count(); n != 3 || len(d.Attempts) != 3 || d.Attempts[2].Status != http.StatusNoContent {
		t.Fatalf("calls %d, attempts %+v", n, d.Attempts)
	}
	for i := 0; i < 3; i++ {
		c := rcv.call(i)
		if err := notify.Verify(w.Secret, c.header.Get("X-Hailong-Signature"), c.body, e.now(), 5*time.Minute); err != nil {
			t.Errorf("call %d: %v", i+1, err)
		}
		if c.header.Get("X-Hailong-Delivery") != d.Event.ID || c.header.Get("X-Hailong-Event") != survey.EventResponseCreated ||
			c.header.Get("Content-Type") != "application/json" || c.header.Get("X-Hailong-Timestamp") == "" {
			t.Errorf("call %d headers: %v", i+1, c.header)
		}
		var ev survey.Event
		if err := json.Unmarshal(c.body, &ev); err != nil || ev.ID != d.Event.ID {
			t.Errorf("call %d: event %v, want id %s", i+1, err, d.Event.ID)
		}
		if strings.Contains(string(c.body), "0912345678") || strings.Contains(string(c.body), "chào") {
			t.Errorf("call %d: the comment went out: %s", i+1, c.body)
		}
	}
	var data struct {
		ID      string `json:"id"`
		Counted bool   `json:"counted"`
	}
	if err := json.Unmarshal(d.Event.Data, &data); err != nil || data.ID != id || !data.Counted {
		t.Errorf("data %s: %v", d.Event.Data, err)
	}
	if wrong := notify.Verify("another secret", rcv.call(0).header.Get("X-Hailong-Signature"), rcv.call(0).body, e.now(), 5*time.Minute); wrong == nil {
		t.Error("a signature verified with the wrong secret")
	}
	// The deliveries page lists the three attempts.
	status, body := e.page(e.admin, "/admin/deliveries?kind=webhook")
	if status != 200 || strings.Count(body, "· 500 ·") != 2 || strings.Count(body, "· 204 ·") != 1 {
		t.Errorf("deliveries page %d:\n%s", status, body)
	}
}

func TestNotifyRestartKeepsPending(t *testing.T) {
	e := newNotifyEnv(t, "")
	rcv := newReceiver(t, 1000)
	w, err := e.m.DB.PutWebhook(survey.Webhook{Name: "Cổng SMS", URL: rcv.URL, Events: []string{survey.EventResponseCreated}, AllowPrivate: true}, "test")
	if err != nil {
		t.Fatal(err)
	}
	e.submit(5, "")
	e.waitFor("a failed attempt", func() bool { return len(e.delivery(w.ID).Attempts) >= 1 })
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	rcv.fail.Store(0)
	e.start()
	before := rcv.count()
	e.advance(time.Hour)
	e.waitFor("delivery after the restart", func() bool { return e.delivery(w.ID).State == survey.DeliveryDelivered })
	if rcv.count() != before+1 {
		t.Errorf("calls after the restart: %d, want 1", rcv.count()-before)
	}
	if a, b := rcv.call(0).header.Get("X-Hailong-Delivery"), rcv.call(rcv.count()-1).header.Get("X-Hailong-Delivery"); a != b {
		t.Errorf("event id changed across the restart: %s, %s", a, b)
	}
}

func TestNotifyWebhookURLRefused(t *testing.T) {
	e := newNotifyEnv(t, "")
	rcv := newReceiver(t, 0)
	for _, u := range []string{"ftp://example.org/hook", "http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data",
		"http://localhost:9/hook", "http://[::1]:9/", "http://10.0.0.7/hook", "javascript:alert(1)"} {
		status, page := e.addHook("Thử", u, false, survey.EventCaseOpened)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="url-error"`) {
			t.Errorf("%s: %d, want 422 with the message beside the URL", u, status)
		}
	}
	if status, _ := e.addHook("", "https://example.org/", false); status != http.StatusUnprocessableEntity {
		t.Errorf("no name, no event: %d", status)
	}
	if n := len(e.m.DB.Webhooks()); n != 0 {
		t.Fatalf("%d webhooks stored after refusals", n)
	}
	// Stored without AllowPrivate (as a name that resolved to a public
	// address at registration and to a private one later would be), the
	// dialer still refuses to connect.
	w, err := e.m.DB.PutWebhook(survey.Webhook{Name: "Rebinding", URL: rcv.URL, Events: []string{survey.EventResponseCreated}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	e.submit(4, "")
	e.waitFor("a refused attempt", func() bool { return len(e.delivery(w.ID).Attempts) == 1 })
	if a := e.delivery(w.ID).Attempts[0]; !strings.Contains(a.Error, "private address refused") || rcv.count() != 0 {
		t.Errorf("attempt %+v, receiver calls %d", a, rcv.count())
	}
}

func TestNotifyPublicAddress(t *testing.T) {
	for addr, want := range map[string]bool{"8.8.8.8": true, "2001:4860:4860::8888": true, "127.0.0.1": false, "::1": false,
		"169.254.169.254": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "100.64.0.1": false,
		"0.0.0.0": false, "224.0.0.1": false, "fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false} {
		ip, err := netip.ParseAddr(addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := notify.Public(ip); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}
