package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"hailong/survey"
	"hailong/survey/storetest"
)

// The installation pages through the real server: who may open them, CSRF,
// and that every page renders.

var systemGets = []string{
	"/admin/surveys", "/admin/surveys/use", "/admin/surveys/quay/v/1", "/admin/surveys/sipas/edit",
	"/admin/settings", "/admin/users", "/admin/users/root", "/admin/backup", "/admin/audit", "/admin/imports",
}

// systemPosts are the state-changing routes with a body that would succeed
// for an administrator.
var systemPosts = []struct {
	path string
	form url.Values
}{
	{"/admin/surveys/use", url.Values{"unit": {"so-a"}, "kiosk": {"sipas"}, "receipt": {""}}},
	{"/admin/surveys/quay/edit", nil}, // filled from the editor below
	{"/admin/settings", url.Values{"method": {"mean"}, "min_n": {"50"}, "misuse": {"9"}, "receipt_days": {"30"}, "session_idle": {"30m"},
		"session_max": {"8h"}, "kiosk_idle": {"40"}, "kiosk_thanks": {"4"}, "kiosk_partial": {"discard"}, "retention": {"365"},
		"window": {"14"}, "deadline_days": {"12"}, "contact_days": {"45"}}},
	{"/admin/users", url.Values{"username": {"moi"}, "role": {"viewer"}, "password": {"mat-khau-moi-1"}, "password2": {"mat-khau-moi-1"}}},
	{"/admin/users/khach", url.Values{"role": {"viewer"}, "disabled": {"1"}}},
	{"/admin/users/khach/password", url.Values{"password": {"mat-khau-moi-2"}, "password2": {"mat-khau-moi-2"}}},
	{"/admin/users/khach/delete", url.Values{"confirm": {"1"}}},
	{"/admin/tokens", url.Values{"name": {"Một cửa"}, "role": {"reception"}}},
	{"/admin/tokens/t1/revoke", url.Values{}},
	{"/admin/backup", url.Values{}},
}

func TestSystemPagesRender(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, p := range systemGets {
		st, body := adm.get(p)
		if st != http.StatusOK {
			t.Errorf("GET %s: %d", p, st)
			continue
		}
		mustContain(t, p, body, `<span class="en" lang="en">`, "</html>")
		if strings.Contains(body, "<form") && !strings.Contains(body, `name="_csrf"`) {
			t.Errorf("GET %s: a form without the CSRF field", p)
		}
	}
	_, body := adm.get("/admin/surveys")
	mustContain(t, "surveys", body, "/admin/surveys/quay/v/1", "/admin/surveys/sipas/edit", "quay", "sipas")
	_, body = adm.get("/admin/surveys/quay/v/1")
	mustContain(t, "quay v1", body, "staff_attitude", "Thái độ phục vụ của công chức", "Staff attitude", "had_to_stand", "Rất không hài lòng")
	_, body = adm.get("/admin/settings")
	mustContain(t, "settings", body, "Asia/Ho_Chi_Minh", "hailong reindex --tz", "Mỗi giờ, máy chủ xoá nội dung góp ý", `value="share45" selected`)
	_, body = adm.get("/admin/backup")
	mustContain(t, "backup", body, "data/hailong.db", "Khôi phục", "Restore")
	for _, p := range []string{"/admin/surveys/nope/v/1", "/admin/surveys/quay/v/9", "/admin/surveys/quay/v/x", "/admin/surveys/nope/edit", "/admin/users/nobody", "/admin/users/NO%20BODY"} {
		if st, _ := adm.get(p); st != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, st)
		}
	}
	if st, _ := adm.get("/admin/audit?before=abc"); st != http.StatusBadRequest {
		t.Errorf("audit with a bad before: %d, want 400", st)
	}
}

