package analytics

import (
	"bufio"
	"fmt"
	"hailong/analytics/engine"
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"math/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// BenchmarkSummary1M measures the full summary — every criterion and
// element, the previous year, the rank among 30 agencies of one group —
// over 1,000,000 stored responses (two years, 30 agencies), p50 and p99 over
// 200 calls, from the counters; then the same answer from a raw scan of the
// responses, for the ratio (docs/BENCHMARKS.md "Analytics"):
//
//	go test ./analytics -run '^$' -bench Summary1M -benchtime 1x
//
// HAILONG_BENCH_N sets the number of responses; HAILONG_BENCH_CSV=FILE also
// writes them as CSV for scripts/bench-postgres.sh.
func BenchmarkSummary1M(b *testing.B) {
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
	units := benchLoad(b, db, n, end, os.Getenv("HAILONG_BENCH_CSV"))
	year := engine.Period{From: day(2025, 11, 1), To: day(2026, 10, 31)} // previous: Nov 2024 – Oct 2025

	const calls = 200
	var summaries, route []time.Duration
	var last *engine.Summary
	for i := 0; i < calls; i++ {
		t0 := time.Now()
		s, err := newEngine(survey.ServicesOf(db), "").Summary(engine.Filter{Unit: units[i%len(units)]}, year)
		if err != nil {
			b.Fatal(err)
		}
		summaries = append(summaries, time.Since(t0))
		last = s
	}
	if last.Rank == nil || last.Rank.Members != 30 || len(last.Current.Criteria) != 7 || len(last.Current.Elements) != 4 || !last.Previous.Index.OK {
		b.Fatalf("not a full summary: %+v", last.Rank)
	}
	app, token := benchApp(b, db)
	for i := 0; i < calls; i++ {
		req := httptest.NewRequest("GET", "/api/v1/analytics/summary?unit="+units[i%len(units)]+"&from=2025-11-01&to=2026-10-31", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		t0 := time.Now()
		resp, err := app.Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("route: %v %v", err, resp)
		}
		io.Copy(io.Discard, resp.Body)
		route = append(route, time.Since(t0))
	}

	// The same answer from a raw scan: one pass over each year's responses,
	// summed per agency, then the same math.
	var scans []time.Duration
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		raw := rawSummary(b, db, units, units[i], year)
		scans = append(scans, time.Since(t0))
		want, _ := newEngine(survey.ServicesOf(db), "").Summary(engine.Filter{Unit: units[i]}, year)
		if raw.Current.Index != want.Current.Index || raw.Rank.Position != want.Rank.Position || raw.Rank.PreviousPosition != want.Rank.PreviousPosition {
			b.Fatalf("raw scan differs: %+v vs %+v", raw.Current.Index, want.Current.Index)
		}
	}
	if os.Getenv("HAILONG_BENCH_CSV") != "" { // for scripts/bench-postgres.sh to compare
		eng := newEngine(survey.ServicesOf(db), "")
		for _, u := range units[len(units)-3:] {
			r, _, _ := eng.Index(&engine.Filter{Units: []string{u}}, year)
			b.Logf("index of %s: %.2f (n %d)", u, r.Index.Value, r.Index.N)
		}
	}
	p50, p99 := percentile(summaries, 50), percentile(summaries, 99)
	b.ReportMetric(float64(n), "responses")
	b.ReportMetric(us(p50), "summary-p50-µs")
	b.ReportMetric(us(p99), "summary-p99-µs")
	b.ReportMetric(us(percentile(route, 50)), "route-p50-µs")
	b.ReportMetric(us(percentile(route, 99)), "route-p99-µs")
	b.ReportMetric(us(percentile(scans, 50))/1000, "rawscan-p50-ms")
	b.ReportMetric(float64(percentile(scans, 50))/float64(p50), "rawscan/summary")
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

var benchCriteria = []string{"overall", "access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"}

// benchLoad makes 30 agencies of khối Sở, each with a counter, and n kiosk
// responses over the two years before end (each agency with its own level
// of satisfaction, so that ranks mean something), inserted 20,000 per
// transaction. With csvPath it also writes them as CSV.
func benchLoad(b *testing.B, db *bolt.DB, n int, end time.Time, csvPath string) []string {
	units := []survey.Unit{{ID: "tinh", Name: "Tỉnh"}}
	var ids []string
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("so-%02d", i)
		ids = append(ids, id)
		units = append(units, survey.Unit{ID: id, Name: "Sở " + id, Parent: "tinh", Group: "khoi-so"})
	}
	if err := db.PutUnits(units); err != nil {
		b.Fatal(err)
	}
	for _, id := range ids {
		if err := db.PutCounter(survey.Counter{ID: id + "-q1", Unit: id, Name: "Quầy 1"}); err != nil {
			b.Fatal(err)
		}
	}
	var csv *bufio.Writer
	if csvPath != "" {
		f, err := os.Create(csvPath)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		csv = bufio.NewWriterSize(f, 1<<20)
		defer csv.Flush()
	}
	rng := rand.New(rand.NewSource(1))
	start := end.AddDate(-2, 0, 0)
	step := end.Sub(start) / time.Duration(n)
	t0 := time.Now()
	const chunk = 20000
	batch := make([]*survey.Response, 0, chunk)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		u := rng.Intn(len(ids))
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Unit: ids[u], Counter: ids[u] + "-q1",
			Answers: map[string]int{}, SubmittedAt: at, ReceivedAt: at.Add(time.Second)}
		lift := 0.4 + 0.5*float64(u)/30 // the agency's chance of a satisfied answer
		for j, k := range benchCriteria {
			switch x := rng.Float64(); {
			case j > 0 && x < 0.1: // unanswered
			case j > 0 && x < 0.15:
				r.Answers[k] = survey.NA
			case rng.Float64() < lift:
				r.Answers[k] = 4 + rng.Intn(2)
			default:
				r.Answers[k] = 1 + rng.Intn(3)
			}
		}
		if csv != nil {
			fmt.Fprintf(csv, "%s,%s,kiosk,quay", at.Format(time.RFC3339Nano), r.Unit)
			for _, k := range benchCriteria {
				if v, ok := r.Answers[k]; ok {
					fmt.Fprintf(csv, ",%d", v)
				} else {
					csv.WriteString(",")
				}
			}
			csv.WriteString("\n")
		}
		if err := db.Prepare(r); err != nil {
			b.Fatal(err)
		}
		batch = append(batch, r)
		if len(batch) == chunk || i == n-1 {
			if err := db.InsertMany(batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	b.ReportMetric(time.Since(t0).Seconds(), "load-s")
	return ids
}

// rawSummary computes what Engine.Summary does from raw scans: each period's
// responses are read once and summed per agency.
func rawSummary(b *testing.B, db *bolt.DB, agencies []string, unit string, p engine.Period) *engine.Summary {
	eng := newEngine(survey.ServicesOf(db), "")
	byAgency := func(p engine.Period) map[string]engine.Result {
		q := survey.CountQuery{Dim: survey.DimBase, From: p.Start(hcm), To: survey.DayStart(p.To, hcm)}
		ts, err := scanTallies(db, q, func(r *survey.Response) (string, bool) {
			a, _ := eng.Org().GroupOf(r.Unit)
			return a, a != ""
		})
		if err != nil {
			b.Fatal(err)
		}
		out := map[string]engine.Result{}
		for a, t := range ts {
			out[a] = engine.Compute(t, eng.Cat, eng.Cfg.Method)
		}
		return out
	}
	s := &engine.Summary{Period: p, PreviousPeriod: p.Previous()}
	cur, prev := byAgency(p), byAgency(s.PreviousPeriod)
	s.Current, s.Previous = cur[unit], prev[unit]
	var rc, rp []engine.Rankable
	for _, a := range agencies {
		rc = append(rc, engine.Rankable{ID: a, Value: cur[a].Index.Value, OK: cur[a].Index.OK, N: cur[a].Index.N})
		rp = append(rp, engine.Rankable{ID: a, Value: prev[a].Index.Value, OK: prev[a].Index.OK, N: prev[a].Index.N})
	}
	pos, of := engine.Rank(rc, eng.Cfg.MinN)
	ppos, pof := engine.Rank(rp, eng.Cfg.MinN)
	s.Rank = &engine.RankInfo{Unit: unit, Group: "khoi-so", Position: pos[unit], Of: of, Members: len(agencies), PreviousPosition: ppos[unit], PreviousOf: pof}
	return s
}

// benchApp builds the Fiber app with the analytics routes and a viewer token.
func benchApp(b *testing.B, db *bolt.DB) (*fiber.App, string) {
	token, err := db.AddToken(survey.Token{ID: "bench", Name: "bench", Role: survey.RoleViewer})
	if err != nil {
		b.Fatal(err)
	}
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := web.New(d)
	Routes(app, d)
	return app, token
}
