package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hailong/survey"
	"hailong/survey/storetest"
)

func TestUserAddEditDelete(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	add := url.Values{"username": {"nguyen-van-a"}, "role": {"manager"}, "unit": {"so-a"}, "password": {"mot-hai-ba-4"}, "password2": {"mot-hai-ba-4"}}
	if st, _ := adm.post("/admin/users", add); st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	if u := s.DB.User("nguyen-van-a"); u == nil || u.Role != "manager" || u.Unit != "so-a" || s.DB.CheckPassword("nguyen-van-a", "mot-hai-ba-4") == nil {
		t.Fatalf("added: %+v", u)
	}
	_, body := adm.get("/admin/users")
	mustContain(t, "list", body, "nguyen-van-a", "Sở A (so-a)", "Lãnh đạo, quản lý")
	if st, body := adm.post("/admin/users", add); st != http.StatusConflict || !strings.Contains(body, `id="username-error"`) {
		t.Errorf("duplicate: %d", st)
	}
	cases := map[string]url.Values{
		"username":  {"username": {"Bad Name"}, "role": {"viewer"}, "password": {"mot-hai-ba-4"}, "password2": {"mot-hai-ba-4"}},
		"role":      {"username": {"b"}, "role": {"root"}, "password": {"mot-hai-ba-4"}, "password2": {"mot-hai-ba-4"}},
		"unit":      {"username": {"b"}, "role": {"viewer"}, "unit": {"khong-co"}, "password": {"mot-hai-ba-4"}, "password2": {"mot-hai-ba-4"}},
		"password":  {"username": {"b"}, "role": {"viewer"}, "password": {"ngan-9-kt"}, "password2": {"ngan-9-kt"}},
		"password2": {"username": {"b"}, "role": {"viewer"}, "password": {"mot-hai-ba-4"}, "password2": {"mot-hai-ba-5"}},
	}
	for field, v := range cases {
		st, body := adm.post("/admin/users", v)
		if st != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", field, st)
		}
		mustContain(t, field, body, `href="#`+field+`"`, `id="`+field+`-error"`, `value="`+v.Get("username")+`"`)
		if strings.Contains(body, "mot-hai-ba") {
			t.Errorf("%s: the password is echoed", field)
		}
	}
	if len(s.DB.Users()) != 2 {
		t.Errorf("%d users", len(s.DB.Users()))
	}
	// Edit, reset the password, delete.
	if st, _ := adm.post("/admin/users/nguyen-van-a", url.Values{"role": {"viewer"}, "unit": {"so-b"}}); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	if u := s.DB.User("nguyen-van-a"); u.Role != "viewer" || u.Unit != "so-b" || u.Disabled {
		t.Errorf("edited: %+v", u)
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a", url.Values{"role": {"viewer"}, "unit": {"nope"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("edit with a bad unit: %d", st)
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a/password", url.Values{"password": {"ngan"}, "password2": {"ngan"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("short reset: %d", st)
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a/password", url.Values{"password": {"mat-khau-moi-99"}, "password2": {"mat-khau-moi-99"}}); st != http.StatusSeeOther {
		t.Errorf("reset: %d", st)
	}
	if s.DB.CheckPassword("nguyen-van-a", "mat-khau-moi-99") == nil || s.DB.CheckPassword("nguyen-van-a", "mot-hai-ba-4") != nil {
		t.Error("password not reset")
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a/delete", nil); st != http.StatusUnprocessableEntity || s.DB.User("nguyen-van-a") == nil {
		t.Errorf("delete without confirming: %d", st)
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a/delete", url.Values{"confirm": {"1"}}); st != http.StatusSeeOther || s.DB.User("nguyen-van-a") != nil {
		t.Errorf("delete: %d", st)
	}
	if st, _ := adm.post("/admin/users/nguyen-van-a/delete", url.Values{"confirm": {"1"}}); st != http.StatusNotFound {
		t.Errorf("delete again: %d", st)
	}
	var actions []string
	for _, e := range s.DB.AuditLog(10, zeroTime) {
		actions = append(actions, e.Action+" "+e.Target)
	}
	if got := strings.Join(actions, ","); got != "user.delete nguyen-van-a,user.password nguyen-van-a,user.update nguyen-van-a,user.add nguyen-van-a,login " {
		t.Errorf("audit: %s", got)
	}
}

