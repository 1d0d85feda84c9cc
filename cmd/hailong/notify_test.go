package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

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
	e.m = &Main{Config: Config{Addr: "127.0.0.1:0", Data: e.dir, DB: testAddr(e.t, e.dir), TZ: "Asia/Ho_Chi_Minh", SMTPURL: e.smtp, SendEvery: 50 * time.Millisecond,
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
	answers := map[string]int{}
	for _, k := range []string{"overall", "access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"} {
		answers[k] = overall
	}
	body, _ := json.Marshal(map[string]any{"survey": "quay", "unit": "so-cong-thuong", "answers": answers, "comment": comment})
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

// mailbox is a real SMTP server (github.com/emersion/go-smtp) run in the
// test: it checks the login and keeps every message it accepts.
type mailbox struct {
	mu   sync.Mutex
	msgs []*mail.Message
	srv  *smtp.Server
}

type mailSession struct {
	box  *mailbox
	auth bool
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "hailong" || pass != "mật khẩu" {
			return errors.New("bad login")
		}
		s.auth = true
		return nil
	}), nil
}
func (s *mailSession) Mail(string, *smtp.MailOptions) error {
	if !s.auth {
		return errors.New("log in first")
	}
	return nil
}
func (s *mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailSession) Reset()                               {}
func (s *mailSession) Logout() error                        { return nil }
func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, m)
	s.box.mu.Unlock()
	return nil
}

// startMailbox serves SMTP on addr until the test ends.
func startMailbox(t *testing.T, addr string) *mailbox {
	t.Helper()
	box := &mailbox{}
	box.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: box}, nil }))
	box.srv.Domain, box.srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go box.srv.Serve(ln)
	t.Cleanup(func() { box.srv.Close() })
	return box
}

func (b *mailbox) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.msgs)
}

// to returns the message sent to addr, with its decoded subject and body.
func (b *mailbox) to(t *testing.T, addr string) (*mail.Message, string, string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		if m.Header.Get("To") != "<"+addr+">" && m.Header.Get("To") != addr {
			continue
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		if ct := m.Header.Get("Content-Type"); !strings.Contains(strings.ToLower(ct), "utf-8") {
			t.Errorf("content type %q", ct)
		}
		var body io.Reader = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(m.Body)
		}
		text, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		return m, subject, string(text)
	}
	t.Fatalf("no mail to %s", addr)
	return nil, "", ""
}

