package analytics

import (
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/demo"
	"hailong/static"
	"hailong/survey"
	"hailong/web"
)

// BenchmarkDashboardDemo measures the pages over the demo province
// (~240,000 responses, ~63,000 dossiers, two years): each page through the
// real route (session, query parsing, every query, template rendering),
// p50 and p99 over repeated calls, for Sở Công Thương's manager and for the
// whole province; and the responses.csv export of the whole province's year
// (docs/BENCHMARKS.md "Dashboard"):
//
//	go test ./analytics -run '^$' -bench DashboardDemo -benchtime 1x
func BenchmarkDashboardDemo(b *testing.B) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, hcm)
	db, err := bolt.Open(filepath.Join(b.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(db, now, 1); err != nil {
		b.Fatal(err)
	}
	app := benchPagesApp(db)
	manager, admin := benchSession(b, db, "bench-manager", survey.RoleManager, "so-cong-thuong"), benchSession(b, db, "bench-admin", survey.RoleAdmin, "")
	for _, c := range []struct {
		name, sid, path string
		calls           int
	}{
		{"dashboard-sct", manager, "/dashboard", 50},
		{"dashboard-province", admin, "/dashboard", 20},
		{"criterion-sct", manager, "/dashboard/criteria/facilities", 50},
		{"comments-sct", manager, "/dashboard/comments", 50},
		{"report-sct-year", manager, "/reports/official?p=2025", 10},
		{"summary-xlsx-sct", manager, "/exports/summary.xlsx", 10},
		{"review-province", admin, "/review", 10},
	} {
		p50, p99, size := benchPage(b, app, c.sid, c.path, c.calls)
		b.ReportMetric(ms(p50), c.name+"-p50-ms")
		b.ReportMetric(ms(p99), c.name+"-p99-ms")
		b.Logf("%-20s %s: p50 %.1f ms, p99 %.1f ms, %d bytes", c.name, c.path, ms(p50), ms(p99), size)
	}
	t0 := time.Now()
	_, _, size := benchPage(b, app, admin, "/exports/responses.csv?p=2025", 1)
	d := time.Since(t0)
	b.ReportMetric(d.Seconds()*1000, "responses-csv-province-year-ms")
	b.Logf("responses.csv, province, 2025: %d bytes in %v", size, d.Round(time.Millisecond))
}

// BenchmarkDashboard1M measures the dashboard of one agency among 30 over
// 1,000,000 responses (the store of BenchmarkSummary1M):
//
//	go test ./analytics -run '^$' -bench Dashboard1M -benchtime 1x
func BenchmarkDashboard1M(b *testing.B) {
	n := 1000000
	if s := os.Getenv("HAILONG_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm)
	db, err := bolt.Open(filepath.Join(b.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return end }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	units := benchLoad(b, db, n, end, "")
	app := benchPagesApp(db)
	sid := benchSession(b, db, "bench-admin", survey.RoleAdmin, "")
	p50, p99, _ := benchPage(b, app, sid, "/dashboard?unit="+units[7], 50)
	b.ReportMetric(float64(n), "responses")
	b.ReportMetric(ms(p50), "dashboard-p50-ms")
	b.ReportMetric(ms(p99), "dashboard-p99-ms")
	p50, p99, _ = benchPage(b, app, sid, "/dashboard/comments?unit="+units[7], 50)
	b.ReportMetric(ms(p50), "comments-p50-ms")
	b.ReportMetric(ms(p99), "comments-p99-ms")
	p50, p99, _ = benchPage(b, app, sid, "/review", 5) // every response of the last 90 days
	b.ReportMetric(ms(p50), "review-p50-ms")
	b.ReportMetric(ms(p99), "review-p99-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func benchPagesApp(db *bolt.DB) *fiber.App {
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := web.New(d)
	app.Get("/static/*", static.Handler)
	Routes(app, d)
	return app
}

func benchSession(b *testing.B, db *bolt.DB, name, role, unit string) string {
	if err := db.CreateUser(survey.User{Username: name, Role: role, Unit: unit}, "mật-khẩu-đủ-dài-1"); err != nil {
		b.Fatal(err)
	}
	sid, _, err := db.CreateSession(name)
	if err != nil {
		b.Fatal(err)
	}
	return sid
}

// benchPage requests path calls times and returns the p50 and p99 times
// and the size of the last answer.
func benchPage(b *testing.B, app *fiber.App, sid, path string, calls int) (p50, p99 time.Duration, size int) {
	var ds []time.Duration
	for i := 0; i < calls; i++ {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sid})
		t0 := time.Now()
		resp, err := app.Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%s: %v %v", path, err, resp)
		}
		body, _ := io.ReadAll(resp.Body)
		ds = append(ds, time.Since(t0))
		size = len(body)
	}
	return percentile(ds, 50), percentile(ds, 99), size
}
