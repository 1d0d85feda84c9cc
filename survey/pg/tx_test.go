package pg_test

import (
	"testing"
)

// TestLaterStatements: statements queued to travel with the next one (a
// write transaction's BEGIN, block updates, the log tip, COMMIT) are seen
// by the transaction's next query, and one that fails fails the whole
// transaction, leaving the connection usable.
func TestLaterStatements(t *testing.T) {
	db := open(t, fixedNow)
	got, err := db.UpdateLater([]string{"INSERT INTO meta (key, value) VALUES ('later-a', 'một')"},
		"SELECT value FROM meta WHERE key = 'later-a'")
	if err != nil || got != "một" {
		t.Fatalf("a queued insert read back in its transaction: %q, %v", got, err)
	}
	_, err = db.UpdateLater([]string{"INSERT INTO meta (key, value) VALUES ('later-b', 'hai')", "SELECT 1/0"}, "")
	if err == nil {
		t.Fatal("a queued statement that fails did not fail the transaction")
	}
	for i := 0; i < 20; i++ { // every pooled connection is clean after the failure
		got, err = db.UpdateLater(nil, "SELECT coalesce((SELECT value FROM meta WHERE key = 'later-b'), 'không có')")
		if err != nil || got != "không có" {
			t.Fatalf("after the failed transaction: %q, %v (want its insert rolled back)", got, err)
		}
	}
	_, err = db.UpdateLater([]string{"SELECT 1/0"}, "SELECT 'never'")
	if err == nil {
		t.Fatal("a failing queued statement before a query did not fail it")
	}
}
