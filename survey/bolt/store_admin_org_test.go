package bolt_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
	"hailong/survey/storetest"
)

// wantErr fails unless err has the code and field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *survey.Error
	if err == nil {
		t.Fatalf("no error, want %s on %q", code, field)
	}
	if survey.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if field != "" {
		if e, _ = err.(*survey.Error); e == nil || e.Field != field {
			t.Fatalf("error %v, want field %q", err, field)
		}
	}
}

func TestCreateAndUpdateUnit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		t.Fatal(err)
	}
	MustOrg(t, db)
	if err := db.CreateGroup(survey.Group{ID: "khoi-xa", Name: "Khối xã"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUnit(survey.Unit{ID: "xa-a", Name: "UBND xã A", Parent: "tinh", Group: "khoi-xa"}); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		wantErr(t, db.CreateUnit(survey.Unit{ID: "so-a", Name: "Khác"}), survey.ECONFLICT, "id")
	})
	t.Run("ErrBadSlug", func(t *testing.T) {
		wantErr(t, db.CreateUnit(survey.Unit{ID: "Sở A", Name: "x"}), survey.EINVALID, "id")
	})
	t.Run("ErrEmptyName", func(t *testing.T) {
		wantErr(t, db.CreateUnit(survey.Unit{ID: "x", Name: "  "}), survey.EINVALID, "name")
	})
	t.Run("ErrUnknownParent", func(t *testing.T) {
		wantErr(t, db.CreateUnit(survey.Unit{ID: "x", Name: "X", Parent: "khong-co"}), survey.EINVALID, "parent")
		wantErr(t, db.UpdateUnit(survey.Unit{ID: "so-a", Name: "Sở A", Parent: "khong-co"}), survey.EINVALID, "parent")
	})
	t.Run("ErrUnknownGroup", func(t *testing.T) {
		wantErr(t, db.CreateUnit(survey.Unit{ID: "x", Name: "X", Group: "khoi-moi"}), survey.EINVALID, "group")
	})
	t.Run("ErrMoveIntoOwnSubtree", func(t *testing.T) {
		wantErr(t, db.UpdateUnit(survey.Unit{ID: "tinh", Name: "UBND Tỉnh", Parent: "so-a-vp"}), survey.EINVALID, "parent")
		wantErr(t, db.UpdateUnit(survey.Unit{ID: "so-a", Name: "Sở A", Parent: "so-a"}), survey.EINVALID, "parent")
		if u := db.Unit("tinh"); u.Parent != "" {
			t.Fatalf("tinh moved to %q", u.Parent)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantErr(t, db.UpdateUnit(survey.Unit{ID: "khong-co", Name: "X"}), survey.ENOTFOUND, "")
	})
	// Rename, move and regroup: so-a-vp leaves so-a for so-b and joins khoi-xa.
	if err := db.UpdateUnit(survey.Unit{ID: "so-a-vp", Name: "Văn phòng", Parent: "so-b", Group: "khoi-xa"}); err != nil {
		t.Fatal(err)
	}
	if !db.InSubtree("so-a-vp", "so-b") || db.InSubtree("so-a-vp", "so-a") {
		t.Fatal("subtrees not updated after the move")
	}
	db.Close()
	db, err = bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if u := db.Unit("so-a-vp"); u == nil || u.Name != "Văn phòng" || u.Parent != "so-b" || u.Group != "khoi-xa" {
		t.Fatalf("after reopen: %+v", u)
	}
	if u := db.Unit("xa-a"); u == nil || u.Group != "khoi-xa" {
		t.Fatalf("created unit after reopen: %+v", u)
	}
}

