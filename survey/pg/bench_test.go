package pg_test

import (
	"fmt"
	"math/rand"
	"sync"
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
			const total = 20000
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
			b.ReportMetric(total/time.Since(start).Seconds(), "submits/s")
			commits, subs := db.WriterStats()
			b.ReportMetric(float64(subs)/float64(commits), "per-commit")
		})
	}
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
