package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// TestImportCompactCLI: an import of responses grouped by agency, then by
// time, compacts the file at the end; `hailong compact` does it on demand,
// and fails fast while the server holds the file.
func TestImportCompactCLI(t *testing.T) {
	dir, _, _ := setup(t)
	const n = 60000 // three import transactions
	var b strings.Builder
	b.WriteString("submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website\n")
	start := time.Date(2025, 1, 1, 7, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	for u, unit := range []string{"tinh-mau", "so-cong-thuong", "so-tu-phap", "sct-van-phong"} { // grouped by unit, then by time
		for i := u; i < n; i += 4 {
			fmt.Fprintf(&b, "%s,%s,kiosk,quay,%d,4,5,,3,4,5\n", start.Add(time.Duration(i)*7*time.Minute).Format("2006-01-02 15:04:05"), unit, 1+i%5)
		}
	}
	csv := filepath.Join(dir, "responses.csv")
	os.WriteFile(csv, []byte(b.String()), 0o600)
	var imp struct {
		Imported  int
		Compacted *struct {
			BytesBefore int64 `json:"bytes_before"`
			BytesAfter  int64 `json:"bytes_after"`
			Responses   int
		}
		CompactError string `json:"compact_error"`
	}
	out := mustCLI(t, "", "import", "responses", "--data", dir, csv)
	if err := json.Unmarshal([]byte(out), &imp); err != nil || imp.Imported != n {
		t.Fatalf("import printed %s (%v)", out, err)
	}
	if imp.Compacted == nil || imp.Compacted.Responses != n || imp.Compacted.BytesAfter >= imp.Compacted.BytesBefore {
		t.Fatalf("a grouped import was not compacted: %s", out)
	}
	db := filepath.Join(dir, "hailong.db")
	if st, _ := os.Stat(db); st.Size() != imp.Compacted.BytesAfter {
		t.Fatalf("file is %d bytes, import said %d", st.Size(), imp.Compacted.BytesAfter)
	}

	out = mustCLI(t, "", "compact", "--data", dir)
	var cs struct {
		Responses  int
		BytesAfter int64 `json:"bytes_after"`
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil || cs.Responses != n || cs.BytesAfter == 0 {
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