func TestGroupsAndCounters(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	wantErr(t, db.CreateGroup(survey.Group{ID: "khoi-so", Name: "X"}), survey.ECONFLICT, "id")
	wantErr(t, db.CreateGroup(survey.Group{ID: "Khối", Name: "X"}), survey.EINVALID, "id")
	wantErr(t, db.RenameGroup("khoi-so", ""), survey.EINVALID, "name")
	wantErr(t, db.RenameGroup("khong-co", "X"), survey.ENOTFOUND, "")
	if err := db.RenameGroup("khoi-so", "Khối Sở, ban, ngành tỉnh"); err != nil {
		t.Fatal(err)
	}
	if g := db.Groups(); len(g) != 1 || g[0].Name != "Khối Sở, ban, ngành tỉnh" {
		t.Fatalf("groups %+v", g)
	}

	wantErr(t, db.CreateCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "X"}), survey.ECONFLICT, "id")
	wantErr(t, db.CreateCounter(survey.Counter{ID: "a-q9", Unit: "khong-co", Name: "X"}), survey.EINVALID, "unit")
	wantErr(t, db.CreateCounter(survey.Counter{ID: "a-q9", Unit: "so-a", Name: ""}), survey.EINVALID, "name")
	if err := db.CreateCounter(survey.Counter{ID: "a-q3", Unit: "so-a", Name: "Quầy 3"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, db.RenameCounter("a-q3", strings.Repeat("x", 101)), survey.EINVALID, "name")
	wantErr(t, db.RenameCounter("khong-co", "X"), survey.ENOTFOUND, "")
	if err := db.RenameCounter("a-q3", "Quầy 3 – Đất đai"); err != nil {
		t.Fatal(err)
	}
	if c := db.Counter("a-q3"); c.Name != "Quầy 3 – Đất đai" || c.Unit != "so-a" {
		t.Fatalf("counter %+v", c)
	}
}

