package bolt_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"hailong/survey"
	"hailong/survey/bolt"
	"hailong/survey/storetest"
)

// storedKiosk reads the kiosk record as it is on disk, not from the cache.
func storedKiosk(t *testing.T, db *bolt.DB, id string) survey.Kiosk {
	t.Helper()
	var k survey.Kiosk
	err := db.Bolt().View(func(tx *bbolt.Tx) error {
		return json.Unmarshal(tx.Bucket([]byte("kiosks")).Get([]byte(id)), &k)
	})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKioskSeen(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	if _, err := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt quầy 1"}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, hcm)
	if err := db.KioskSeen("k1", 0, "abc123", t0); err != nil {
		t.Fatal(err)
	}
	if k := storedKiosk(t, db, "k1"); !k.LastSeen.Equal(t0) || k.Version != "abc123" || k.Queue != 0 {
		t.Fatalf("first heartbeat not stored: %+v", k)
	}

	t.Run("SkipsWriteWithin30s", func(t *testing.T) {
		t1 := t0.Add(20 * time.Second)
		if err := db.KioskSeen("k1", 0, "abc123", t1); err != nil {
			t.Fatal(err)
		}
		if k := storedKiosk(t, db, "k1"); !k.LastSeen.Equal(t0) {
			t.Fatalf("disk written within 30 s: %v", k.LastSeen)
		}
		if k := db.Kiosk("k1"); !k.LastSeen.Equal(t1) {
			t.Fatalf("cache not refreshed: %v", k.LastSeen)
		}
	})
	t.Run("WritesWhenQueueChanges", func(t *testing.T) {
		t2 := t0.Add(25 * time.Second)
		if err := db.KioskSeen("k1", 3, "abc123", t2); err != nil {
			t.Fatal(err)
		}
		if k := storedKiosk(t, db, "k1"); !k.LastSeen.Equal(t2) || k.Queue != 3 {
			t.Fatalf("queue change not stored: %+v", k)
		}
		if k := db.Kiosk("k1"); k.Queue != 3 || !k.LastSeen.Equal(t2) {
			t.Fatalf("cache: %+v", k)
		}
	})
	t.Run("WritesAfter30s", func(t *testing.T) {
		t3 := t0.Add(60 * time.Second)
		if err := db.KioskSeen("k1", 3, "abc123", t3); err != nil {
			t.Fatal(err)
		}
		if k := storedKiosk(t, db, "k1"); !k.LastSeen.Equal(t3) {
			t.Fatalf("not written after 30 s: %v", k.LastSeen)
		}
	})
	t.Run("KeepsPairing", func(t *testing.T) {
		code, err := db.AddKiosk(survey.Kiosk{ID: "k2", Unit: "so-a", Name: "Ki-ốt 2"})
		if err != nil {
			t.Fatal(err)
		}
		_, key, err := db.PairKiosk(code)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.KioskSeen("k2", 1, "v2", t0); err != nil {
			t.Fatal(err)
		}
		if storetest.Must(db.KioskByKey(key)) == nil {
			t.Fatal("heartbeat lost the device key")
		}
	})
	errs := []struct {
		name, id string
		queue    int
		version  string
		code     string
	}{
		{"ErrUnknownKiosk", "ghost", 0, "v", survey.ENOTFOUND},
		{"ErrNegativeQueue", "k1", -1, "v", survey.EINVALID},
		{"ErrVersionTooLong", "k1", 0, strings.Repeat("v", 65), survey.EINVALID},
		{"ErrVersionControl", "k1", 0, "v\n1", survey.EINVALID},
	}
	for _, e := range errs {
		t.Run(e.name, func(t *testing.T) {
			if err := db.KioskSeen(e.id, e.queue, e.version, t0); survey.ErrorCode(err) != e.code {
				t.Fatalf("got %v, want %s", err, e.code)
			}
		})
	}
}

func TestSignOnOff(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	if err := db.PutStaff(survey.Staff{ID: "nv-mai", Unit: "so-a", Name: "Lê Thị Mai", Position: "Chuyên viên"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutStaff(survey.Staff{ID: "nv-tinh", Unit: "tinh", Name: "Phạm Văn Tình"}); err != nil {
		t.Fatal(err)
	}
	onDuty := func(counter string) string {
		if s := db.OnDuty(counter); s != nil {
			return s.ID
		}
		return ""
	}
	if err := db.SignOn("nv-lan", "a-q1"); err != nil {
		t.Fatal(err)
	}
	if onDuty("a-q1") != "nv-lan" || db.StaffMember("nv-lan").Counter != "a-q1" {
		t.Fatalf("on duty at a-q1: %q", onDuty("a-q1"))
	}
	t.Run("OnePerCounter", func(t *testing.T) {
		if err := db.SignOn("nv-mai", "a-q1"); err != nil {
			t.Fatal(err)
		}
		if onDuty("a-q1") != "nv-mai" || db.StaffMember("nv-lan").Counter != "" {
			t.Fatalf("a-q1: %q, lan at %q", onDuty("a-q1"), db.StaffMember("nv-lan").Counter)
		}
	})
	t.Run("OneCounterPerStaff", func(t *testing.T) {
		if err := db.SignOn("nv-mai", "a-q2"); err != nil {
			t.Fatal(err)
		}
		if onDuty("a-q1") != "" || onDuty("a-q2") != "nv-mai" {
			t.Fatalf("a-q1 %q a-q2 %q", onDuty("a-q1"), onDuty("a-q2"))
		}
	})
	t.Run("UnitAboveCounter", func(t *testing.T) {
		// A province-level staff member may serve at an agency's counter.
		if err := db.SignOn("nv-tinh", "a-q1"); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOff("nv-tinh", ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("SignOffByCounter", func(t *testing.T) {
		if err := db.SignOff("", "a-q2"); err != nil {
			t.Fatal(err)
		}
		if onDuty("a-q2") != "" {
			t.Fatalf("still on duty: %q", onDuty("a-q2"))
		}
	})
	t.Run("SignOffElsewhereIsNoop", func(t *testing.T) {
		if err := db.SignOn("nv-lan", "a-q1"); err != nil {
			t.Fatal(err)
		}
		if err := db.SignOff("nv-lan", "a-q2"); err != nil {
			t.Fatal(err)
		}
		if onDuty("a-q1") != "nv-lan" {
			t.Fatal("signed off from another counter")
		}
	})
	t.Run("Persisted", func(t *testing.T) {
		var s survey.Staff
		_ = db.Bolt().View(func(tx *bbolt.Tx) error {
			return json.Unmarshal(tx.Bucket([]byte("staff")).Get([]byte("nv-lan")), &s)
		})
		if s.Counter != "a-q1" {
			t.Fatalf("on disk: %+v", s)
		}
	})
	errs := []struct {
		name, staff, counter, field string
		off                         bool
	}{
		{"ErrUnknownStaff", "ghost", "a-q1", "staff", false},
		{"ErrUnknownCounter", "nv-lan", "a-q9", "counter", false},
		{"ErrStaffOfOtherUnit", "nv-hung", "a-q1", "staff", false},
		{"ErrCounterOfSiblingUnit", "nv-lan", "b-q1", "staff", false},
		{"ErrSignOffNothing", "", "", "staff", true},
		{"ErrSignOffUnknownCounter", "", "a-q9", "counter", true},
	}
	for _, e := range errs {
		t.Run(e.name, func(t *testing.T) {
			var err error
			if e.off {
				err = db.SignOff(e.staff, e.counter)
			} else {
				err = db.SignOn(e.staff, e.counter)
			}
			var se *survey.Error
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("got %v, want invalid", err)
			}
			if se = err.(*survey.Error); se.Field != e.field {
				t.Fatalf("field %q, want %q", se.Field, e.field)
			}
		})
	}
	if onDuty("a-q1") != "nv-lan" {
		t.Fatal("a refused sign-on changed who is on duty")
	}
}
