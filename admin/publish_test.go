package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"hailong/survey"
)

func TestPublishAdminOnly(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	st, body := adm.get("/admin/publish")
	if st != http.StatusOK {
		t.Fatalf("admin: %d", st)
	}
	mustContain(t, "publish page", body, `name="_csrf"`, `name="enabled"`, `name="group" value="khoi-so"`, `name="unit" value="so-a"`,
		`name="origins"`, "/cong-khai/widget/so-a", "/cong-khai/badge/so-a.svg", `<span class="en" lang="en">`)
	if strings.Contains(body, `name="enabled" value="1" checked`) || strings.Contains(body, `name="staff" value="1" checked`) {
		t.Error("publication or staff-level figures on by default")
	}
	_, idx := adm.get("/admin/")
	mustContain(t, "admin index", idx, `href="/admin/publish"`)
	for _, who := range []*browser{s.login(t, "giamdoc", survey.RoleManager, "so-a"), s.login(t, "xem", survey.RoleViewer, "")} {
		if st, _ := who.get("/admin/publish"); st != http.StatusForbidden {
			t.Errorf("GET as non-admin: %d", st)
		}
		if st, _ := who.post("/admin/publish", url.Values{"enabled": {"1"}}); st != http.StatusForbidden {
			t.Errorf("POST as non-admin: %d", st)
		}
	}
	anon := &browser{t: t, s: s, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if st, _ := anon.get("/admin/publish"); st != http.StatusSeeOther {
		t.Errorf("anonymous: %d, want 303 to the login", st)
	}
	if st, _ := adm.postForm("/admin/publish", url.Values{"enabled": {"1"}}); st != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d", st)
	}
	if s.DB.Settings().Publish.Enabled {
		t.Error("publication turned on by a refused request")
	}
}

func TestPublishSave(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	v := url.Values{"enabled": {"1"}, "from": {"2025-03-01"}, "group": {"khoi-so"}, "unit": {"so-a"}, "staff": {"1"},
		"origins": {"https://congkhai.example.gov.vn\r\nHTTPS://Portal.Example.vn/ , https://congkhai.example.gov.vn"}}
	if st, body := adm.post("/admin/publish", v); st != http.StatusSeeOther {
		t.Fatalf("save: %d %s", st, body)
	}
	st := s.DB.Settings().Publish
	if !st.Enabled || !st.Staff || st.From == 0 || strings.Join(st.Groups, ",") != "khoi-so" || strings.Join(st.Exclude, ",") != "so-b" ||
		strings.Join(st.Origins, " ") != "https://congkhai.example.gov.vn https://portal.example.vn" {
		t.Errorf("stored %+v", st)
	}
	stored := s.DB.Settings().Stored()
	for k, want := range map[string]string{"publish_enabled": "1", "publish_from": "2025-03-01", "publish_groups": "khoi-so",
		"publish_exclude": "so-b", "publish_staff": "1", "publish_origins": "https://congkhai.example.gov.vn https://portal.example.vn"} {
		if got := stored[k]; got != want {
			t.Errorf("meta %s = %q, want %q", k, got, want)
		}
	}
	_, body := adm.get("/admin/publish?ok=publish")
	mustContain(t, "after save", body, "Đã lưu cài đặt công khai", `name="enabled" value="1" checked`, `value="2025-03-01"`,
		`name="group" value="khoi-so" checked`, `name="unit" value="so-a" checked`, "https://portal.example.vn")
	if strings.Contains(body, `name="unit" value="so-b" checked`) {
		t.Error("the withheld unit shows as public")
	}
	e := s.DB.AuditLog(1, zeroTime)
	if len(e) != 1 || e[0].Action != "publish.update" || !strings.Contains(e[0].Detail, "publish_enabled: (none) → 1") ||
		!strings.Contains(e[0].Detail, "publish_exclude: (none) → so-b") {
		t.Errorf("audit %+v", e)
	}
	// Turning it off keeps the other choices.
	if st, _ := adm.post("/admin/publish", url.Values{"group": {"khoi-so"}, "unit": {"so-a", "so-b"}}); st != http.StatusSeeOther {
		t.Fatalf("turn off: %d", st)
	}
	if st := s.DB.Settings().Publish; st.Enabled || st.Staff || st.From != 0 || len(st.Exclude) != 0 || len(st.Origins) != 0 {
		t.Errorf("after turning off %+v", st)
	}
}

func TestPublishInvalid(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	cases := []struct {
		field string
		form  url.Values
	}{
		{"from", url.Values{"from": {"2025-13-01"}}},
		{"from", url.Values{"from": {"<b>1/3/2025</b>"}}},
		{"origins", url.Values{"origins": {"http://congkhai.example.gov.vn"}}},
		{"origins", url.Values{"origins": {"https://*.gov.vn"}}},
		{"origins", url.Values{"origins": {"https://ok.example.vn/path"}}},
		{"origins", url.Values{"origins": {"https://ok.example.vn;script-src"}}},
		{"groups", url.Values{"group": {"khoi-nope"}}},
		{"groups", url.Values{"unit": {"prov"}}},
	}
	for _, tc := range cases {
		v := url.Values{"enabled": {"1"}, "group": {"khoi-so"}, "unit": {"so-a", "so-b"}}
		for k, x := range tc.form {
			v[k] = x
		}
		st, body := adm.post("/admin/publish", v)
		if st != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", tc.form, st)
			continue
		}
		mustContain(t, tc.field, body, `href="#`+tc.field+`"`, `id="`+tc.field+`-error"`, `name="enabled" value="1" checked`)
		if strings.Contains(body, "<b>1/3/2025</b>") {
			t.Error("input not escaped")
		}
	}
	if st := s.DB.Settings().Publish; !reflect.DeepEqual(st, survey.PublishSettings{}) {
		t.Errorf("stored after invalid input: %+v", st)
	}
	if e := s.DB.AuditLog(5, zeroTime); len(e) != 0 && e[0].Action == "publish.update" {
		t.Errorf("audit after invalid input: %+v", e)
	}
}
