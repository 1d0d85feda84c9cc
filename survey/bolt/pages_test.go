package bolt_test

import (
	"math/rand"
	"sync"
	"testing"
	"time"
)

// BenchmarkCommitPages counts what 64 concurrent writers cost bbolt, load
// independent: pages written and commits per 1,000 submissions.
func BenchmarkCommitPages(b *testing.B) {
	db := MustOpen(b)
	units := benchOrg(b, db)
	before := db.Bolt().Stats().TxStats
	const total = 20000
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for i := w; i < total; i += 64 {
				if _, err := db.Submit(quayResponse(rng, units[i%len(units)], time.Now(), true)); err != nil {
					b.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	after := db.Bolt().Stats().TxStats
	b.ReportMetric(float64(after.GetWrite()-before.GetWrite())*1000/total, "pages/1000")
	b.ReportMetric(float64(db.Bolt().Stats().TxN), "tx")
}