func TestCreateAndUpdateStaff(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	wantErr(t, db.CreateStaff(survey.Staff{ID: "nv-lan", Unit: "so-a", Name: "X"}), survey.ECONFLICT, "id")
	wantErr(t, db.CreateStaff(survey.Staff{ID: "nv-moi", Unit: "so-a", Name: ""}), survey.EINVALID, "name")
	if err := db.CreateStaff(survey.Staff{ID: "nv-mai", Unit: "so-a", Name: "Lê Thị Mai", Position: "Chuyên viên", Counter: "a-q1", Photo: "forged"}); err != nil {
		t.Fatal(err)
	}
	if s := db.StaffMember("nv-mai"); s.Counter != "" || s.Photo != "" {
		t.Fatalf("create kept counter or photo: %+v", s)
	}
	if err := db.SignOn("nv-mai", "a-q1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetStaffPhoto("nv-mai", testPNG(t, 8, 8)); err != nil {
		t.Fatal(err)
	}
	// Same unit: stays signed on, keeps the photo.
	if err := db.UpdateStaff("nv-mai", "Lê Thị Mai", "Chuyên viên chính", "so-a"); err != nil {
		t.Fatal(err)
	}
	if s := db.StaffMember("nv-mai"); s.Counter != "a-q1" || s.Photo == "" || s.Position != "Chuyên viên chính" {
		t.Fatalf("after edit: %+v", s)
	}
	// Another unit: signed off from so-a's counter.
	if err := db.UpdateStaff("nv-mai", "Lê Thị Mai", "Chuyên viên", "so-b"); err != nil {
		t.Fatal(err)
	}
	if s := db.StaffMember("nv-mai"); s.Counter != "" || s.Unit != "so-b" || s.Photo == "" {
		t.Fatalf("after move: %+v", s)
	}
	wantErr(t, db.UpdateStaff("nv-mai", "X", "", "khong-co"), survey.EINVALID, "unit")
	wantErr(t, db.UpdateStaff("khong-co", "X", "", "so-a"), survey.ENOTFOUND, "")
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStaffPhoto(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	webp := append([]byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"), make([]byte, 14)...)
	for _, c := range []struct {
		name, ctype string
		img         []byte
	}{{"PNG", "image/png", testPNG(t, 8, 8)}, {"JPEG", "image/jpeg", jpg.Bytes()}, {"WebP", "image/webp", webp}} {
		t.Run(c.name, func(t *testing.T) {
			ctype, err := db.SetStaffPhoto("nv-lan", c.img)
			if err != nil || ctype != c.ctype {
				t.Fatalf("SetStaffPhoto: %q, %v", ctype, err)
			}
			gotType, got := db.StaffPhoto("nv-lan")
			if gotType != c.ctype || !bytes.Equal(got, c.img) {
				t.Fatalf("stored %q, %d bytes", gotType, len(got))
			}
			s, byType, byHash := db.PhotoByHash(db.StaffMember("nv-lan").Photo)
			if s == nil || s.ID != "nv-lan" || byType != c.ctype || !bytes.Equal(byHash, c.img) {
				t.Fatalf("PhotoByHash: %v %q", s, byType)
			}
		})
	}
	before := db.StaffMember("nv-lan").Photo
	for _, c := range []struct {
		name, code string
		img        []byte
	}{
		{"ErrEmpty", survey.EINVALID, nil},
		{"ErrText", survey.EINVALID, []byte("<script>alert(1)</script>")},
		{"ErrFakePNG", survey.EINVALID, append([]byte("\x89PNG\r\n\x1a\n"), "<html>"...)},
		{"ErrTooWide", survey.EINVALID, testPNG(t, 5000, 1)},
		{"ErrTooLarge", survey.ETOOLARGE, append(testPNG(t, 8, 8), make([]byte, survey.MaxPhotoBytes)...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.SetStaffPhoto("nv-lan", c.img)
			wantErr(t, err, c.code, "photo")
			if db.StaffMember("nv-lan").Photo != before {
				t.Fatal("photo changed")
			}
		})
	}
	if _, err := db.SetStaffPhoto("khong-co", testPNG(t, 8, 8)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown staff: %v", err)
	}
	if err := db.DeleteStaffPhoto("nv-lan"); err != nil {
		t.Fatal(err)
	}
	if ctype, img := db.StaffPhoto("nv-lan"); ctype != "" || img != nil || db.StaffMember("nv-lan").Photo != "" {
		t.Fatal("photo still there after delete")
	}
	if s, _, _ := db.PhotoByHash(before); s != nil {
		t.Fatal("old hash still resolves")
	}
}

func TestKioskRenameRepairRevoke(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	code, err := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt 1"})
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := db.PairKiosk(code)
	if err != nil || storetest.Must(db.KioskByKey(key)) == nil {
		t.Fatalf("pair: %v", err)
	}
	seen := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := db.KioskSeen("k1", 3, "1.0", seen); err != nil {
		t.Fatal(err)
	}
	t.Run("Rename", func(t *testing.T) {
		wantErr(t, db.RenameKiosk("k1", ""), survey.EINVALID, "name")
		wantErr(t, db.RenameKiosk("khong-co", "X"), survey.ENOTFOUND, "")
		if err := db.RenameKiosk("k1", "Ki-ốt sảnh"); err != nil {
			t.Fatal(err)
		}
		k := db.Kiosk("k1")
		if k.Name != "Ki-ốt sảnh" || !k.LastSeen.Equal(seen) || k.Queue != 3 || storetest.Must(db.KioskByKey(key)) == nil {
			t.Fatalf("after rename: %+v", k)
		}
	})
	t.Run("RepairWhilePaired", func(t *testing.T) {
		code2, err := db.RepairKiosk("k1")
		if err != nil {
			t.Fatal(err)
		}
		if storetest.Must(db.KioskByKey(key)) == nil {
			t.Fatal("the paired device stopped before the new link was used")
		}
		_, key2, err := db.PairKiosk(code2)
		if err != nil {
			t.Fatal(err)
		}
		if storetest.Must(db.KioskByKey(key)) != nil || storetest.Must(db.KioskByKey(key2)) == nil {
			t.Fatal("after re-pairing: the old key must fail and the new one work")
		}
		key = key2
	})
	t.Run("Revoke", func(t *testing.T) {
		unused, err := db.RepairKiosk("k1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeKiosk("k1"); err != nil {
			t.Fatal(err)
		}
		if storetest.Must(db.KioskByKey(key)) != nil {
			t.Fatal("KioskByKey works after revoke")
		}
		if _, _, err := db.PairKiosk(unused); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("an unused pairing code still works after revoke: %v", err)
		}
		if k := db.Kiosk("k1"); !k.Revoked || k.KeyHash != nil || k.PairHash != nil {
			t.Fatalf("after revoke: %+v", k)
		}
		if err := db.RevokeKiosk("k1"); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		wantErr(t, db.RevokeKiosk("khong-co"), survey.ENOTFOUND, "")
	})
	t.Run("RepairReinstates", func(t *testing.T) {
		code3, err := db.RepairKiosk("k1")
		if err != nil {
			t.Fatal(err)
		}
		_, key3, err := db.PairKiosk(code3)
		if err != nil || storetest.Must(db.KioskByKey(key3)) == nil || storetest.Must(db.KioskByKey(key)) != nil {
			t.Fatalf("reinstated kiosk: %v", err)
		}
	})
}
