package kiosk

import (
	"bytes"
	"encoding/json"
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
	"hailong/survey"
	"hailong/web"
)

// mustDB opens a store on a real bbolt file with a small organisation: a
// province, two agencies with a counter and a staff member each.
func mustDB(tb testing.TB) *bolt.DB {
	tb.Helper()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"), bolt.Options{Loc: loc})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(db.PutUnits([]survey.Unit{{ID: "tinh", Name: "UBND Tỉnh"},
		{ID: "so-a", Name: "Sở Công Thương", Parent: "tinh", Group: "khoi-so"},
		{ID: "so-b", Name: "Sở Tư pháp", Parent: "tinh", Group: "khoi-so"}}))
	must(db.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}))
	must(db.PutCounter(survey.Counter{ID: "b-q1", Unit: "so-b", Name: "Quầy 1"}))
	must(db.PutStaff(survey.Staff{ID: "nv-lan", Unit: "so-a", Name: "Nguyễn Thị Lan", Position: "Chuyên viên"}))
	must(db.PutStaff(survey.Staff{ID: "nv-hung", Unit: "so-b", Name: "Trần Văn Hùng"}))
	return db
}

// mustKiosk adds and pairs a kiosk of so-a at counter; it returns the kiosk
// and its device key (the cookie value).
func mustKiosk(tb testing.TB, db *bolt.DB, counter string) (*survey.Kiosk, string) {
	tb.Helper()
	code, err := db.AddKiosk(survey.Kiosk{ID: "kiosk-" + counter, Unit: "so-a", Counter: counter, Name: "Ki-ốt " + counter})
	if err != nil {
		tb.Fatal(err)
	}
	k, key, err := db.PairKiosk(code)
	if err != nil {
		tb.Fatal(err)
	}
	return k, key
}

func mustToken(tb testing.TB, db *bolt.DB, role, unit string) string {
	tb.Helper()
	s, err := db.AddToken(survey.Token{Name: role + " " + unit, Role: role, Unit: unit})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// newApp wires the app as cmd/hailong does: web, static, kiosk routes.
func newApp(db *bolt.DB) *fiber.App {
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: web.NewMetrics(db)}
	app := web.New(d)
	app.Get("/static/*", static.Handler)
	Routes(app, d)
	app.Use(web.NotFound)
	return app
}

type result struct {
	Status int
	Header map[string]string
	Raw    []byte
	Body   map[string]any
}

func (r result) code() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r result) field() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["field"].(string)
	return s
}

// do sends a request through the app. auth is "Bearer <token>", "kiosk=<key>"
// or "".
func do(tb testing.TB, app *fiber.App, method, url, auth, body string) result {
	tb.Helper()
	req := httptest.NewRequest(method, url, bytes.NewReader([]byte(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case len(auth) > 6 && auth[:6] == "kiosk=":
		req.Header.Set("Cookie", web.KioskCookie+"="+auth[6:])
	case auth != "":
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := app.Test(req, 5000)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{Status: resp.StatusCode, Raw: raw, Header: map[string]string{}}
	for k := range resp.Header {
		r.Header[k] = resp.Header.Get(k)
	}
	_ = json.Unmarshal(raw, &r.Body)
	return r
}
