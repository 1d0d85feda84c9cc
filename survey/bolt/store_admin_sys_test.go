package bolt_test

import (
	"bytes"
	"hailong/survey"
	"hailong/survey/bolt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestSurveyFor(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	alt := survey.DefaultQuay()
	alt.Key = "quay-2"
	if err := db.AddSurveyVersion(alt); err != nil {
		t.Fatal(err)
	}
	if k := db.SurveyFor("so-a-vp", survey.UseKiosk); k != survey.SurveyQuay {
		t.Errorf("default kiosk survey %q", k)
	}
	if k := db.SurveyFor("so-a-vp", survey.UseReceipt); k != survey.SurveySipas {
		t.Errorf("default receipt survey %q", k)
	}
	for _, set := range []struct{ unit, use, key string }{{"so-a", survey.UseKiosk, "quay-2"}, {"", survey.UseReceipt, "quay-2"}} {
		if err := db.SetSurveyFor(set.unit, set.use, set.key); err != nil {
			t.Fatal(err)
		}
	}
	for unit, want := range map[string][2]string{"so-a-vp": {"quay-2", "quay-2"}, "so-a": {"quay-2", "quay-2"}, "so-b": {"quay", "quay-2"}, "tinh": {"quay", "quay-2"}, "": {"quay", "quay-2"}} {
		if k, r := db.SurveyFor(unit, survey.UseKiosk), db.SurveyFor(unit, survey.UseReceipt); k != want[0] || r != want[1] {
			t.Errorf("%q: %s/%s, want %v", unit, k, r, want)
		}
	}
	if bolt.Meta(db, "survey_kiosk:so-a") != "quay-2" || db.OwnSurveyFor("so-a", survey.UseKiosk) != "quay-2" || db.OwnSurveyFor("so-a-vp", survey.UseKiosk) != "" {
		t.Errorf("meta key: %q", bolt.Meta(db, "survey_kiosk:so-a"))
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct{ unit, use, key, field string }{
			{"so-a", "poster", "quay", "use"}, {"khong-co", survey.UseKiosk, "quay", "unit"}, {"so-a", survey.UseKiosk, "nope", "survey"},
		} {
			err := db.SetSurveyFor(c.unit, c.use, c.key)
			if e, ok := err.(*survey.Error); !ok || e.Code != survey.EINVALID || e.Field != c.field {
				t.Errorf("%+v: %v", c, err)
			}
		}
	})
	if err := db.SetSurveyFor("so-a", survey.UseKiosk, ""); err != nil || db.SurveyFor("so-a-vp", survey.UseKiosk) != "quay" {
		t.Errorf("inherit again: %v", err)
	}
}

func TestAddSurveyVersionAfter(t *testing.T) {
	db := MustOpen(t)
	s := survey.DefaultQuay()
	s.Criteria[1].Label.Vi = "Đã sửa"
	if err := db.AddSurveyVersionAfter(s, 1); err != nil || s.Version != 2 {
		t.Fatalf("v%d: %v", s.Version, err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		again := survey.DefaultQuay()
		err := db.AddSurveyVersionAfter(again, 1)
		if e, ok := err.(*survey.Error); !ok || e.Code != survey.ECONFLICT {
			t.Errorf("stale base: %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		bad := survey.DefaultQuay()
		bad.Criteria[2].Scale = 4
		if err := db.AddSurveyVersionAfter(bad, 2); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("scale 4: %v", err)
		}
	})
	if db.Survey("quay", 1).Criteria[1].Label.Vi == "Đã sửa" || db.Survey("quay", 0).Version != 2 {
		t.Error("version 1 changed or version 2 missing")
	}
	// Concurrent editors from the same base: exactly one wins.
	var wg sync.WaitGroup
	wins := make(chan int, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := survey.DefaultQuay()
			x.Title.Vi = "Lần sửa đồng thời"
			if db.AddSurveyVersionAfter(x, 2) == nil {
				wins <- 1
			}
		}()
	}
	wg.Wait()
	close(wins)
	if len(wins) != 1 || db.Survey("quay", 0).Version != 3 || db.Survey("quay", 3) == nil {
		t.Errorf("%d concurrent saves won", len(wins))
	}
	reopened := reopen(t, db)
	if reopened.Survey("quay", 0).Version != 3 || reopened.Survey("quay", 2).Criteria[1].Label.Vi != "Đã sửa" {
		t.Error("versions not stored")
	}
}

// reopen closes db and opens its file again.
func reopen(t *testing.T, db *bolt.DB) *bolt.DB {
	t.Helper()
	path := db.Path
	db.Close()
	x, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestAccountsKeepAnAdmin(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	if err := db.CreateUser(survey.User{Username: "root", Role: survey.RoleAdmin}, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		err := db.CreateUser(survey.User{Username: "root", Role: survey.RoleViewer}, "mat-khau-dai-2")
		if e, ok := err.(*survey.Error); !ok || e.Code != survey.ECONFLICT || e.Field != "username" {
			t.Errorf("taken: %v", err)
		}
		if db.CheckPassword("root", "mat-khau-dai-1") == nil {
			t.Error("the login was replaced")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			u  survey.User
			pw string
		}{{survey.User{Username: "a", Role: "x"}, "mat-khau-dai-1"}, {survey.User{Username: "a", Role: "viewer", Unit: "nope"}, "mat-khau-dai-1"}, {survey.User{Username: "a", Role: "viewer"}, "ngan-7k"}} {
			if err := db.CreateUser(c.u, c.pw); survey.ErrorCode(err) != survey.EINVALID {
				t.Errorf("%+v: %v", c, err)
			}
		}
	})
	t.Run("ErrLastAdmin", func(t *testing.T) {
		for _, err := range []error{db.UpdateUser("root", survey.RoleAdmin, "", true), db.UpdateUser("root", survey.RoleViewer, "", false), db.DeleteUser("root")} {
			if err != survey.ErrLastAdmin {
				t.Errorf("got %v", err)
			}
		}
		if u := db.User("root"); u == nil || u.Disabled || u.Role != survey.RoleAdmin {
			t.Errorf("root changed: %+v", u)
		}
	})
	if err := db.CreateUser(survey.User{Username: "boss", Role: survey.RoleAdmin, Unit: "so-a"}, "mat-khau-dai-3"); err != nil {
		t.Fatal(err)
	}
	sid, _, _ := db.CreateSession("root")
	if err := db.UpdateUser("root", survey.RoleManager, "so-a", false); err != nil {
		t.Fatal(err)
	}
	if s, _, err := db.SessionUser(sid, survey.DefaultSessionPolicy); err != nil || s != nil {
		t.Error("the session survived a change of role")
	}
	if err := db.DeleteUser("boss"); err != survey.ErrLastAdmin {
		t.Errorf("remove the last admin: %v", err)
	}
	if err := db.DeleteUser("nobody"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("remove nobody: %v", err)
	}
}

func TestSnapshot(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	snap, err := db.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutUnits([]survey.Unit{{ID: "so-c", Name: "Sở C", Parent: "tinh"}}); err != nil { // a writer is not blocked
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := snap.WriteTo(&buf)
	snap.Close()
	if err != nil || n != snap.Size() || int64(buf.Len()) != n {
		t.Fatalf("wrote %d of %d: %v", n, snap.Size(), err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	os.WriteFile(path, buf.Bytes(), 0o600)
	c, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Unit("so-a") == nil || c.Unit("so-c") != nil {
		t.Error("the snapshot is not the state when it began")
	}
}
