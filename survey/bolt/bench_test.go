package bolt_test

import (
	"bufio"
	"fmt"
	"hailong/survey"
	"hailong/survey/bolt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
// with 1, 8 and 64 concurrent writers, and with 64 writers while a webhook
// subscribes to response.created (each response then also queues a
// delivery in its transaction).
func BenchmarkGroupCommit(b *testing.B) {
	for _, writers := range []int{1, 8, 64, -64} {
		name := fmt.Sprintf("writers=%d", writers)
		if writers < 0 {
			writers, name = -writers, fmt.Sprintf("writers=%d/webhook", -writers)
		}
		b.Run(name, func(b *testing.B) {
			db := MustOpen(b)
			units := benchOrg(b, db)
			if strings.HasSuffix(name, "/webhook") {
				if _, err := db.PutWebhook(survey.Webhook{Name: "bench", URL: "https://example.org/h", Events: []string{survey.EventResponseCreated}}, "bench"); err != nil {
					b.Fatal(err)
				}
			}
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

// benchN is the number of responses of the storage benchmarks: 1,000,000
// unless HAILONG_BENCH_N says otherwise (10000000 for a national year).
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("HAILONG_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 1000000
}

// benchOrder returns the i-th of n positions in the order responses arrive:
// "time" (default) in time order, "agency" grouped by agency, then by time,
// as an office exports, "scattered" in no order (HAILONG_BENCH_ORDER). Position p is the p-th in time
// and belongs to agency p mod 30.
func benchOrder(order string, n, i int) int {
	switch order {
	case "agency":
	case "scattered": // each row far from the previous: i·s mod n, s prime near 0.618 n
		s := int(float64(n)*0.618) | 1
		for !bigPrime(s) || n%s == 0 {
			s += 2
		}
		return int(uint64(i) * uint64(s) % uint64(n))
	default:
		return i
	}
	per := (n + 29) / 30 // agency u holds positions u, u+30, u+60, … (fewer for the last ones when n%30 != 0)
	for u := 0; u < 30; u++ {
		cnt := per
		if rem := n % 30; rem != 0 && u >= rem {
			cnt = per - 1
		}
		if i < cnt {
			return u + 30*i
		}
		i -= cnt
	}
	panic("position out of range")
}

func bigPrime(s int) bool {
	for d := 3; d*d <= s; d += 2 {
		if s%d == 0 {
			return false
		}
	}
	return true
}

// BenchmarkStorage1M stores 1,000,000 kiosk responses (with idempotency
// keys) over one year and 30 agencies, then reports bytes per response on
// disk (per bucket: log and heads are the tamper-evident log), a one-unit
// one-year count from the aggregates, reindex and log verification times and
// the process's anonymous memory; then compacts the file and reports bytes
// per response again.
//
//	go test -run '^$' -bench Storage1M -benchtime 1x -timeout 60m ./survey/bolt
//
// HAILONG_BENCH_N=10000000 for ten times the scale; HAILONG_BENCH_ORDER=agency
// inserts the same responses grouped by agency, then by time.
func BenchmarkStorage1M(b *testing.B) {
	n, order := benchN(), os.Getenv("HAILONG_BENCH_ORDER")
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
		p := benchOrder(order, n, i)
		r := quayResponse(rng, units[p%len(units)], start.Add(time.Duration(p)*step), true)
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
	cs, err := db.Compact(false)
	if err != nil || cs.Responses != n {
		b.Fatalf("compact: %+v %v", cs, err)
	}
	b.ReportMetric(cs.Duration.Seconds(), "compact-s")
	b.ReportMetric(float64(cs.After)/float64(n), "compacted-bytes/response")
	t4 := time.Now()
	db, err = bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(t4).Microseconds())/1000, "reopen-ms")
	db.Close()
}

// writeQuayCSV writes n kiosk quay responses (7 criteria, a counter, no
// comment) of the 30 agencies of benchOrg over the year before end, in the
// order of benchOrder.
func writeQuayCSV(tb testing.TB, path string, n int, order string, end time.Time) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website,counter\n")
	start := end.AddDate(-1, 0, 0)
	step := end.Sub(start) / time.Duration(n)
	var line []byte
	for i := 0; i < n; i++ {
		p := benchOrder(order, n, i)
		unit := fmt.Sprintf("so-%02d", p%30)
		line = start.Add(time.Duration(p)*step).AppendFormat(line[:0], "2006-01-02 15:04:05.000")
		line = append(line, ","+unit+",kiosk,quay"...)
		x := uint64(p+1) * 0x9E3779B97F4A7C15 // scores follow the position, whatever the order
		for c := 0; c < 7; c++ {
			line = append(line, ',', byte('1'+(x>>(8*c))%5))
		}
		line = append(line, ","+unit+"-q1\n"...)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkImportOrder imports a CSV of 1,000,000 kiosk responses (env
// HAILONG_BENCH_N) into a fresh store, in time order, grouped by agency
// then time (how offices export: the import merges the 30 runs) and in no
// order (HAILONG_BENCH_ORDER=time,agency,scattered picks), and reports
// rows/s, bytes per response on disk after the import, the slack that
// decides whether `hailong import responses` compacts (≥ 20 %), then
// compacts anyway and reports bytes per response after, the compaction's
// time, and the highest Go heap in use during the import.
//
//	go test -run '^$' -bench ImportOrder -benchtime 1x -timeout 60m ./survey/bolt
func BenchmarkImportOrder(b *testing.B) {
	n := benchN()
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm)
	orders := []string{"time", "agency", "scattered"}
	if o := os.Getenv("HAILONG_BENCH_ORDER"); o != "" {
		orders = strings.Split(o, ",")
	}
	for _, order := range orders {
		b.Run("order="+order, func(b *testing.B) {
			dir := b.TempDir()
			csv := filepath.Join(dir, "responses.csv")
			writeQuayCSV(b, csv, n, order, end)
			path := filepath.Join(dir, "hailong.db")
			db, err := bolt.Open(path, bolt.Options{Loc: hcm, Now: func() time.Time { return end }})
			if err != nil {
				b.Fatal(err)
			}
			benchOrg(b, db)
			var peak atomic.Uint64
			stop := make(chan struct{})
			go func() {
				var ms runtime.MemStats
				for {
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
					}
				}
			}()
			st, err := db.ImportResponses(csv, "admin")
			close(stop)
			if err != nil || st.Rows != n {
				b.Fatalf("%+v %v", st, err)
			}
			size, slack := db.Slack()
			fi, _ := os.Stat(path)
			b.ReportMetric(float64(n)/st.Duration.Seconds(), "rows/s")
			b.ReportMetric(float64(fi.Size())/float64(n), "bytes/response")
			b.ReportMetric(100*float64(slack)/float64(size), "slack-%")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			cs, err := db.Compact(false)
			if err != nil || cs.Responses != n {
				b.Fatalf("compact: %+v %v", cs, err)
			}
			b.ReportMetric(cs.Duration.Seconds(), "compact-s")
			b.ReportMetric(float64(cs.After)/float64(n), "compacted-bytes/response")
			b.ReportMetric(float64(n)/(st.Duration+cs.Duration).Seconds(), "rows/s-with-compact")
		})
	}
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