func TestSystemRoutesRefuseOthers(t *testing.T) {
	s := newServer(t)
	s.login(t, "root", survey.RoleAdmin, "")
	s.login(t, "khach", survey.RoleViewer, "so-b")
	secret, _ := s.DB.AddToken(survey.Token{Name: "x", Role: survey.RoleViewer})
	for _, who := range []*browser{
		s.login(t, "giamdoc", survey.RoleManager, "so-a"),
		s.login(t, "xem", survey.RoleViewer, ""),
		s.login(t, "letan", survey.RoleReception, "so-a"),
	} {
		for _, p := range systemGets {
			if st, _ := who.get(p); st != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", p, st)
			}
		}
		for _, p := range systemPosts {
			if st, _ := who.post(p.path, p.form); st != http.StatusForbidden {
				t.Errorf("POST %s: %d, want 403", p.path, st)
			}
		}
	}
	assertUnchanged(t, s, secret)
}

func TestSystemPostsNeedCSRF(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	s.login(t, "khach", survey.RoleViewer, "so-b")
	secret, _ := s.DB.AddToken(survey.Token{Name: "x", Role: survey.RoleViewer})
	_, body := adm.get("/admin/surveys/quay/edit")
	edit := formValues(t, body, "/admin/surveys/quay/edit")
	edit.Set("c1-vi", "Đổi nhãn")
	for _, p := range systemPosts {
		v := p.form
		if v == nil {
			v = edit
		}
		if st, _ := adm.postForm(p.path, v); st != http.StatusForbidden {
			t.Errorf("POST %s without _csrf: %d, want 403", p.path, st)
		}
		w := url.Values{"_csrf": {"not-the-token"}}
		for k, x := range v {
			w[k] = x
		}
		if st, _ := adm.postForm(p.path, w); st != http.StatusForbidden {
			t.Errorf("POST %s with a wrong _csrf: %d, want 403", p.path, st)
		}
	}
	assertUnchanged(t, s, secret)
}

// assertUnchanged checks that none of systemPosts took effect.
func assertUnchanged(t *testing.T, s *server, secret string) {
	t.Helper()
	if v := s.DB.Survey("quay", 0).Version; v != 1 {
		t.Errorf("quay has version %d", v)
	}
	if v := s.DB.OwnSurveyFor("so-a", survey.UseKiosk); v != "" {
		t.Errorf("so-a's kiosk survey set to %q", v)
	}
	if set := s.DB.Settings(); !reflect.DeepEqual(set, survey.DefaultSettings()) {
		t.Errorf("settings changed: %+v", set)
	}
	if s.DB.User("moi") != nil {
		t.Error("user moi was created")
	}
	if u := s.DB.User("khach"); u == nil || u.Disabled || s.DB.CheckPassword("khach", "mat-khau-dai-1") == nil {
		t.Error("user khach was changed")
	}
	if storetest.Must(s.DB.TokenBySecret(secret)) == nil {
		t.Error("token t1 was revoked")
	}
	if len(s.DB.Tokens()) != 1 {
		t.Errorf("%d tokens", len(s.DB.Tokens()))
	}
	for _, e := range s.DB.AuditLog(1000, zeroTime) {
		if e.Action != "login" {
			t.Errorf("audit entry %+v", e)
		}
	}
}

// TestSystemPostsWorkForAdmin shows the bodies above are ones that succeed,
// so the refusals are not refusals of a bad form.
func TestSystemPostsWorkForAdmin(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	s.login(t, "khach", survey.RoleViewer, "so-b")
	if _, err := s.DB.AddToken(survey.Token{Name: "x", Role: survey.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	_, body := adm.get("/admin/surveys/quay/edit")
	edit := formValues(t, body, "/admin/surveys/quay/edit")
	edit.Set("c1-vi", "Đổi nhãn")
	want := map[string]int{"/admin/tokens": http.StatusCreated, "/admin/backup": http.StatusOK}
	for _, p := range systemPosts {
		v := p.form
		if v == nil {
			v = edit
		}
		w := want[p.path]
		if w == 0 {
			w = http.StatusSeeOther
		}
		if st, body := adm.post(p.path, v); st != w {
			t.Errorf("POST %s: %d, want %d\n%s", p.path, st, w, body)
		}
	}
	if len(s.DB.AuditLog(100, zeroTime)) < len(systemPosts)+2 {
		t.Errorf("audit log: %d entries", len(s.DB.AuditLog(100, zeroTime)))
	}
}
