package engine

import (
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"hailong/demo"
	"hailong/survey"
	"hailong/survey/bolt"
)

// BenchmarkSatisfaction766 measures the 766 satisfaction figures, one scan
// of the period's dossiers (their Negative mark kept by the store) and the
// cases: over the demo province (~63,000 dossiers over two years) for Sở
// Công Thương's year and the whole province's, and over one agency with
// 100,000 dossiers received in a year, 60 % answered, and 2,000 cases
// (docs/BENCHMARKS.md "The 766 figures"):
//
//	go test ./analytics/engine -run '^$' -bench 766 -benchtime 1x
func BenchmarkSatisfaction766(b *testing.B) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, hcm)
	year := Period{day(2025, 1, 1), day(2025, 12, 31)}
	demoDB := benchOpen(b, now)
	if _, err := demo.Generate(demoDB, now, 1); err != nil {
		b.Fatal(err)
	}
	bigDB := benchOpen(b, now)
	bench766Big(b, bigDB, 100000, 2000)
	for _, c := range []struct {
		name string
		db   *bolt.DB
		f    Filter
	}{
		{"demo-sct-2025", demoDB, Filter{Unit: "so-cong-thuong"}},
		{"demo-province-2025", demoDB, Filter{}},
		{"100k-dossiers-2025", bigDB, Filter{Unit: "so-lon"}},
	} {
		eng := newEngine(survey.ServicesOf(c.db), "")
		var s Sat766
		p50, worst := bench20(b, func() error {
			var err error
			s, err = eng.Satisfaction766(c.f, year)
			return err
		})
		// The timeliness count every dashboard already makes, over the
		// same dossiers, for comparison.
		t50, _ := bench20(b, func() error { _, err := eng.Timeliness(c.f, year); return err })
		b.ReportMetric(ms766(p50), c.name+"-p50-ms")
		b.Logf("%-20s %6d dossiers, %5d cases: p50 %.1f ms, max %.1f ms (20 calls); timeliness p50 %.1f ms", c.name,
			s.Dossier.Den, s.CasesOnTime.Den, ms766(p50), ms766(worst), ms766(t50))
	}
}

// bench20 runs fn 20 times and returns the median and the slowest time.
func bench20(b *testing.B, fn func() error) (p50, worst time.Duration) {
	var times []time.Duration
	for range 20 {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2], times[len(times)-1]
}

func ms766(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func benchOpen(b *testing.B, now time.Time) *bolt.DB {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// bench766Big stores n dossiers of one agency received over 2025, with a
// receipt each; 60 % answered (one in eight of those negatively) through
// responses linked to them, and cases opened over the year, half about a
// dossier.
func bench766Big(b *testing.B, db *bolt.DB, n, cases int) {
	if err := db.PutUnits([]survey.Unit{{ID: "so-lon", Name: "Sở Lớn", Group: "khoi-so"}}); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 8, 0, 0, 0, hcm)
	step := 365 * 24 * time.Hour / time.Duration(n)
	code := func(i int) string { return fmt.Sprintf("BIG-%06d", i) }
	for lo := 0; lo < n; lo += 5000 {
		var ds []survey.Dossier
		var rs []*survey.Response
		for i := lo; i < min(lo+5000, n); i++ {
			recv := start.Add(time.Duration(i) * step)
			d := survey.Dossier{Code: code(i), Unit: "so-lon", ReceivedAt: recv, DueAt: recv.AddDate(0, 0, 7),
				FinishedAt: recv.AddDate(0, 0, 3+i%6), TokenHash: survey.HashSecret(code(i))}
			ds = append(ds, d)
			if i%5 < 3 {
				overall := 5
				if i%8 == 0 {
					overall = 2
				}
				r := &survey.Response{Survey: survey.SurveySipas, Unit: "so-lon", Channel: survey.ChannelQR, Dossier: d.Code,
					Answers: map[string]int{"overall": overall}, SubmittedAt: d.FinishedAt, ReceivedAt: d.FinishedAt}
				if err := db.Prepare(r); err != nil {
					b.Fatal(err)
				}
				rs = append(rs, r)
			}
		}
		if err := db.PutDossiers(ds); err != nil {
			b.Fatal(err)
		}
		if err := db.InsertMany(rs); err != nil {
			b.Fatal(err)
		}
	}
	var cs []survey.Case
	for i := 0; i < cases; i++ {
		at := start.Add(time.Duration(i) * 365 * 24 * time.Hour / time.Duration(cases))
		c := survey.Case{ID: fmt.Sprintf("2025-%04d", i+1), Unit: "so-lon", Kind: survey.CasePetition, Source: survey.SourceCall,
			Summary: "Phản ánh", Status: survey.CaseNew, OpenedBy: "letan", OpenedAt: at, DueAt: at.AddDate(0, 0, 14), UpdatedAt: at}
		if i%2 == 0 {
			c.Dossier = code(i * (n / cases))
		}
		cs = append(cs, c)
	}
	if err := db.InsertCases(cs, make([]*survey.Contact, len(cs)), "bench"); err != nil {
		b.Fatal(err)
	}
}