func TestNotifyMail(t *testing.T) {
	addr := freePort(t) // nothing listens yet: the server is down
	e := newNotifyEnv(t, "smtp://hailong:m%E1%BA%ADt%20kh%E1%BA%A9u@"+addr+"?from=hailong@sct.example.vn&tls=none")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.m.DB.CreateUser(survey.User{Username: "giamdoc", Role: survey.RoleManager, Unit: "so-cong-thuong"}, "mat-khau-giam-doc"))
	must(e.m.DB.SetNotify("giamdoc", "giamdoc@sct.example.vn", true, true, "test"))
	must(e.m.DB.CreateUser(survey.User{Username: "so-khac", Role: survey.RoleManager, Unit: "so-tu-phap"}, "mat-khau-so-khac"))
	must(e.m.DB.SetNotify("so-khac", "stp@example.vn", true, true, "test"))

	// The test mail from the Mail page, while SMTP is down.
	res := e.admin.call(t, e.base, "POST", "/admin/mail/test", url.Values{"to": {"lan@example.vn"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/mail?test=") {
		t.Fatalf("test mail: %d %s", res.StatusCode, loc)
	}
	testID := strings.TrimPrefix(loc, "/admin/mail?test=")
	e.waitFor("a failed attempt", func() bool { d, _ := e.m.DB.Delivery(testID); return len(d.Attempts) > 0 })
	if _, page := e.page(e.admin, loc); !strings.Contains(page, "đang chờ trong hộp thư đi") || !strings.Contains(page, "hailong:xxxxx@") || strings.Contains(page, "mật khẩu@") || strings.Contains(page, "%E1%BA%ADt") {
		t.Errorf("mail page while SMTP is down:\n%s", page)
	}
	// A case opened by hand: its alert becomes one mail, to the manager
	// whose subtree covers the unit.
	c, err := e.m.DB.OpenCase(survey.Case{Unit: "sct-van-phong", Kind: survey.CasePetition, Source: survey.SourceCall,
		Summary: "Ông Nguyễn Văn A gọi: chờ quá lâu"}, nil, "quantri")
	must(err)
	e.waitFor("the alert's mail", func() bool { return e.pendingMails() == 2 })

	box := startMailbox(t, addr) // the server comes back
	e.advance(time.Hour)
	e.waitFor("both mails delivered", func() bool { return box.count() == 2 && e.pendingMails() == 0 })
	if d, _ := e.m.DB.Delivery(testID); d.State != survey.DeliveryDelivered || d.Attempts[len(d.Attempts)-1].Status != 250 {
		t.Errorf("test mail %+v", d)
	}
	_, subject, body := box.to(t, "lan@example.vn")
	if subject != "[Hài Lòng] Thư thử / Test mail" || !strings.Contains(body, "Đây là thư thử của hệ thống Hài Lòng") {
		t.Errorf("test mail %q\n%s", subject, body)
	}
	m, subject, body := box.to(t, "giamdoc@sct.example.vn")
	if !strings.Contains(subject, "Phản ánh, kiến nghị mới "+c.ID) || !strings.Contains(body, e.base+"/phan-anh/"+c.ID) ||
		!strings.Contains(body, "Kiến nghị chính thức") || strings.Contains(body, "Nguyễn Văn A") {
		t.Errorf("alert %q\n%s", subject, body)
	}
	unsub := m.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(unsub, "<"+e.base+"/huy-dang-ky/") || m.Header.Get("List-Unsubscribe-Post") != "" {
		t.Fatalf("List-Unsubscribe %q, -Post %q (no one-click header on http)", unsub, m.Header.Get("List-Unsubscribe-Post"))
	}
	notifyUnsubscribe(t, e, strings.Trim(unsub, "<>"))

	// An alert attempted again queues nothing twice.
	alerts, err := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverAlert})
	must(err)
	if len(alerts) != 1 {
		t.Fatalf("alerts %v", alerts)
	}
	must(e.m.DB.Redeliver(alerts[0].ID, "test"))
	e.waitFor("the alert again", func() bool { d, _ := e.m.DB.Delivery(alerts[0].ID); return d.State == survey.DeliveryDelivered })
	time.Sleep(200 * time.Millisecond)
	if box.count() != 2 {
		t.Errorf("%d mails after the alert was sent again, want 2", box.count())
	}
}

func (e *notifyEnv) pendingMails() int { return e.m.DB.PendingCount()[survey.DeliverMail] }

