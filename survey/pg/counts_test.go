package pg_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
	"hailong/survey/pg"
)

// TestCountsMigration3: a database of schema 2 (one counts row per cell) is
// converted into blocks on open, with the same counts: equal to a rebuild
// and the same answers to Count in every dimension.
func TestCountsMigration3(t *testing.T) {
	var ns = t0.UnixNano()
	now := func() time.Time { return time.Unix(0, ns).UTC() }
	url := fresh(t)
	src := openAt(t, url, now)
	csv := filepath.Join(t.TempDir(), "import.csv")
	if err := os.WriteFile(csv, []byte("submitted_at,unit,channel,survey,overall\n2026-02-10 09:00,so-a,paper,quay,4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	story(t, src, func(d time.Duration) { ns += int64(d) }, csv, survey.DefaultQuay().Reasons[0].Key)
	var units []string
	rows, err := src.Pool().Query(context.Background(), "SELECT id FROM units")
	if err != nil {
		t.Fatal(err)
	}
	if units, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(units) == 0 {
		t.Fatalf("units %v: %v", units, err)
	}
	counts := func(s *pg.DB) []map[string]*survey.Tally {
		var out []map[string]*survey.Tally
		for _, dim := range []survey.Dim{survey.DimBase, survey.DimCounter, survey.DimStaff, survey.DimProcedure, survey.DimHour} {
			m, err := s.Count(survey.CountQuery{Dim: dim, Units: units, From: t0.AddDate(-1, 0, 0), To: t0.AddDate(1, 0, 0), IncludeMisuse: true})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return out
	}
	before := counts(src)
	if len(before[0]) == 0 {
		t.Fatal("the story counted nothing")
	}
	if err := src.DowngradeCounts(); err != nil {
		t.Fatal(err)
	}
	src.Close()
	dst := openAt(t, url, now)
	if ok, err := dst.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg after migration 3 = %v, %v", ok, err)
	}
	if after := counts(dst); !reflect.DeepEqual(before, after) {
		t.Fatalf("counts changed by migration 3:\n%v\n%v", before, after)
	}
}
