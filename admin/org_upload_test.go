package admin_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"hailong/survey"
)

// orgUpload posts a multipart form with the session's CSRF token, the
// fields and one file.
func (b *browser) orgUpload(path, field, filename, ctype string, data []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", b.CSRF)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="` + field + `"; filename="` + filename + `"`}
	h["Content-Type"] = []string{ctype}
	part, _ := w.CreatePart(h)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.s.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// orgGetRaw fetches path and returns the status, content type and body.
func (b *browser) orgGetRaw(path string) (int, string, []byte) {
	b.t.Helper()
	res, err := b.c.Get(b.s.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), data
}

func pngBytes(t *testing.T, side int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	for i := 0; i < side; i++ {
		img.Set(i, i, color.RGBA{11, 83, 148, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOrgStaffPhoto(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	img := pngBytes(t, 32)
	// The declared type and name are ignored: the bytes say PNG.
	if st, body := adm.orgUpload("/admin/staff/nv-lan/photo", "photo", "anh.jpg", "application/octet-stream", img); st != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", st, body)
	}
	hash := s.DB.StaffMember("nv-lan").Photo
	if hash == "" {
		t.Fatal("no photo hash on the staff member")
	}
	st, ctype, got := adm.orgGetRaw("/admin/staff/nv-lan/photo")
	if st != 200 || ctype != "image/png" || !bytes.Equal(got, img) {
		t.Fatalf("photo served: %d %q, %d bytes", st, ctype, len(got))
	}
	_, page := adm.get("/admin/staff/nv-lan/edit")
	orgWant(t, "edit page", page, `src="/admin/staff/nv-lan/photo?v=`+hash+`"`)
	_, page = adm.get("/admin/staff")
	orgWant(t, "list", page, `src="/admin/staff/nv-lan/photo?v=`+hash+`"`)

	big := append(pngBytes(t, 8), bytes.Repeat([]byte{0}, survey.MaxPhotoBytes)...) // over 512 KiB, under the upload limit
	for _, c := range []struct {
		name, filename, ctype string
		data                  []byte
		status                int
		want                  string
	}{
		{"ErrTextRenamedPNG", "anh.png", "image/png", []byte("<script>alert(1)</script> not an image"), 422, "không phải ảnh JPEG, PNG hoặc WebP"},
		{"ErrHTMLWithPNGMagic", "anh.png", "image/png", append([]byte("\x89PNG\r\n\x1a\n"), "<html>"...), 422, "không phải ảnh"},
		{"ErrEmpty", "anh.png", "image/png", nil, 422, "Chưa chọn ảnh"},
		{"ErrTooLarge", "anh.png", "image/png", big, 413, "512 KiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, body := adm.orgUpload("/admin/staff/nv-lan/photo", "photo", c.filename, c.ctype, c.data)
			if st != c.status {
				t.Fatalf("status %d, want %d", st, c.status)
			}
			orgWant(t, c.name, body, c.want, `href="#staff-photo"`, `class="field-error"`)
			if strings.Contains(body, "<script>alert") {
				t.Error("the file's content is echoed")
			}
			if s.DB.StaffMember("nv-lan").Photo != hash {
				t.Fatal("a refused upload changed the photo")
			}
			if _, _, got := adm.orgGetRaw("/admin/staff/nv-lan/photo"); !bytes.Equal(got, img) {
				t.Fatal("a refused upload changed the stored bytes")
			}
		})
	}
	t.Run("ErrNoFile", func(t *testing.T) {
		if st, body := adm.post("/admin/staff/nv-lan/photo", nil); st != 422 || !strings.Contains(body, `href="#staff-photo"`) {
			t.Fatalf("no file: %d", st)
		}
	})
	t.Run("ManagerOutsideSubtree", func(t *testing.T) {
		mgr := s.login(t, "giamdoc-b", survey.RoleManager, "so-b")
		if st, _, _ := mgr.orgGetRaw("/admin/staff/nv-lan/photo"); st != http.StatusForbidden {
			t.Fatalf("manager of so-b reads so-a's photo: %d", st)
		}
		if st, _ := mgr.orgUpload("/admin/staff/nv-lan/photo", "photo", "a.png", "image/png", img); st != http.StatusForbidden {
			t.Fatalf("manager of so-b uploads: %d", st)
		}
	})
	if st, _ := adm.post("/admin/staff/nv-lan/photo/delete", nil); st != http.StatusSeeOther {
		t.Fatalf("delete: %d", st)
	}
	if st, _, _ := adm.orgGetRaw("/admin/staff/nv-lan/photo"); st != http.StatusNotFound || s.DB.StaffMember("nv-lan").Photo != "" {
		t.Fatalf("after delete: %d", st)
	}
	var photoAudit int
	for _, e := range s.DB.AuditLog(50, s.DB.Now().AddDate(1, 0, 0)) {
		if e.Action == "staff.photo" && e.Target == "nv-lan" {
			photoAudit++
		}
	}
	if photoAudit != 1 {
		t.Fatalf("%d staff.photo audit entries, want 1 (refused uploads write none)", photoAudit)
	}
}

func TestOrgImportUnits(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	bad := "id,name,parent,group\n" +
		"so-moi,Sở Mới,prov,khoi-so\n" +
		"Sai Ma,Tên,prov,\n" +
		"so-con,Phòng,khong-co,\n"
	st, body := adm.orgUpload("/admin/units/import", "file", "don-vi.csv", "text/csv", []byte(bad))
	if st != 422 {
		t.Fatalf("bad file: %d", st)
	}
	orgWant(t, "bad file", body, `href="#csv-file"`, "chưa đơn vị nào được lưu", `<td class="num">3</td>`, `<td class="num">4</td>`, "khong-co")
	if s.DB.Unit("so-moi") != nil {
		t.Fatal("a refused import stored a unit")
	}
	good := "\ufeffid,name,parent,group\n" +
		"phong-a,Phòng A,so-moi,\n" + // before its parent
		"so-moi,Sở Mới,prov,khoi-moi\n" +
		"so-a,Sở A (đổi tên),prov,khoi-so\n"
	st, body = adm.orgUpload("/admin/units/import", "file", "don-vi.csv", "text/csv", []byte(good))
	if st != 200 {
		t.Fatalf("good file: %d %s", st, body)
	}
	orgWant(t, "good file", body, "Đã nhập 3 đơn vị", "Phòng A", "Sở A (đổi tên)")
	if u := s.DB.Unit("phong-a"); u == nil || u.Parent != "so-moi" {
		t.Fatalf("imported unit %+v", u)
	}
	if st, body := adm.orgUpload("/admin/units/import", "file", "rong.csv", "text/csv", nil); st != 422 || !strings.Contains(body, `href="#csv-file"`) {
		t.Fatalf("empty file: %d", st)
	}
	if st, _ := adm.orgUpload("/admin/units/import", "file", "lon.csv", "text/csv", bytes.Repeat([]byte("a,b,c,d\n"), 140_000)); st != 413 {
		t.Fatalf("file over 1 MiB: %d", st)
	}
	mgr := s.login(t, "giamdoc", survey.RoleManager, "so-a")
	if st, _ := mgr.orgUpload("/admin/units/import", "file", "don-vi.csv", "text/csv", []byte(good)); st != http.StatusForbidden {
		t.Fatalf("manager import: %d", st)
	}
}
