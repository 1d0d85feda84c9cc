package storetest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

var staffCases = []testCase{
	{"Reads", func(t *testing.T, e *env) {
		e.org(t)
		if s := e.StaffMember("nv-lan"); s == nil || s.Unit != "so-a" || s.Name != "Nguyễn Thị Lan" {
			t.Fatalf("StaffMember(nv-lan) = %+v", s)
		}
		if e.StaffMember("nope") != nil {
			t.Fatal("StaffMember(nope) is not nil")
		}
		id := func(s survey.Staff) string { return s.ID }
		equalSlice(t, "StaffOf(so-a)", ids(e.StaffOf("so-a"), id), []string{"nv-lan", "nv-minh"})
		equalSlice(t, "StaffOf()", ids(e.StaffOf(""), id), []string{"nv-hung", "nv-lan", "nv-mai", "nv-minh", "nv-tinh"})
	}},
	{"PutStaff", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.PutStaff(survey.Staff{ID: "nv-lan", Unit: "so-a", Name: "Nguyễn Lan", Position: "Chuyên viên"}))
		if s := e.StaffMember("nv-lan"); s.Name != "Nguyễn Lan" || s.Position != "Chuyên viên" {
			t.Fatalf("updated staff %+v", s)
		}
		wantErr(t, e.PutStaff(survey.Staff{ID: "nv-x", Unit: "nope", Name: "X"}), survey.EINVALID, "unit")
		wantErr(t, e.PutStaff(survey.Staff{ID: "nv-x", Unit: "so-a", Name: ""}), survey.EINVALID, "name")
		if e.StaffMember("nv-x") != nil {
			t.Fatal("a refused PutStaff stored a staff member")
		}
	}},
	{"CreateStaff", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.CreateStaff(survey.Staff{ID: "nv-moi", Unit: "so-b", Name: "Mới", Counter: "b-q1", Photo: "abc"}))
		if s := e.StaffMember("nv-moi"); s == nil || s.Counter != "" || s.Photo != "" || s.Unit != "so-b" {
			t.Fatalf("created staff %+v, want not signed on and without a photo", s)
		}
		equal(t, "OnDuty(b-q1)", onDuty(e, "b-q1"), "")
	}},
	{"CreateStaff/Errors", func(t *testing.T, e *env) {
		e.org(t)
		wantErr(t, e.CreateStaff(survey.Staff{ID: "nv-lan", Unit: "so-b", Name: "Khác"}), survey.ECONFLICT, "id")
		for _, c := range []struct {
			s     survey.Staff
			field string
		}{
			{survey.Staff{ID: "NV", Unit: "so-a", Name: "X"}, "id"},
			{survey.Staff{ID: "nv-x", Unit: "so-a", Name: ""}, "name"},
			{survey.Staff{ID: "nv-x", Unit: "so-a", Name: "X", Position: string(make([]rune, 101))}, "position"},
			{survey.Staff{ID: "nv-x", Unit: "nope", Name: "X"}, "unit"},
		} {
			wantErr(t, e.CreateStaff(c.s), survey.EINVALID, c.field)
		}
		if s := e.StaffMember("nv-lan"); s.Unit != "so-a" || e.StaffMember("nv-x") != nil {
			t.Fatalf("a refused CreateStaff changed the staff: %+v", s)
		}
	}},
	{"UpdateStaff", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.SignOn("nv-lan", "a-q1"))
		_, err := e.SetStaffPhoto("nv-lan", pngImage(t))
		must(t, err)
		photo := e.StaffMember("nv-lan").Photo
		must(t, e.UpdateStaff("nv-lan", "Lan", "Trưởng bộ phận", "so-a"))
		s := e.StaffMember("nv-lan")
		if s.Name != "Lan" || s.Position != "Trưởng bộ phận" || s.Photo != photo || s.Counter != "a-q1" {
			t.Fatalf("updated staff %+v, want the photo and the counter kept", s)
		}
		must(t, e.UpdateStaff("nv-lan", "Lan", "", "so-b")) // moved away from a-q1's unit
		if s := e.StaffMember("nv-lan"); s.Unit != "so-b" || s.Counter != "" {
			t.Fatalf("moved staff %+v, want signed off", s)
		}
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "")
	}},
	{"UpdateStaff/Errors", func(t *testing.T, e *env) {
		e.org(t)
		wantErr(t, e.UpdateStaff("nope", "X", "", "so-a"), survey.ENOTFOUND)
		wantErr(t, e.UpdateStaff("nv-lan", "", "", "so-a"), survey.EINVALID)
		wantErr(t, e.UpdateStaff("nv-lan", "Lan", "", "nope"), survey.EINVALID)
		if s := e.StaffMember("nv-lan"); s.Name != "Nguyễn Thị Lan" || s.Unit != "so-a" || e.StaffMember("nope") != nil {
			t.Fatalf("a refused UpdateStaff changed the staff: %+v", s)
		}
	}},
	{"Photos", func(t *testing.T, e *env) {
		e.org(t)
		if ct, img := e.StaffPhoto("nv-lan"); ct != "" || img != nil {
			t.Fatal("a photo before any was set")
		}
		for _, c := range []struct {
			img   []byte
			ctype string
		}{{pngImage(t), "image/png"}, {jpegImage(t), "image/jpeg"}} {
			ct, err := e.SetStaffPhoto("nv-lan", c.img)
			must(t, err)
			equal(t, "content type", ct, c.ctype)
			hash := e.StaffMember("nv-lan").Photo
			if hash == "" {
				t.Fatal("Staff.Photo is empty after SetStaffPhoto")
			}
			ct, img := e.StaffPhoto("nv-lan")
			if ct != c.ctype || !bytes.Equal(img, c.img) {
				t.Fatalf("StaffPhoto = %q, %d bytes", ct, len(img))
			}
			s, ct, img := e.PhotoByHash(hash)
			if s == nil || s.ID != "nv-lan" || ct != c.ctype || !bytes.Equal(img, c.img) {
				t.Fatalf("PhotoByHash = %+v, %q, %d bytes", s, ct, len(img))
			}
		}
		if s, _, _ := e.PhotoByHash("nope"); s != nil {
			t.Fatal("PhotoByHash(nope) found a photo")
		}
		if s, _, _ := e.PhotoByHash(""); s != nil {
			t.Fatal("PhotoByHash(\"\") found a photo")
		}
	}},
	{"SetStaffPhoto/Errors", func(t *testing.T, e *env) {
		e.org(t)
		good := pngImage(t)
		_, err := e.SetStaffPhoto("nv-lan", good)
		must(t, err)
		hash := e.StaffMember("nv-lan").Photo
		_, err = e.SetStaffPhoto("nope", good)
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.SetStaffPhoto("nv-lan", make([]byte, survey.MaxPhotoBytes+1))
		wantErr(t, err, survey.ETOOLARGE)
		for _, img := range [][]byte{nil, []byte("GIF89a\x01\x00\x01\x00"), []byte("\x89PNG\r\n\x1a\nnot a png"), []byte("photo.jpg")} {
			_, err = e.SetStaffPhoto("nv-lan", img)
			wantErr(t, err, survey.EINVALID, "photo")
		}
		ct, img := e.StaffPhoto("nv-lan")
		if e.StaffMember("nv-lan").Photo != hash || ct != "image/png" || !bytes.Equal(img, good) {
			t.Fatal("a refused SetStaffPhoto changed the photo")
		}
	}},
	{"DeleteStaffPhoto", func(t *testing.T, e *env) {
		e.org(t)
		_, err := e.SetStaffPhoto("nv-lan", pngImage(t))
		must(t, err)
		hash := e.StaffMember("nv-lan").Photo
		must(t, e.DeleteStaffPhoto("nv-lan"))
		equal(t, "Photo", e.StaffMember("nv-lan").Photo, "")
		if ct, img := e.StaffPhoto("nv-lan"); ct != "" || img != nil {
			t.Fatal("StaffPhoto after DeleteStaffPhoto")
		}
		if s, _, _ := e.PhotoByHash(hash); s != nil {
			t.Fatal("PhotoByHash finds a deleted photo")
		}
		wantErr(t, e.DeleteStaffPhoto("nope"), survey.ENOTFOUND)
	}},
}

