package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hailong/survey"
)

// syncBuffer is a log sink that the server's goroutines may write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runWith is MustRun with trusted proxies and a log sink.
func runWith(tb testing.TB, dir, trustedProxies string, log io.Writer) *Main {
	tb.Helper()
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(tb, dir), TZ: "Asia/Ho_Chi_Minh", TrustedProxies: trustedProxies},
		Log: slog.New(slog.NewTextHandler(log, nil))}
	if err := m.Run(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// loginClient is a browser without JavaScript holding the login form's
// double-submit token; it may post the form many times, concurrently.
type loginClient struct {
	base, csrf string
	h          *http.Client
}

func newLoginClient(t *testing.T, base string) *loginClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &loginClient{base: base, h: &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect, Timeout: 30 * time.Second}}
	res, err := c.h.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no CSRF field on /login (%d)", res.StatusCode)
	}
	c.csrf = string(m[1])
	return c
}

// post sends the login form with rawNext as the already-encoded next field.
func (c *loginClient) post(t *testing.T, user, pass, rawNext string) (*http.Response, string) {
	body := url.Values{"_csrf": {c.csrf}, "username": {user}, "password": {pass}}.Encode()
	if rawNext != "" {
		body += "&next=" + rawNext
	}
	req, _ := http.NewRequest("POST", c.base+"/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	res, err := c.h.Do(req)
	if err != nil {
		t.Error(err)
		return &http.Response{}, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestLoginThrottlingConcurrent: 25 wrong passwords for one account sent at
// once from one client; the account allows 5 failures, so at most 5 may
// reach the password check, the rest are told the account is locked, and
// then the right password is refused too.
func TestLoginThrottlingConcurrent(t *testing.T) {
	m := MustRun(t, t.TempDir())
	if err := m.DB.CreateUser(survey.User{Username: "lan", Role: survey.RoleViewer}, "dung-mat-khau-1"); err != nil {
		t.Fatal(err)
	}
	c := newLoginClient(t, "http://"+m.Addr)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, body := c.post(t, "lan", "sai-mat-khau", "")
			if res.StatusCode == http.StatusTooManyRequests && !strings.Contains(body, "tạm khoá") {
				t.Errorf("429 without the lock message")
			}
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	wrong, locked := statuses[http.StatusUnauthorized], statuses[http.StatusTooManyRequests]
	t.Logf("25 concurrent wrong logins: %d checked (401), %d locked (429)", wrong, locked)
	if wrong > 5 || wrong+locked != 25 {
		t.Fatalf("statuses %v: want at most 5 checked (401) and the rest locked (429)", statuses)
	}
	if res, body := c.post(t, "lan", "dung-mat-khau-1", ""); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "phút") {
		t.Fatalf("right password while locked: %d", res.StatusCode)
	}
}

// TestLoginLongUsername: a 60 KB username is refused at once with a form
// error: not hashed, not kept, not logged, not echoed back.
func TestLoginLongUsername(t *testing.T) {
	log := &syncBuffer{}
	m := runWith(t, t.TempDir(), "", log)
	c := newLoginClient(t, "http://"+m.Addr)
	long := strings.Repeat("a", 60<<10)
	began := time.Now()
	res, body := c.post(t, long, "sai-mat-khau", "")
	took := time.Since(began)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "quá dài") || !strings.Contains(body, "too long") {
		t.Fatalf("60 KB username: %d, want 422 with a form error", res.StatusCode)
	}
	if strings.Contains(body, long[:1000]) || strings.Contains(log.String(), long[:1000]) {
		t.Fatal("the long username was echoed or logged")
	}
	t.Logf("60 KB username refused in %v", took)
	// it used no slot: the client may still fail 20 times, the account 5
	if res, _ := c.post(t, "khong-co", "x", ""); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("next login: %d", res.StatusCode)
	}
}

var nextField = regexp.MustCompile(`name="next" value="([^"]*)"`)

// TestLoginRedirectRefusesHostileNext: after a real login, a hostile next
// (as an attacker would put it in a link, already URL-encoded) lands on
// the role's home page, never elsewhere; the login page does not carry it.
func TestLoginRedirectRefusesHostileNext(t *testing.T) {
	m := MustRun(t, t.TempDir())
	if err := m.DB.CreateUser(survey.User{Username: "lan", Role: survey.RoleViewer}, "dung-mat-khau-1"); err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Addr
	hostile := []string{
		"/%09/evil.example", "/%09%2Fevil.example", "//evil", "%2F%2Fevil", "/%5Cevil", "/%5C%5Cevil",
		"/%0d%0a/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/%0a/evil.example", "https://evil.example",
		"https:%2F%2Fevil.example", "%2F%09%2F", "/%09/", "javascript:alert(1)", "evil.example",
		"/%20/evil.example", "/%00/evil", "/%E3%80%80/evil.example", "/%C2%A0/evil", "/%FF/evil",
		"%5C%5Cevil.example", "/%2F%09evil",
	}
	for _, raw := range hostile {
		t.Run(raw, func(t *testing.T) {
			c := newLoginClient(t, base)
			res, _ := c.h.Get(base + "/login?next=" + raw)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if f := nextField.FindSubmatch(b); f == nil || len(f[1]) != 0 {
				t.Errorf("login page keeps next=%q: %q", raw, f)
			}
			res, _ = c.post(t, "lan", "dung-mat-khau-1", raw)
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/dashboard" {
				t.Errorf("next=%s: %d to %q, want 303 to /dashboard", raw, res.StatusCode, loc)
			}
		})
	}
	t.Run("a local path is kept", func(t *testing.T) {
		c := newLoginClient(t, base)
		res, _ := c.post(t, "lan", "dung-mat-khau-1", url.QueryEscape("/dashboard/comments?unit=so-a&p=2"))
		if loc := res.Header.Get("Location"); loc != "/dashboard/comments?unit=so-a&p=2" {
			t.Errorf("local next: %d to %q", res.StatusCode, loc)
		}
	})
}
