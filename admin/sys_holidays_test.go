package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

func TestHolidaysPage(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	mgr := s.login(t, "ql", survey.RoleManager, "so-a")
	st, body := adm.get("/admin/holidays")
	if st != http.StatusOK {
		t.Fatalf("page: %d", st)
	}
	mustContain(t, "seeded", body, "Tết Nguyên đán Bính Ngọ", "Giỗ Tổ Hùng Vương", `datetime="2026-09-02"`)
	if st, _ := mgr.get("/admin/holidays"); st != http.StatusForbidden {
		t.Errorf("manager: %d", st)
	}
	audits := len(s.DB.AuditLog(1000, time.Time{}))
	for field, v := range map[string]url.Values{"day": {"day": {"24/11/2026"}, "name": {"x"}}, "name": {"day": {"2026-11-24"}, "name": {" "}}} {
		st, body := adm.post("/admin/holidays", v)
		if st != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", field, st)
		}
		mustContain(t, field, body, `href="#hol-`+field+`"`, `id="hol-`+field+`-error"`)
	}
	if st, _ := adm.post("/admin/holidays/delete", url.Values{"day": {"2026-11-24"}}); st != http.StatusNotFound {
		t.Errorf("delete an unknown day: %d", st)
	}
	if n := len(s.DB.AuditLog(1000, time.Time{})); n != audits {
		t.Errorf("refusals wrote %d audit entries", n-audits)
	}
	if st, _ := adm.post("/admin/holidays", url.Values{"day": {"2026-11-24"}, "name": {"Ngày Văn hóa Việt Nam"}}); st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	if s.DB.Calendar().Workday(time.Date(2026, 11, 24, 12, 0, 0, 0, s.DB.Loc())) {
		t.Error("the added holiday is a working day")
	}
	if st, _ := adm.post("/admin/holidays/delete", url.Values{"day": {"2026-04-27"}}); st != http.StatusSeeOther {
		t.Fatalf("delete: %d", st)
	}
	_, body = adm.get("/admin/holidays?ok=holiday-deleted")
	mustContain(t, "after", body, "Ngày Văn hóa Việt Nam", "Đã xoá ngày nghỉ")
	if strings.Contains(body, `datetime="2026-04-27"`) {
		t.Error("the deleted day is still listed")
	}
	if a := s.DB.AuditLog(1, time.Time{})[0]; a.Action != "holiday.delete" || a.Actor != "root" {
		t.Errorf("audit %+v", a)
	}
}

func TestUserNotify(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	s.login(t, "ql", survey.RoleManager, "so-a")
	st, body := adm.post("/admin/users/ql/notify", url.Values{"email": {"ql@"}, "alerts": {"1"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad e-mail: %d", st)
	}
	mustContain(t, "bad", body, `href="#email"`, `id="email-error"`, `value="ql@"`)
	if st, _ := adm.post("/admin/users/ql/notify", url.Values{"email": {"ql@so-a.gov.vn"}, "alerts": {"1"}}); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	if u := s.DB.User("ql"); u.Email != "ql@so-a.gov.vn" || u.NoAlerts || !u.NoDigest {
		t.Errorf("user %+v", u)
	}
	_, body = adm.get("/admin/users/ql?ok=notify")
	mustContain(t, "page", body, `value="ql@so-a.gov.vn"`, `id="alerts" name="alerts" value="1" checked`)
	if st, _ := adm.post("/admin/users/khong-co/notify", url.Values{"email": {"a@b.vn"}}); st != http.StatusNotFound {
		t.Errorf("unknown user: %d", st)
	}
}
