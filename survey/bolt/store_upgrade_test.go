package bolt

import (
	"hailong/survey"
	"os"
	"path/filepath"
	"testing"

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
