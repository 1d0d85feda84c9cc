package pg_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/pg"
)

func importCSV(t *testing.T, rows int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("submitted_at,unit,channel,survey,overall\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "2026-02-%02d 09:%02d,so-a,paper,quay,%d\n", 1+i%27, i%60, 1+i%5)
	}
	path := filepath.Join(t.TempDir(), "rows.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportChunkFails: an import whose third chunk fails is undone (the
// first two chunks' responses deleted and un-counted, the batch gone) and
// the log still verifies.
func TestImportChunkFails(t *testing.T) {
	defer pg.SetImportChunk(3, func(chunk int) error {
		if chunk == 3 {
			return pg.ErrInjected
		}
		return nil
	})()
	db := openServer(t, fresh(t), fixedNow, 0)
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.ImportResponses(importCSV(t, 10), "admin")
	if err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("ImportResponses: %v, want the injected failure", err)
	}
	if n := db.ResponseCount(); n != 0 {
		t.Fatalf("%d responses left after a failed import", n)
	}
	if bs, _ := db.Batches(); len(bs) != 0 {
		t.Fatalf("batches left: %+v", bs)
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg = %v, %v", ok, err)
	}
	if rep, err := db.VerifyLog(nil, nil); err != nil || !rep.OK {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
}

// TestWithdrawWhileImporting: another server cannot withdraw a batch
// while it is being imported (the batch's advisory lock), and can once the
// import is done.
func TestWithdrawWhileImporting(t *testing.T) {
	url := fresh(t)
	a, b := openServer(t, url, fixedNow, time.Hour), openServer(t, url, fixedNow, time.Hour)
	if err := a.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	var during error
	defer pg.SetImportChunk(4, func(chunk int) error {
		if chunk == 2 {
			bs, err := b.Batches()
			if err != nil || len(bs) != 1 || bs[0].Status != survey.BatchImporting {
				return fmt.Errorf("during the import, b sees %+v (%v)", bs, err)
			}
			_, during = b.WithdrawBatch(bs[0].ID, "admin", "thử")
		}
		return nil
	})()
	st, err := a.ImportResponses(importCSV(t, 10), "admin")
	if err != nil {
		t.Fatal(err)
	}
	if survey.ErrorCode(during) != survey.ECONFLICT {
		t.Fatalf("withdrawing during the import: %v, want a conflict", during)
	}
	out, err := b.WithdrawBatch(st.Batch, "admin", "nhập nhầm")
	if err != nil || out.Status != survey.BatchWithdrawn || a.ResponseCount() != 0 {
		t.Fatalf("withdraw after the import: %+v %v, %d responses left", out, err, a.ResponseCount())
	}
	if rep, err := a.VerifyLog(nil, nil); err != nil || !rep.OK {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
}
