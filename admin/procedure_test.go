package admin_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

func TestProcedureCatalogue(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	st, body := adm.get("/admin/procedures")
	if st != 200 {
		t.Fatalf("page: %d", st)
	}
	mustContain(t, "empty catalogue", body, "Danh mục chưa có thủ tục nào", `name="_csrf"`, `action="/admin/procedures/import"`)
	_, idx := adm.get("/admin/")
	mustContain(t, "admin index", idx, `href="/admin/procedures"`)

	t.Run("AddRenameDelete", func(t *testing.T) {
		if st, b := adm.post("/admin/procedures", url.Values{"code": {"1.001612"}, "name": {"Đăng ký thành lập hộ kinh doanh"}}); st != http.StatusSeeOther {
			t.Fatalf("add: %d %s", st, b)
		}
		if n := s.DB.ProcedureName("1.001612"); n != "Đăng ký thành lập hộ kinh doanh" {
			t.Fatalf("stored %q", n)
		}
		_, b := adm.get("/admin/procedures?ok=procedure-added&q=1.001612")
		mustContain(t, "after adding", b, "Đã thêm thủ tục", "Đăng ký thành lập hộ kinh doanh", "<code>1.001612</code>")
		// "Sửa" fills the form with the entry.
		_, b = adm.get("/admin/procedures?code=1.001612")
		mustContain(t, "edit", b, `value="1.001612"`, ">Đăng ký thành lập hộ kinh doanh</textarea>")
		if st, _ := adm.post("/admin/procedures", url.Values{"code": {"1.001612"}, "name": {"Đăng ký hộ kinh doanh"}}); st != http.StatusSeeOther {
			t.Fatalf("rename: %d", st)
		}
		if n := s.DB.ProcedureName("1.001612"); n != "Đăng ký hộ kinh doanh" {
			t.Fatalf("renamed to %q", n)
		}
		if st, _ := adm.post("/admin/procedures/delete", url.Values{"code": {"1.001612"}}); st != http.StatusSeeOther {
			t.Fatalf("delete: %d", st)
		}
		if s.DB.ProcedureName("1.001612") != "" {
			t.Fatal("not deleted")
		}
		if st, _ := adm.post("/admin/procedures/delete", url.Values{"code": {"1.001612"}}); st != http.StatusNotFound {
			t.Fatalf("deleting an absent code: %d, want 404", st)
		}
		var actions []string
		for _, e := range s.DB.AuditLog(20, time.Time{}) {
			if strings.HasPrefix(e.Action, "procedure") {
				actions = append(actions, e.Action+" "+e.Target)
			}
		}
		if strings.Join(actions, "|") != "procedure.delete 1.001612|procedure.rename 1.001612|procedure.add 1.001612" {
			t.Errorf("audit %q", actions)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		for _, c := range []struct {
			v     url.Values
			field string
		}{
			{url.Values{"code": {""}, "name": {"Tên"}}, "proc-code"},
			{url.Values{"code": {"1.2"}, "name": {""}}, "proc-name"},
			{url.Values{"code": {"1.2"}, "name": {strings.Repeat("ư", 401)}}, "proc-name"},
			{url.Values{"code": {strings.Repeat("9", 101)}, "name": {"Tên"}}, "proc-code"},
		} {
			st, b := adm.post("/admin/procedures", c.v)
			if st != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d, want 422", c.v, st)
				continue
			}
			mustContain(t, c.field, b, `href="#`+c.field+`"`, `id="`+c.field+`-error"`)
			if name := c.v.Get("name"); name != "" && !strings.Contains(b, html.EscapeString(name)) {
				t.Errorf("%s: the typed name is not kept", c.field)
			}
		}
		if len(s.DB.Procedures()) != 0 {
			t.Fatal("a refused form stored something")
		}
	})

	t.Run("Import", func(t *testing.T) {
		bad := "code,name\n1.1,Tên một\n,Không mã\n"
		st, b := adm.orgUpload("/admin/procedures/import", "file", "thu-tuc.csv", "text/csv", []byte(bad))
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", st)
		}
		mustContain(t, "bad file", b, `href="#csv-file"`, "chưa thủ tục nào được lưu", `<td class="num">3</td>`)
		if len(s.DB.Procedures()) != 0 {
			t.Fatal("a refused file stored something")
		}
		good := "\ufeffcode,name\n1.001612,Đăng ký thành lập hộ kinh doanh\n2.000046,\"Cấp Giấy phép bán lẻ rượu, thuốc lá\"\n1.009972,Cấp giấy phép xây dựng <script>alert(1)</script>\n"
		st, b = adm.orgUpload("/admin/procedures/import", "file", "thu-tuc.csv", "text/csv", []byte(good))
		if st != 200 {
			t.Fatalf("good file: %d %s", st, b)
		}
		mustContain(t, "good file", b, "Đã nhập 3 thủ tục", "Cấp Giấy phép bán lẻ rượu, thuốc lá", "&lt;script&gt;")
		if strings.Contains(b, "<script>alert") {
			t.Error("a name is not escaped")
		}
		if st, _ := adm.orgUpload("/admin/procedures/import", "file", "lon.csv", "text/csv", bytes.Repeat([]byte("a,b\n"), 600_000)); st != http.StatusRequestEntityTooLarge {
			t.Errorf("2.4 MB file: %d, want 413", st)
		}
		// The search narrows the list, diacritics or not.
		_, b = adm.get("/admin/procedures?q=" + url.QueryEscape("xay dung"))
		mustContain(t, "search", b, "<code>1.009972</code>")
		if strings.Contains(b, "<code>1.001612</code>") {
			t.Error("the search did not narrow the list")
		}
		_, b = adm.get("/admin/procedures?q=" + url.QueryEscape("Hộ Kinh"))
		mustContain(t, "search with diacritics", b, "<code>1.001612</code>")
	})

	t.Run("AdminOnly", func(t *testing.T) {
		for _, who := range []*browser{s.login(t, "giamdoc", survey.RoleManager, "so-a"), s.login(t, "xem", survey.RoleViewer, "")} {
			if st, _ := who.get("/admin/procedures"); st != http.StatusForbidden {
				t.Errorf("GET as non-admin: %d", st)
			}
			if st, _ := who.post("/admin/procedures", url.Values{"code": {"9.9"}, "name": {"X"}}); st != http.StatusForbidden {
				t.Errorf("POST as non-admin: %d", st)
			}
			if st, _ := who.post("/admin/procedures/delete", url.Values{"code": {"1.001612"}}); st != http.StatusForbidden {
				t.Errorf("delete as non-admin: %d", st)
			}
		}
		if st, _ := adm.postForm("/admin/procedures", url.Values{"code": {"9.9"}, "name": {"X"}}); st != http.StatusForbidden {
			t.Errorf("POST without the CSRF token: %d", st)
		}
		if s.DB.ProcedureName("9.9") != "" || s.DB.ProcedureName("1.001612") == "" {
			t.Error("a refused request changed the catalogue")
		}
	})
}