func TestDisabledUserIsOutAtOnce(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	clerk := s.login(t, "clerk", survey.RoleManager, "so-a")
	if st, _ := clerk.get("/admin/"); st != http.StatusOK {
		t.Fatalf("clerk before: %d", st)
	}
	if st, _ := adm.post("/admin/users/clerk", url.Values{"role": {"manager"}, "unit": {"so-a"}, "disabled": {"1"}}); st != http.StatusSeeOther {
		t.Fatalf("disable: %d", st)
	}
	if st, _ := clerk.get("/admin/"); st != http.StatusSeeOther {
		t.Errorf("disabled clerk's next request: %d, want 303 to /login", st)
	}
	if s.DB.CheckPassword("clerk", "mat-khau-dai-1") != nil {
		t.Error("a disabled user can log in")
	}
	_, body := adm.get("/admin/users")
	mustContain(t, "list", body, "Đã khoá")
}

func TestLastAdminStays(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, v := range []url.Values{{"role": {"admin"}, "disabled": {"1"}}, {"role": {"viewer"}}} {
		st, body := adm.post("/admin/users/root", v)
		if st != http.StatusConflict || !strings.Contains(body, "ít nhất một quản trị viên") {
			t.Errorf("%v on the last admin: %d", v, st)
		}
	}
	if st, body := adm.post("/admin/users/root/delete", url.Values{"confirm": {"1"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "tự xoá") {
		t.Errorf("deleting oneself: %d", st)
	}
	if u := s.DB.User("root"); u == nil || u.Disabled || u.Role != survey.RoleAdmin {
		t.Fatalf("root: %+v", u)
	}
	if st, _ := adm.get("/admin/users"); st != http.StatusOK {
		t.Errorf("root's session ended: %d", st)
	}
	// With a second administrator, one of them may step down.
	s.login(t, "boss", survey.RoleAdmin, "")
	if st, _ := adm.post("/admin/users/boss", url.Values{"role": {"admin"}, "disabled": {"1"}}); st != http.StatusSeeOther {
		t.Errorf("disable the other admin: %d", st)
	}
	if st, _ := adm.post("/admin/users/boss/delete", url.Values{"confirm": {"1"}}); st != http.StatusSeeOther {
		t.Errorf("delete the other admin: %d", st)
	}
}

var secretRE = regexp.MustCompile(`id="secret" type="text" readonly value="(hl_[A-Za-z0-9_-]+)"`)

func TestTokenCreateRevoke(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	st, body := adm.post("/admin/tokens", url.Values{"name": {"Một cửa điện tử"}, "role": {"reception"}, "unit": {"so-a"}})
	m := secretRE.FindStringSubmatch(body)
	if st != http.StatusCreated || m == nil {
		t.Fatalf("create: %d, secret shown: %v", st, m != nil)
	}
	tok := storetest.Must(s.DB.TokenBySecret(m[1]))
	if tok == nil || tok.Role != "reception" || tok.Unit != "so-a" || tok.Name != "Một cửa điện tử" {
		t.Fatalf("token: %+v", tok)
	}
	_, body = adm.get("/admin/users")
	if strings.Contains(body, m[1]) {
		t.Error("the secret is shown again")
	}
	mustContain(t, "list", body, "Một cửa điện tử", `/admin/tokens/`+tok.ID+`/revoke`)
	for _, v := range []url.Values{{"name": {""}, "role": {"viewer"}}, {"name": {"x"}, "role": {"admin"}}, {"name": {"x"}, "role": {"viewer"}, "unit": {"nope"}}} {
		if st, body := adm.post("/admin/tokens", v); st != http.StatusUnprocessableEntity || !strings.Contains(body, `class="error-summary"`) {
			t.Errorf("%v: %d", v, st)
		}
	}
	if st, _ := adm.post("/admin/tokens/"+tok.ID+"/revoke", nil); st != http.StatusSeeOther {
		t.Fatalf("revoke: %d", st)
	}
	if storetest.Must(s.DB.TokenBySecret(m[1])) != nil {
		t.Error("a revoked token still authenticates")
	}
	if st, _ := adm.post("/admin/tokens/t999/revoke", nil); st != http.StatusNotFound {
		t.Errorf("revoke unknown: %d", st)
	}
	if len(s.DB.Tokens()) != 1 {
		t.Errorf("%d tokens", len(s.DB.Tokens()))
	}
}