// notifyUnsubscribe follows a one-click link: GET asks, a mail client's
// RFC 8058 POST unsubscribes; a forged token is an unknown page.
func notifyUnsubscribe(t *testing.T, e *notifyEnv, link string) {
	get := func(u string) (int, string) {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	if st, page := get(link); st != 200 || !strings.Contains(page, `data-action="unsubscribe"`) || e.m.DB.User("giamdoc").NoAlerts {
		t.Fatalf("GET %s: %d", link, st)
	}
	if st, _ := get(link + "x"); st != 404 {
		t.Errorf("forged token: %d", st)
	}
	res, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if u := e.m.DB.User("giamdoc"); res.StatusCode != 200 || !u.NoAlerts || u.NoDigest || u.Email == "" {
		t.Errorf("after the one-click POST: %d %+v", res.StatusCode, u)
	}
}

func TestNotifyMailNotConfigured(t *testing.T) {
	e := newNotifyEnv(t, "")
	res := e.admin.call(t, e.base, "POST", "/admin/mail/test", url.Values{"to": {"lan@example.vn"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("test mail: %d", res.StatusCode)
	}
	if st := e.admin.call(t, e.base, "POST", "/admin/mail/test", url.Values{"to": {"không phải địa chỉ"}}).StatusCode; st != http.StatusUnprocessableEntity {
		t.Errorf("a bad address: %d, want 422", st)
	}
	time.Sleep(300 * time.Millisecond) // several passes of the sender
	_, page := e.page(e.admin, res.Header.Get("Location"))
	if !strings.Contains(page, "Chưa cấu hình gửi thư") || !strings.Contains(page, "vì chưa cấu hình máy chủ thư") {
		t.Errorf("mail page without SMTP:\n%s", page)
	}
	ds, err := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverMail})
	if err != nil || len(ds) != 1 || ds[0].State != survey.DeliveryPending || len(ds[0].Attempts) != 0 {
		t.Fatalf("the mail should wait untouched: %+v %v", ds, err)
	}
	if _, page := e.page(e.admin, "/admin/deliveries"); !strings.Contains(page, "Chưa cấu hình máy chủ thư (SMTP)") {
		t.Error("the deliveries page does not say that mail is not configured")
	}
}

func TestNotifyDigest(t *testing.T) {
	e := newNotifyEnv(t, "")
	for _, u := range []struct{ name, role, unit, email string }{{"giamdoc", survey.RoleManager, "so-cong-thuong", "gd@sct.example.vn"},
		{"lanhdao", survey.RoleViewer, "", "ld@example.vn"}, {"khong-nhan", survey.RoleManager, "so-cong-thuong", ""}} {
		if err := e.m.DB.CreateUser(survey.User{Username: u.name, Role: u.role, Unit: u.unit}, "mat-khau-ban-tin"); err != nil {
			t.Fatal(err)
		}
		if err := e.m.DB.SetNotify(u.name, u.email, true, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		e.submit(5, "Tốt")
		e.advance(10 * time.Second) // apart by more than the misuse interval
	}
	e.submit(1, "Phải chờ quá lâu, số tôi 0912345678")
	e.submit(1, "Bấm hai lần") // flagged misuse: neither counted nor its comment
	mustSet(t, e.m.DB, func(s *survey.Settings) { s.Cases.DeadlineDays = 1 })
	late, err := e.m.DB.OpenCase(survey.Case{Unit: "sct-van-phong", Kind: survey.CaseAskReply, Source: survey.SourceLetter, Summary: "Thư"}, nil, "quantri")
	if err != nil {
		t.Fatal(err)
	}
	// Move to next Monday 07:30 in the zone: the week reported is this one.
	loc := e.m.DB.Loc()
	now := e.now().In(loc)
	days := (8 - int(now.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	monday := time.Date(now.Year(), now.Month(), now.Day()+days, 7, 30, 0, 0, loc)
	e.advance(monday.Sub(now))
	overdue := 0 // one working day: overdue by Monday unless opened on a Friday
	if late.Overdue(monday) {
		overdue = 1
	}
	y, w := now.ISOWeek()
	id := fmt.Sprintf("digest-%04d-W%02d-giamdoc", y, w)
	e.waitFor("the digest", func() bool { _, err := e.m.DB.Delivery(id); return err == nil })
	d, err := e.m.DB.Delivery(id)
	if err != nil {
		t.Fatal(err)
	}
	m := d.Mail
	if m.To != "gd@sct.example.vn" || !strings.Contains(m.Subject, "Bản tin tuần") || !strings.Contains(m.Text, "Chỉ số hài lòng: 75,00") ||
		!strings.Contains(m.Text, "Số góp ý bằng lời trong tuần: 4") || !strings.Contains(m.Text, "Satisfaction index: 75.00") ||
		!strings.Contains(m.Text, fmt.Sprintf("Phản ánh, kiến nghị quá hạn chưa trả lời: %d", overdue)) || strings.Contains(m.Text, "0912345678") || !strings.Contains(m.Unsubscribe, "/huy-dang-ky/") {
		t.Errorf("digest %+v", m)
	}
	time.Sleep(200 * time.Millisecond)
	e.m.Sender.Digest(context.Background()) // again: nothing new
	ds, err := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverMail})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if strings.HasPrefix(d.ID, "digest-") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d digests, want one for each of the two users with an address", n)
	}
}

// TestNotifyAlertRecipients: a case opened in a department alerts every
// manager above it; its escalation alerts only those whose subtree covers
// the unit it was escalated to; no one without an address, with alerts off,
// outside the subtree or of another role.
func TestNotifyAlertRecipients(t *testing.T) {
	e := newNotifyEnv(t, "")
	for _, u := range []struct{ name, role, unit, email string }{
		{"vp", survey.RoleManager, "sct-van-phong", "vp@example.vn"}, {"giamdoc", survey.RoleManager, "so-cong-thuong", "gd@example.vn"},
		{"tinh", survey.RoleAdmin, "", "tinh@example.vn"}, {"tu-phap", survey.RoleManager, "so-tu-phap", "tp@example.vn"},
		{"xem", survey.RoleViewer, "so-cong-thuong", "xem@example.vn"}, {"tat", survey.RoleManager, "so-cong-thuong", "tat@example.vn"},
		{"khong-thu", survey.RoleManager, "so-cong-thuong", ""}} {
		if err := e.m.DB.CreateUser(survey.User{Username: u.name, Role: u.role, Unit: u.unit}, "mat-khau-canh-bao"); err != nil {
			t.Fatal(err)
		}
		if err := e.m.DB.SetNotify(u.name, u.email, u.name != "tat", true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	c, err := e.m.DB.OpenCase(survey.Case{Unit: "sct-van-phong", Kind: survey.CaseAskReply, Source: survey.SourceCall, Summary: "Chờ lâu"}, nil, "quantri")
	if err != nil {
		t.Fatal(err)
	}
	recipients := func(kind string) []string {
		e.waitFor("alerts expanded", func() bool {
			ds, _ := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverAlert, State: survey.DeliveryPending})
			return len(ds) == 0
		})
		ds, err := e.m.DB.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverMail})
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, d := range ds {
			if strings.Contains(d.Mail.Subject, kind) {
				to = append(to, d.Mail.To)
			}
		}
		slices.Sort(to)
		return to
	}
	if got := strings.Join(recipients("Phản ánh, kiến nghị mới"), " "); got != "gd@example.vn tinh@example.vn vp@example.vn" {
		t.Errorf("alerts of the opening to %s", got)
	}
	n, err := e.m.DB.EscalateOverdue(c.DueAt.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("escalate: %d %v", n, err)
	}
	if got := strings.Join(recipients("quá hạn được chuyển lên"), " "); got != "gd@example.vn tinh@example.vn" {
		t.Errorf("alerts of the escalation to %s", got)
	}
}

