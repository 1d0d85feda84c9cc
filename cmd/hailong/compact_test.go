package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// TestImportCompactCLI: an import of responses in no order at all
// compacts the file at the end, one grouped by unit, then by time, does
// not need to (its runs are merged in time order); `hailong compact` does
// it on demand, and fails fast while the server holds the file.
func TestImportCompactCLI(t *testing.T) {
	dir, _, _ := setup(t)
	units := []string{"tinh-mau", "so-cong-thuong", "so-tu-phap", "sct-van-phong"}
	row := func(start time.Time, i int) string {
		return fmt.Sprintf("%s,%s,kiosk,quay,%d,4,5,,3,4,5\n", start.Add(time.Duration(i)*7*time.Minute).Format("2006-01-02 15:04:05"), units[i%4], 1+i%5)
	}
	const header = "submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website\n"
	type importOut struct {
		Imported  int
		Compacted *struct {
			BytesBefore int64 `json:"bytes_before"`
			BytesAfter  int64 `json:"bytes_after"`
			Responses   int
		}
		CompactError string `json:"compact_error"`
	}
	importCSV := func(content string) importOut {
		csv := filepath.Join(dir, "responses.csv")
		os.WriteFile(csv, []byte(content), 0o600)
		var imp importOut
		out := mustCLI(t, "", "import", "responses", "--data", dir, csv)
		if err := json.Unmarshal([]byte(out), &imp); err != nil || imp.CompactError != "" {
			t.Fatalf("import printed %s (%v)", out, err)
		}
		return imp
	}

	const n = 60000 // three import transactions
	var b strings.Builder
	b.WriteString(header)
	start := time.Date(2025, 1, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	for _, i := range rand.New(rand.NewSource(1)).Perm(n) {
		b.WriteString(row(start, i))
	}
	imp := importCSV(b.String())
	if imp.Imported != n || imp.Compacted == nil || imp.Compacted.Responses != n || imp.Compacted.BytesAfter >= imp.Compacted.BytesBefore {
		t.Fatalf("an import in no order was not compacted: %+v", imp)
	}
	db := filepath.Join(dir, "hailong.db")
	if st, _ := os.Stat(db); st.Size() != imp.Compacted.BytesAfter {
		t.Fatalf("file is %d bytes, import said %d", st.Size(), imp.Compacted.BytesAfter)
	}

	b.Reset()
	b.WriteString(header)
	start = start.AddDate(1, 0, 0)
	for u := range units { // grouped by unit, then by time
		for i := u; i < n; i += 4 {
			b.WriteString(row(start, i))
		}
	}
	if imp := importCSV(b.String()); imp.Imported != n || imp.Compacted != nil {
		t.Fatalf("a grouped import needed compacting: %+v", imp)
	}

	out := mustCLI(t, "", "compact", "--data", dir)
	var cs struct {
		Responses  int
		BytesAfter int64 `json:"bytes_after"`
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil || cs.Responses != 2*n || cs.BytesAfter == 0 {
		t.Fatalf("compact printed %s (%v)", out, err)
	}
	if out := mustCLI(t, "", "reindex", "--data", dir, "--check"); !strings.Contains(out, `"consistent":true`) {
		t.Fatalf("after compact: %s", out)
	}
	if _, err := cli(t, "", "compact", "--data", dir, "extra"); err == nil {
		t.Fatal("compact took an argument")
	}
	if _, err := cli(t, "", "compact", "--data", filepath.Join(dir, "nothing-here")); err == nil {
		t.Fatal("compacted a folder without a database")
	}

	MustRun(t, dir)
	t0 := time.Now()
	_, err := cli(t, "", "compact", "--data", dir)
	if survey.ErrorCode(err) != survey.ELOCKED || !strings.Contains(errorText(err), "server") {
		t.Fatalf("compact while serving: %v", err)
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
	if _, err := os.Stat(db + ".compact"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
}
