package bolt_test

import (
	"fmt"
	"hailong/survey"
	"hailong/survey/bolt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// benchOrg makes 30 agencies in one group, each with a counter.
func benchOrg(tb testing.TB, db *bolt.DB) []string {
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

func quayResponse(rng *rand.Rand, unit string, at time.Time, withID bool) *survey.Response {
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Unit: unit, Counter: unit + "-q1",
		Answers: map[string]int{}, SubmittedAt: at, ReceivedAt: at.Add(time.Second)}
	for _, k := range []string{"overall", "access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"} {
		r.Answers[k] = 1 + rng.Intn(5)
	}
	if withID {
		r.ID = uuid.NewString()
	}
	return r
}

// BenchmarkGroupCommit measures durable Submit calls per second (no HTTP)
// with 1, 8 and 64 concurrent writers.
func BenchmarkGroupCommit(b *testing.B) {
	for _, writers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := MustOpen(b)
			units := benchOrg(b, db)
			const total = 40000
			var wg sync.WaitGroup
			start := time.Now()
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					rng := rand.New(rand.NewSource(int64(w)))
					for i := w; i < total; i += writers {
						r := quayResponse(rng, units[i%len(units)], time.Now(), true)
						if _, err := db.Submit(r); err != nil {
							b.Error(err)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			b.ReportMetric(total/time.Since(start).Seconds(), "submits/s")
		})
	}
}

// BenchmarkStorage1M stores 1,000,000 kiosk responses (with idempotency
// keys) over one year and 30 agencies, then reports bytes per response on
// disk (per bucket: log and heads are the tamper-evident log), a one-unit
// one-year count from the aggregates, reindex and log verification times and
// the process's anonymous memory.
func BenchmarkStorage1M(b *testing.B) {
	n := 1000000
	if s := os.Getenv("HAILONG_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	path := filepath.Join(b.TempDir(), "hailong.db")
	db, err := bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		b.Fatal(err)
	}
	units := benchOrg(b, db)
	rng := rand.New(rand.NewSource(1))
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm)
	start := end.AddDate(-1, 0, 0)
	step := end.Sub(start) / time.Duration(n)
	t0 := time.Now()
	const chunk = 20000
	batch := make([]*survey.Response, 0, chunk)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		r := quayResponse(rng, units[rng.Intn(len(units))], at, true)
		r.Kiosk = ""
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
	insert := time.Since(t0)
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size())/float64(n), "bytes/response")
	for name, alloc := range db.BucketBytes() {
		b.ReportMetric(float64(alloc)/float64(n), name+"-B/resp")
	}
	b.ReportMetric(float64(n)/insert.Seconds(), "inserts/s")

	q := survey.CountQuery{Dim: survey.DimBase, Units: []string{units[3]}, From: start, To: end.AddDate(0, 0, -1)}
	const reps = 200
	t1 := time.Now()
	for i := 0; i < reps; i++ {
		if _, err := db.Count(q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(t1).Microseconds())/reps, "count-unit-year-µs")
	q.Units = db.Subtree("tinh")
	t2 := time.Now()
	for i := 0; i < 20; i++ {
		db.Count(q)
	}
	b.ReportMetric(float64(time.Since(t2).Microseconds())/20, "count-all-year-µs")
	t3 := time.Now()
	if _, err := db.Reindex(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t3).Seconds(), "reindex-s")
	t5 := time.Now()
	rep, err := db.VerifyLog(nil, nil)
	if err != nil || !rep.OK || rep.Responses != uint64(n) {
		b.Fatalf("verify: %v %+v", err, rep)
	}
	b.ReportMetric(time.Since(t5).Seconds(), "verify-s")
	b.ReportMetric(float64(rssAnonKB())/1024, "rss-anon-MB")
	db.Close()
	t4 := time.Now()
	db, err = bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(t4).Microseconds())/1000, "reopen-ms")
	db.Close()
}

func rssAnonKB() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "RssAnon:") {
			f := strings.Fields(line)
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}
