package pg_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
	"hailong/survey/pg"
)

// BenchmarkGroupCommit measures durable Submit calls per second (no HTTP)
// with 1, 8 and 64 concurrent writers on the test cluster (fsync on, Unix
// socket), the counterpart of survey/bolt's benchmark of the same name;
// it also reports how many submissions shared a commit.
//
//	go test ./survey/pg -run '^$' -bench GroupCommit -benchtime 1x
func BenchmarkGroupCommit(b *testing.B) {
	for _, writers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := openAt(b, fresh(b), time.Now)
			units := benchOrg(b, db)
			total := benchTotal()
			var wg sync.WaitGroup
			start := time.Now()
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					rng := rand.New(rand.NewSource(int64(w)))
					for i := w; i < total; i += writers {
						if _, err := db.Submit(quayResponse(rng, units[i%len(units)], time.Now())); err != nil {
							b.Error(err)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			b.ReportMetric(float64(total)/time.Since(start).Seconds(), "submits/s")
			commits, subs := db.WriterStats()
			b.ReportMetric(float64(subs)/float64(commits), "per-commit")
		})
	}
}

// BenchmarkSubmitParallel is BenchmarkGroupCommit's 64 writers as a
// standard parallel benchmark (b.N submissions over 64 goroutines):
//
//	go test ./survey/pg -run '^$' -bench Submit
func BenchmarkSubmitParallel(b *testing.B) {
	db := openAt(b, fresh(b), time.Now)
	units := benchOrg(b, db)
	var seed atomic.Int64
	b.SetParallelism((64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewSource(seed.Add(1)))
		for i := 0; pb.Next(); i++ {
			if _, err := db.Submit(quayResponse(rng, units[i%len(units)], time.Now())); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submits/s")
	commits, subs := db.WriterStats()
	b.ReportMetric(float64(subs)/float64(max(commits, 1)), "per-commit")
}

// benchTotal is the number of submissions per run: 20,000 unless
// HAILONG_BENCH_N says otherwise.
func benchTotal() int {
	if n, err := strconv.Atoi(os.Getenv("HAILONG_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// benchOrg makes 30 agencies in one group, each with a counter (as
// survey/bolt's benchmarks do).
func benchOrg(tb testing.TB, db *pg.DB) []string {
	units := []survey.Unit{{ID: "tinh", Name: "Tỉnh"}}
	var ids []string
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("so-%02d", i)
		ids = append(ids, id)
		units = append(units, survey.Unit{ID: id, Name: "Sở " + id, Parent: "tinh", Group: "khoi-so"})
	}
	if err := db.PutUnits(units); err != nil {
		tb.Fatal(err)
	}
	for _, id := range ids {
		if err := db.PutCounter(survey.Counter{ID: id + "-q1", Unit: id, Name: "Quầy 1"}); err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

func quayResponse(rng *rand.Rand, unit string, at time.Time) *survey.Response {
	r := &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelKiosk, Unit: unit, Counter: unit + "-q1",
		Answers: map[string]int{}, SubmittedAt: at, ReceivedAt: at.Add(time.Second)}
	for _, k := range []string{"overall", "access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"} {
		r.Answers[k] = 1 + rng.Intn(5)
	}
	return r
}

// BenchmarkStorage stores HAILONG_BENCH_N kiosk responses (default 100,000;
// BenchmarkStorage1M of survey/bolt does 1,000,000) over one year and 30
// agencies with InsertMany, then reports bytes per response by table, a
// one-unit and an all-units one-year Count from the count rows, Reindex and
// VerifyLog times.
//
//	HAILONG_BENCH_N=100000 go test ./survey/pg -run '^$' -bench Storage -benchtime 1x
func BenchmarkStorage(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("HAILONG_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	db := openAt(b, fresh(b), time.Now)
	units := benchOrg(b, db)
	rng := rand.New(rand.NewSource(1))
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm)
	start := end.AddDate(-1, 0, 0)
	step := end.Sub(start) / time.Duration(n)
	t0 := time.Now()
	batch := make([]*survey.Response, 0, 20000)
	for i := 0; i < n; i++ {
		r := quayResponse(rng, units[i%len(units)], start.Add(time.Duration(i)*step))
		if err := db.Prepare(r); err != nil {
			b.Fatal(err)
		}
		if batch = append(batch, r); len(batch) == cap(batch) || i == n-1 {
			if err := db.InsertMany(batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "inserts/s")
	if _, err := db.Pool().Exec(context.Background(), "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	total := 0
	for name, bytes := range db.BucketBytes() {
		if name == "responses" || name == "count_blocks" || name == "log" {
			b.ReportMetric(float64(bytes)/float64(n), name+"-B/resp")
		}
		total += bytes
	}
	b.ReportMetric(float64(total)/float64(n), "tables-B/resp")
	q := survey.CountQuery{Dim: survey.DimBase, Units: []string{units[3]}, From: start, To: end.AddDate(0, 0, -1)}
	b.ReportMetric(perCall(b, 50, func() error { _, err := db.Count(q); return err }), "count-unit-year-µs")
	q.Units = db.Subtree("tinh")
	b.ReportMetric(perCall(b, 10, func() error { _, err := db.Count(q); return err }), "count-all-year-µs")
	t1 := time.Now()
	if _, err := db.Reindex(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t1).Seconds(), "reindex-s")
	t2 := time.Now()
	if rep, err := db.VerifyLog(nil, nil); err != nil || !rep.OK || rep.Responses != uint64(n) {
		b.Fatalf("verify: %v %+v", err, rep)
	}
	b.ReportMetric(time.Since(t2).Seconds(), "verify-s")
}

// perCall returns the mean µs of reps calls of fn.
func perCall(b *testing.B, reps int, fn func() error) float64 {
	start := time.Now()
	for i := 0; i < reps; i++ {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(time.Since(start).Microseconds()) / float64(reps)
}
