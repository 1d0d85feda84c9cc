package admin_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"testing"

	"hailong/survey"
	"hailong/web"
)

func TestPublicPhotoForKiosks(t *testing.T) {
	s := newServer(t)
	if err := s.DB.PutStaff(survey.Staff{ID: "nv-mai", Unit: "so-a", Name: "Lê Thị Mai", Position: "Chuyên viên"}); err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
	if _, err := s.DB.SetStaffPhoto("nv-mai", img.Bytes()); err != nil {
		t.Fatal(err)
	}
	hash := s.DB.StaffMember("nv-mai").Photo
	device := func(unit string) string {
		code, err := s.DB.AddKiosk(survey.Kiosk{ID: "k-" + unit, Unit: unit, Name: "Ki-ốt"})
		if err != nil {
			t.Fatal(err)
		}
		_, key, err := s.DB.PairKiosk(code)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	get := func(cookie string) (int, string, []byte) {
		req, _ := http.NewRequest("GET", s.URL+"/photos/"+hash, nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: web.KioskCookie, Value: cookie})
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	if st, ct, b := get(device("so-a")); st != 200 || ct != "image/png" || !bytes.Equal(b, img.Bytes()) {
		t.Fatalf("own kiosk: %d %s", st, ct)
	}
	if st, _, _ := get(device("so-b")); st != http.StatusForbidden {
		t.Fatalf("another unit's kiosk: %d", st)
	}
	if st, _, _ := get(""); st != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", st)
	}
	req, _ := http.NewRequest("GET", s.URL+"/photos/0000", nil)
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown photo: %d", res.StatusCode)
	}
}