func TestNotifyBadSMTPURL(t *testing.T) {
	for _, u := range []string{"mail.example.vn", "smtp://mail.example.vn", "smtp://mail.example.vn?from=a@example.vn&tls=sometimes"} {
		_, err := cli(t, "", "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--smtp-url", u)
		if err == nil || !strings.Contains(err.Error(), "--smtp-url") {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestNotifyWebhookOffAndDeleted: a webhook turned off gets nothing new; a
// deleted one's pending deliveries fail; both are audited.
func TestNotifyWebhookOffAndDeleted(t *testing.T) {
	e := newNotifyEnv(t, "")
	rcv := newReceiver(t, 1000) // always failing: deliveries stay pending
	if st, _ := e.addHook("Cổng SMS", rcv.URL, true, survey.EventResponseCreated); st != http.StatusCreated {
		t.Fatalf("add: %d", st)
	}
	w := e.m.DB.Webhooks()[0]
	e.submit(3, "")
	if res := e.admin.call(t, e.base, "POST", "/admin/webhooks/"+w.ID+"/toggle", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn off: %d", res.StatusCode)
	}
	e.advance(10 * time.Second)
	e.submit(3, "")
	if ds, _ := e.m.DB.Deliveries(survey.DeliveryQuery{Webhook: w.ID}); len(ds) != 1 {
		t.Errorf("%d deliveries after turning the webhook off, want 1", len(ds))
	}
	if res := e.admin.call(t, e.base, "POST", "/admin/webhooks/"+w.ID+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if d := e.delivery(w.ID); d.State != survey.DeliveryFailed {
		t.Errorf("pending delivery of the deleted webhook: %s", d.State)
	}
	if res := e.admin.call(t, e.base, "POST", "/admin/webhooks/"+w.ID+"/delete", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete again: %d, want 404", res.StatusCode)
	}
	var actions []string
	for _, a := range e.m.DB.AuditLog(20, time.Time{}) {
		if strings.HasPrefix(a.Action, "webhook.") {
			actions = append(actions, a.Action)
		}
	}
	if strings.Join(actions, " ") != "webhook.delete webhook.update webhook.create" {
		t.Errorf("audit %v", actions)
	}
}
