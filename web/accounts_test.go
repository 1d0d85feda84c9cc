package web_test

import (
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// clock is an injectable time for session expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type srv struct {
	URL   string
	DB    *bolt.DB
	Clock *clock
}

// start runs web.New + accounts + two probe routes (a page and a JSON API
// write) on a loopback port over a real bbolt file.
func start(t *testing.T) *srv {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{{ID: "prov", Name: "Tỉnh"}, {ID: "so-a", Name: "Sở A", Parent: "prov"}}); err != nil {
		t.Fatal(err)
	}
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := web.New(d)
	web.AccountRoutes(app, d)
	app.Get("/probe", web.RequireUser(d, web.ActRead), func(c *fiber.Ctx) error { return c.SendString("hello " + web.Who(c).Name) })
	app.Post("/api/v1/probe", web.RequireAPI(d, web.ActRead), func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	app.Use(web.NotFound)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { _ = app.Shutdown(); db.Close() })
	return &srv{URL: "http://" + ln.Addr().String(), DB: db, Clock: clk}
}

type client struct {
	t *testing.T
	s *srv
	h *http.Client
}

func (s *srv) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, s: s, h: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.s.URL+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.h.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) csrfFrom(path string) string {
	c.t.Helper()
	_, body := c.do("GET", path, nil, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF field on %s", path)
	}
	return m[1]
}

// login posts the login form and returns the status.
func (c *client) login(user, pass string) int {
	c.t.Helper()
	res, _ := c.do("POST", "/login", url.Values{"_csrf": {c.csrfFrom("/login")}, "username": {user}, "password": {pass}}, nil)
	return res.StatusCode
}

func addUser(t *testing.T, db *bolt.DB, name, role string) {
	t.Helper()
	if err := db.CreateUser(survey.User{Username: name, Role: role}, "dung-mat-khau-1"); err != nil {
		t.Fatal(err)
	}
}

