package analytics

import (
	"path/filepath"
	"testing"
	"time"

	"hailong/analytics/engine"
	"hailong/demo"
	"hailong/survey"
	"hailong/survey/bolt"
)

// TestReviewDemo runs the anomaly review over the demo province's last 90
// days: every planted case is found, and the other findings are few.
func TestReviewDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo")
	}
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, hcm)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := demo.Generate(db, now, 1)
	if err != nil {
		t.Fatal(err)
	}
	eng := newEngine(survey.ServicesOf(db), "")
	today := survey.DayOf(now, hcm)
	t0 := time.Now()
	rv, err := eng.Review(engine.Filter{}, engine.LastDays(engine.ReviewDays, today), engine.DefaultOpeningHours, engine.DefaultThresholds)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("review: %v, %d responses read, %d counted, %d dossiers, %d findings", time.Since(t0), rv.Read, rv.Counted, rv.Dossiers, len(rv.Findings))
	for _, f := range rv.Findings {
		t.Logf("%-7s %-28s %-18s %-28s %s–%s figure %.2f expected %.3g range %.2f–%.2f n %d base %d strength %.1f %s",
			f.Kind, f.Unit, f.Kiosk, f.Staff, engine.Civil(f.From).Format(time.DateOnly), engine.Civil(f.To).Format(time.DateOnly),
			f.Figure, f.Expected, f.Lo, f.Hi, f.N, f.Base, f.Strength, f.Pattern)
	}
	for _, p := range st.Story.Planted {
		if !foundPlanted(rv.Findings, p) {
			t.Errorf("planted %+v not found", p)
		}
	}
}

// foundPlanted reports whether a finding of the planted case's kind names
// its unit (and kiosk) and overlaps its days.
func foundPlanted(fs []engine.Finding, p demo.Planted) bool {
	for _, f := range fs {
		from, to := engine.Civil(f.From).Format(time.DateOnly), engine.Civil(f.To).Format(time.DateOnly)
		if string(f.Kind) == p.Kind && f.Unit == p.Unit && (p.Kiosk == "" || f.Kiosk == p.Kiosk || p.Kind == "ratio") &&
			from <= p.To && to >= p.From {
			return true
		}
	}
	return false
}

// BenchmarkReviewDemo measures the review of the demo's last 90 days
// against a bare read of the same responses:
//
//	go test ./analytics -run '^$' -bench ReviewDemo
func BenchmarkReviewDemo(b *testing.B) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, hcm)
	db, err := bolt.Open(filepath.Join(b.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Generate(db, now, 1); err != nil {
		b.Fatal(err)
	}
	eng := newEngine(survey.ServicesOf(db), "")
	p := engine.LastDays(engine.ReviewDays, survey.DayOf(now, hcm))
	b.Run("read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			n := 0
			db.EachResponse(p.Start(hcm).AddDate(0, 0, -28), p.End(hcm), func(*survey.Response) error { n++; return nil })
		}
	})
	b.Run("review", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := eng.Review(engine.Filter{}, p, engine.DefaultOpeningHours, engine.DefaultThresholds); err != nil {
				b.Fatal(err)
			}
		}
	})
}