var kioskCases = []testCase{
	{"AddKiosk", func(t *testing.T, e *env) {
		e.org(t)
		code, err := e.AddKiosk(survey.Kiosk{ID: "k-b2", Unit: "so-b", Counter: "b-q1", Name: "Ki-ốt 2"})
		must(t, err)
		if code == "" {
			t.Fatal("no pairing code")
		}
		k := e.Kiosk("k-b2")
		if k == nil || k.Unit != "so-b" || k.Counter != "b-q1" || k.Revoked || !k.PairedAt.IsZero() {
			t.Fatalf("Kiosk(k-b2) = %+v", k)
		}
		if k := e.KioskByPairCode(code); k == nil || k.ID != "k-b2" {
			t.Fatalf("KioskByPairCode = %+v", k)
		}
		equalSlice(t, "Kiosks", sorted(ids(e.Kiosks(), func(k survey.Kiosk) string { return k.ID })), []string{"k-a1", "k-a2", "k-b1", "k-b2"})
		if e.Kiosk("nope") != nil || e.KioskByPairCode("nope") != nil || Must(e.KioskByKey("nope")) != nil {
			t.Fatal("a lookup of an unknown kiosk found one")
		}
	}},
	{"AddKiosk/Errors", func(t *testing.T, e *env) {
		e.org(t)
		_, err := e.AddKiosk(survey.Kiosk{ID: "k-a1", Unit: "so-b", Name: "Khác"})
		wantErr(t, err, survey.ECONFLICT)
		for _, c := range []struct {
			k     survey.Kiosk
			field string
		}{
			{survey.Kiosk{ID: "K 1", Unit: "so-a", Name: "X"}, "id"},
			{survey.Kiosk{ID: "k-x", Unit: "nope", Name: "X"}, "unit"},
			{survey.Kiosk{ID: "k-x", Unit: "so-b", Counter: "a-q1", Name: "X"}, "counter"},
			{survey.Kiosk{ID: "k-x", Unit: "so-b", Name: ""}, "name"},
		} {
			_, err := e.AddKiosk(c.k)
			wantErr(t, err, survey.EINVALID, c.field)
		}
		if e.Kiosk("k-a1").Unit != "so-a" || e.Kiosk("k-x") != nil || len(e.Kiosks()) != 3 {
			t.Fatal("a refused AddKiosk changed the kiosks")
		}
	}},
	{"PairKiosk/SingleUse", func(t *testing.T, e *env) {
		e.org(t)
		code, err := e.AddKiosk(survey.Kiosk{ID: "k-b2", Unit: "so-b", Name: "Ki-ốt 2"})
		must(t, err)
		k, key, err := e.PairKiosk(code)
		must(t, err)
		if k == nil || k.ID != "k-b2" || key == "" || k.PairedAt.IsZero() {
			t.Fatalf("PairKiosk = %+v, %q", k, key)
		}
		if k := Must(e.KioskByKey(key)); k == nil || k.ID != "k-b2" {
			t.Fatalf("KioskByKey = %+v", k)
		}
		_, _, err = e.PairKiosk(code)
		wantErr(t, err, survey.ENOTFOUND)
		if e.KioskByPairCode(code) != nil {
			t.Fatal("KioskByPairCode finds a used code")
		}
		_, _, err = e.PairKiosk("nope")
		wantErr(t, err, survey.ENOTFOUND)
		if k := Must(e.KioskByKey(key)); k == nil {
			t.Fatal("a refused pairing dropped the device key")
		}
	}},
	{"RenameKiosk", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.RenameKiosk("k-a1", "Ki-ốt sảnh"))
		equal(t, "name", e.Kiosk("k-a1").Name, "Ki-ốt sảnh")
		wantErr(t, e.RenameKiosk("nope", "X"), survey.ENOTFOUND)
		wantErr(t, e.RenameKiosk("k-a1", ""), survey.EINVALID, "name")
		equal(t, "name", e.Kiosk("k-a1").Name, "Ki-ốt sảnh")
	}},
	{"RepairKiosk", func(t *testing.T, e *env) {
		e.org(t)
		code, err := e.AddKiosk(survey.Kiosk{ID: "k-b2", Unit: "so-b", Name: "Ki-ốt 2"})
		must(t, err)
		_, oldKey, err := e.PairKiosk(code)
		must(t, err)
		code1, err := e.RepairKiosk("k-b2")
		must(t, err)
		code2, err := e.RepairKiosk("k-b2") // replaces the unused code1
		must(t, err)
		if Must(e.KioskByKey(oldKey)) == nil {
			t.Fatal("the paired device stopped before the new code was redeemed")
		}
		_, _, err = e.PairKiosk(code1)
		wantErr(t, err, survey.ENOTFOUND)
		_, newKey, err := e.PairKiosk(code2)
		must(t, err)
		if Must(e.KioskByKey(oldKey)) != nil || Must(e.KioskByKey(newKey)) == nil {
			t.Fatal("after re-pairing, want the old key dropped and the new one working")
		}
		_, err = e.RepairKiosk("nope")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"RevokeKiosk", func(t *testing.T, e *env) {
		e.org(t)
		code, err := e.AddKiosk(survey.Kiosk{ID: "k-b2", Unit: "so-b", Name: "Ki-ốt 2"})
		must(t, err)
		_, key, err := e.PairKiosk(code)
		must(t, err)
		unused, err := e.RepairKiosk("k-b2")
		must(t, err)
		must(t, e.RevokeKiosk("k-b2"))
		if Must(e.KioskByKey(key)) != nil || e.KioskByPairCode(unused) != nil {
			t.Fatal("a revoked kiosk's key or code still works")
		}
		_, _, err = e.PairKiosk(unused)
		wantErr(t, err, survey.ENOTFOUND)
		if k := e.Kiosk("k-b2"); k == nil || !k.Revoked {
			t.Fatalf("revoked kiosk %+v, want listed and revoked", k)
		}
		must(t, e.RevokeKiosk("k-b2")) // again: not an error
		wantErr(t, e.RevokeKiosk("nope"), survey.ENOTFOUND)
		again, err := e.RepairKiosk("k-b2") // reinstates
		must(t, err)
		_, key2, err := e.PairKiosk(again)
		must(t, err)
		if k := Must(e.KioskByKey(key2)); k == nil || k.Revoked {
			t.Fatalf("reinstated kiosk %+v", k)
		}
	}},
	{"KioskSeen", func(t *testing.T, e *env) {
		e.org(t)
		at := T0.Add(time.Hour)
		must(t, e.KioskSeen("k-a1", 3, "2.1.0", at))
		k := e.Kiosk("k-a1")
		if !k.LastSeen.Equal(at) || k.Queue != 3 || k.Version != "2.1.0" {
			t.Fatalf("after KioskSeen: %+v", k)
		}
		must(t, e.KioskSeen("k-a1", 3, "2.1.0", at.Add(time.Second))) // may skip the write, not the value
		if k := e.Kiosk("k-a1"); !k.LastSeen.Equal(at.Add(time.Second)) {
			t.Fatalf("LastSeen %v, want %v", k.LastSeen, at.Add(time.Second))
		}
		must(t, e.KioskSeen("k-a1", 0, "2.2.0", at.Add(2*time.Second)))
		if k := e.Kiosk("k-a1"); k.Queue != 0 || k.Version != "2.2.0" {
			t.Fatalf("after KioskSeen: %+v", k)
		}
		wantErr(t, e.KioskSeen("nope", 0, "1", at), survey.ENOTFOUND)
		wantErr(t, e.KioskSeen("k-a1", -1, "1", at), survey.EINVALID, "queue")
		wantErr(t, e.KioskSeen("k-a1", 0, "1\n2", at), survey.EINVALID, "version")
		wantErr(t, e.KioskSeen("k-a1", 0, strings.Repeat("1", survey.MaxKioskVersion+1), at), survey.EINVALID, "version")
		if k := e.Kiosk("k-a1"); k.Queue != 0 || k.Version != "2.2.0" {
			t.Fatalf("a refused KioskSeen changed the kiosk: %+v", k)
		}
	}},
}

func pngImage(t *testing.T) []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

func jpegImage(t *testing.T) []byte {
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil))
	return b.Bytes()
}
