package admin_test

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
	"testing"

	"hailong/admin"
	"hailong/survey"
	"hailong/web"
)

// server is a real admin server on a loopback port over a real bbolt file.
type server struct {
	URL string
	DB  *bolt.DB
}

// newServer starts web + accounts + admin routes on 127.0.0.1:0 with units
// prov > (so-a, so-b) and group khoi-so.
func newServer(t *testing.T) *server {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{
		{ID: "prov", Name: "Tỉnh Khánh Hòa"},
		{ID: "so-a", Name: "Sở A", Parent: "prov", Group: "khoi-so"},
		{ID: "so-b", Name: "Sở B", Parent: "prov", Group: "khoi-so"},
	}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d := &web.Deps{Services: survey.ServicesOf(db), Log: log, Metrics: web.NewMetrics(db), PublicURL: "http://example.test"}
	app := web.New(d)
	web.AccountRoutes(app, d)
	admin.Routes(app, d)
	app.Use(web.NotFound)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() {
		_ = app.Shutdown()
		db.Close()
	})
	return &server{URL: "http://" + ln.Addr().String(), DB: db}
}

// browser is a logged-in user: a cookie jar and the session's CSRF token.
type browser struct {
	t    *testing.T
	s    *server
	c    *http.Client
	CSRF string
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login creates user name with role and unit, logs in through /login and
// returns the browser.
func (s *server) login(t *testing.T, name, role, unit string) *browser {
	t.Helper()
	if err := s.DB.CreateUser(survey.User{Username: name, Role: role, Unit: unit}, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, body := b.get("/login")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF field on the login page")
	}
	st, _ := b.postForm("/login", url.Values{"_csrf": {m[1]}, "username": {name}, "password": {"mat-khau-dai-1"}})
	if st != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", name, st)
	}
	_, body = b.get("/account/password")
	if m = csrfRE.FindStringSubmatch(body); m == nil {
		t.Fatal("no CSRF field once logged in")
	}
	b.CSRF = m[1]
	return b
}

// get fetches path as a browser would (Accept: text/html).
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.s.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// postForm posts a form as is (add "_csrf" yourself, or use post).
func (b *browser) postForm(path string, v url.Values) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.s.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// post posts a form with the session's CSRF token.
func (b *browser) post(path string, v url.Values) (int, string) {
	b.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("_csrf", b.CSRF)
	return b.postForm(path, v)
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestIndexByRole(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	if st, body := adm.get("/admin/"); st != 200 || !strings.Contains(body, "/admin/users") {
		t.Fatalf("admin index: %d", st)
	}
	mgr := s.login(t, "giamdoc", survey.RoleManager, "so-a")
	if st, body := mgr.get("/admin/"); st != 200 || strings.Contains(body, "/admin/users") {
		t.Fatalf("manager index: %d, shows admin-only links: %v", st, strings.Contains(body, "/admin/users"))
	}
	v := s.login(t, "xem", survey.RoleViewer, "")
	if st, _ := v.get("/admin/"); st != http.StatusForbidden {
		t.Fatalf("viewer on /admin/: %d, want 403", st)
	}
	anon := &browser{t: t, s: s, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if st, _ := anon.get("/admin/"); st != http.StatusSeeOther {
		t.Fatalf("anonymous on /admin/: %d, want 303 to /login", st)
	}
}
