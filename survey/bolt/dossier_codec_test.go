package bolt

import (
	"encoding/json"
	"hailong/survey"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
)

func TestDossierCodecRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 30, 15, 123456789, time.UTC)
	for _, d := range []survey.Dossier{
		{Code: "HS-1", Unit: "so-a", ReceivedAt: at, DueAt: at.AddDate(0, 0, 5)},
		{Code: "000.00.12.H42-260310-0001", Unit: "so-a", Procedure: "1.001", Staff: "nv-lan", ReceivedAt: at, DueAt: at.AddDate(0, 0, 5),
			FinishedAt: at.AddDate(0, 0, 4), SupplementDays: 3, TokenHash: survey.HashSecret("x"), TokenExpires: at.AddDate(0, 0, 90), Answered: true},
	} {
		var got survey.Dossier
		if err := decodeDossier(encodeDossier(&d), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, d)
		}
		j, _ := json.Marshal(d) // values written before schema 4
		if err := decodeDossier(j, &got); err != nil || !got.ReceivedAt.Equal(d.ReceivedAt) || got.Code != d.Code || got.Answered != d.Answered {
			t.Fatalf("legacy JSON: %+v %v", got, err)
		}
		v := encodeDossier(&d)
		for i := 0; i < len(v); i++ { // every truncation is an error, never a panic
			if decodeDossier(v[:i], &got) == nil {
				t.Fatalf("truncated at %d decoded", i)
			}
		}
	}
}

// Migration 4 rewrites JSON dossiers in the binary layout.
func TestMigrateDossiersToBinary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if err := db.PutDossiers([]survey.Dossier{{Code: "HS-1", Unit: "so-a", ReceivedAt: at, DueAt: at.AddDate(0, 0, 3), FinishedAt: at.AddDate(0, 0, 2)}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, _ := bbolt.Open(path, 0o600, nil)
	_ = raw.Update(func(tx *bbolt.Tx) error { // as schema 3 stored it
		b := tx.Bucket(bDossiers)
		k, v := b.Cursor().First()
		var d survey.Dossier
		if err := decodeDossier(v, &d); err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(d)
		if err := b.Put(append([]byte(nil), k...), j); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u32(3))
	})
	raw.Close()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if _, v := tx.Bucket(bDossiers).Cursor().First(); v[0] != dossierFormat1 {
			t.Fatalf("still JSON after migration: %q", v)
		}
		return nil
	})
	d, err := db.Dossier("HS-1")
	if err != nil || !d.FinishedAt.Equal(at.AddDate(0, 0, 2)) {
		t.Fatalf("after migration: %+v %v", d, err)
	}
}
