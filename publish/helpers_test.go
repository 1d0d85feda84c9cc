package publish_test

import (
	"hailong/survey"
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/publish"
	"hailong/publish/pubtest"
	"hailong/web"
)

// The public routes on a real server (127.0.0.1:0) over a real bbolt file
// seeded by pubtest, with the clock at 15 June 2026: the default period is
// 2025, published from 1 March 2025.

var testNow = time.Date(2026, time.June, 15, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))

type env struct {
	URL string
	DB  *bolt.DB
	Fx  pubtest.Fixture
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := pubtest.Seed(survey.ServicesOf(db), 2025)
	if err != nil {
		t.Fatal(err)
	}
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: "http://example.test"}
	app := web.New(d)
	publish.Routes(app, d)
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
	e := &env{URL: "http://" + ln.Addr().String(), DB: db, Fx: fx}
	e.set(t, func(p *survey.PublishSettings) {
		p.Enabled, p.From, p.Groups, p.Exclude = true, day(t, fx.PublishFrom), []string{pubtest.GroupID}, []string{pubtest.HiddenUnitID}
	})
	return e
}

// set changes the publication settings.
func (e *env) set(t testing.TB, edit func(p *survey.PublishSettings)) {
	t.Helper()
	s := e.DB.Settings()
	edit(&s.Publish)
	if err := e.DB.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
}

func day(t testing.TB, s string) int32 {
	t.Helper()
	d, ok := survey.ParseDay(s)
	if !ok {
		t.Fatalf("bad date %s", s)
	}
	return d
}

// get fetches path as a browser (Accept: text/html) and returns the status,
// the headers and the body.
func (e *env) get(t testing.TB, path string, hdr ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("%s: shows %q", what, b)
		}
	}
}
