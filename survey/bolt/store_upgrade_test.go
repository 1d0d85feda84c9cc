package bolt

import (
	"hailong/survey"
	"os"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// An older file is copied aside before migrations change it.
func TestUpgradeBacksUpFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// make it look like schema 1: no schema-2 buckets
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bSessions, bAudit, bReceipts, bPhotos} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u32(1))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateSession("nobody"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("sessions bucket after upgrade: %v", err)
	}
	if db.storedSchema() != len(migrations) {
		t.Fatalf("schema %d after upgrade", db.storedSchema())
	}
	db.Close()
	bak := path + ".schema-1.bak"
	if _, err := os.Stat(bak); err != nil {
		t.Fatalf("no backup before the upgrade: %v", err)
	}
	old, err := bbolt.Open(bak, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	_ = old.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bSessions) != nil || tx.Bucket(bUnits).Get([]byte("so-a")) == nil {
			t.Fatal("the backup is not the pre-upgrade file")
		}
		return nil
	})
	// opening again (already current) makes no new backup
	db, _ = Open(path, Options{})
	db.Close()
	if m, _ := filepath.Glob(path + ".schema-*.bak"); len(m) != 1 {
		t.Fatalf("backups: %v", m)
	}
}

// Migration 8 marks the dossiers whose receipt response has a negative
// answer (Dossier.Negative) from the responses stored before it.
func TestUpgradeMarksNegativeDossiers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for code, score := range map[string]int{"HS-1": 1, "HS-2": 5} {
		d := &survey.Dossier{Code: code, Unit: "so-a", ReceivedAt: now.Add(-time.Hour), DueAt: now.Add(48 * time.Hour)}
		tok, err := db.IssueReceipt("letan", d, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AnswerReceipt(tok, &survey.Response{Answers: map[string]int{survey.OverallKey: score}}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	// make it look like schema 7: answered dossiers without the mark
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bDossiers)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var d survey.Dossier
			if err := decodeDossier(v, &d); err != nil {
				return err
			}
			d.Negative = false
			if err := b.Put(k, encodeDossier(&d)); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u32(7))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for code, want := range map[string]bool{"HS-1": true, "HS-2": false} {
		d, err := db.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Answered || d.Negative != want {
			t.Errorf("%s after migration 8: answered %v, negative %v; want negative %v", code, d.Answered, d.Negative, want)
		}
	}
}