func TestLoginLogoutAndCSRF(t *testing.T) {
	s := start(t)
	addUser(t, s.DB, "lan", survey.RoleViewer)
	c := s.client(t)
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous page: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// the login form refuses a post without its own CSRF token
	if res, _ := c.do("POST", "/login", url.Values{"username": {"lan"}, "password": {"dung-mat-khau-1"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d", res.StatusCode)
	}
	if st := c.login("lan", "dung-mat-khau-1"); st != http.StatusSeeOther {
		t.Fatalf("login: %d", st)
	}
	for _, ck := range c.h.Jar.Cookies(mustURL(s.URL)) {
		if ck.Name == web.SessionCookie && ck.Value == "" {
			t.Fatal("empty session cookie")
		}
	}
	if res, body := c.do("GET", "/probe", nil, nil); res.StatusCode != 200 || body != "hello lan" {
		t.Fatalf("logged in page: %d %q", res.StatusCode, body)
	}
	// a session write without the CSRF token is refused; with it, it passes
	if res, _ := c.do("POST", "/api/v1/probe", url.Values{}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("API POST without CSRF: %d", res.StatusCode)
	}
	tok := c.csrfFrom("/account/password")
	if res, _ := c.do("POST", "/api/v1/probe", url.Values{}, map[string]string{web.CSRFHeader: tok}); res.StatusCode != 200 {
		t.Fatalf("API POST with CSRF header: %d", res.StatusCode)
	}
	if res, _ := c.do("POST", "/logout", url.Values{"_csrf": {"forged"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("forged logout: %d", res.StatusCode)
	}
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != 200 {
		t.Fatal("forged logout ended the session")
	}
	if res, _ := c.do("POST", "/logout", url.Values{"_csrf": {tok}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: %d", res.StatusCode)
	}
	log := s.DB.AuditLog(10, time.Time{})
	if len(log) != 2 || log[0].Action != "logout" || log[1].Action != "login" {
		t.Fatalf("audit: %+v", log)
	}
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }

func TestLoginThrottling(t *testing.T) {
	s := start(t)
	addUser(t, s.DB, "lan", survey.RoleViewer)
	c := s.client(t)
	for i := 0; i < 5; i++ {
		if st := c.login("lan", "sai-mat-khau"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, st)
		}
	}
	// the account is now locked, even with the right password
	res, body := c.do("POST", "/login", url.Values{"_csrf": {c.csrfFrom("/login")}, "username": {"lan"}, "password": {"dung-mat-khau-1"}}, nil)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "tạm khoá") || !strings.Contains(body, "phút") {
		t.Fatalf("locked account: %d %s", res.StatusCode, body)
	}
	// one client guessing across many accounts is stopped too
	addUser(t, s.DB, "hung", survey.RoleViewer)
	for i := 0; i < 15; i++ {
		c.login("khong-co-"+string(rune('a'+i)), "x")
	}
	if st := c.login("hung", "dung-mat-khau-1"); st != http.StatusTooManyRequests {
		t.Fatalf("client over its limit: %d", st)
	}
	// nothing about the guesses is stored with an address
	if k, _ := s.DB.ClientKey(); strings.Contains(k, "127.0.0.1") {
		t.Fatal("raw address stored")
	}
}

func TestSessionExpiry(t *testing.T) {
	s := start(t)
	addUser(t, s.DB, "lan", survey.RoleViewer)
	c := s.client(t)
	if c.login("lan", "dung-mat-khau-1") != http.StatusSeeOther {
		t.Fatal("login")
	}
	// active use keeps it alive past the idle limit …
	for i := 0; i < 3; i++ {
		s.Clock.add(50 * time.Minute)
		if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != 200 {
			t.Fatalf("active session ended after %d × 50 min", i+1)
		}
	}
	// … but not past an idle hour
	s.Clock.add(61 * time.Minute)
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("idle session still works: %d", res.StatusCode)
	}
	// nor past the absolute limit, however active
	if c.login("lan", "dung-mat-khau-1") != http.StatusSeeOther {
		t.Fatal("login again")
	}
	for i := 0; i < 12*60/50; i++ {
		s.Clock.add(50 * time.Minute)
		c.do("GET", "/probe", nil, nil)
	}
	s.Clock.add(50 * time.Minute)
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session older than 12 h still works: %d", res.StatusCode)
	}
	// a shorter policy in settings applies at once
	if c.login("lan", "dung-mat-khau-1") != http.StatusSeeOther {
		t.Fatal("login a third time")
	}
	st := s.DB.Settings()
	st.Sessions.Idle = 5 * time.Minute
	if err := s.DB.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	s.Clock.add(6 * time.Minute)
	if res, _ := c.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session_idle=5m not applied: %d", res.StatusCode)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	s := start(t)
	addUser(t, s.DB, "lan", survey.RoleViewer)
	a, b := s.client(t), s.client(t)
	a.login("lan", "dung-mat-khau-1")
	b.login("lan", "dung-mat-khau-1")
	tok := a.csrfFrom("/account/password")
	res, body := a.do("POST", "/account/password", url.Values{"_csrf": {tok}, "current": {"sai"}, "new": {"ngan"}, "confirm": {"khac"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 3 || !strings.Contains(body, `href="#current"`) {
		t.Fatalf("bad change: %d %s", res.StatusCode, body)
	}
	res, _ = a.do("POST", "/account/password", url.Values{"_csrf": {tok}, "current": {"dung-mat-khau-1"}, "new": {"mat-khau-moi-2026"}, "confirm": {"mat-khau-moi-2026"}}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if res, _ := a.do("GET", "/probe", nil, nil); res.StatusCode != 200 {
		t.Fatal("the session that changed the password ended")
	}
	if res, _ := b.do("GET", "/probe", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatal("the other session survived a password change")
	}
	if s.DB.CheckPassword("lan", "mat-khau-moi-2026") == nil || s.DB.CheckPassword("lan", "dung-mat-khau-1") != nil {
		t.Fatal("password not changed")
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	s := start(t)
	addUser(t, s.DB, "lan", survey.RoleViewer)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		c := s.client(t)
		tok := c.csrfFrom("/login")
		res, _ := c.do("POST", "/login", url.Values{"_csrf": {tok}, "username": {"lan"}, "password": {"dung-mat-khau-1"}, "next": {next}}, nil)
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
}
