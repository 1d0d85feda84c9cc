package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hailong/survey"
)

// TestScriptIsInertOnEveryPage puts markup in a survey label, a reason, a
// token name, a unit name and an audit detail, and reads every page.
func TestScriptIsInertOnEveryPage(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	if err := s.DB.PutUnits([]survey.Unit{{ID: "so-x", Name: "Sở " + evil, Parent: "prov"}}); err != nil {
		t.Fatal(err)
	}
	_, body := adm.get("/admin/surveys/quay/edit")
	v := formValues(t, body, "/admin/surveys/quay/edit")
	v.Set("c1-vi", "Thông tin "+evil)
	v.Set("c1-en", "Info "+evil)
	v.Set("r8-key", "xss")
	v.Set("r8-vi", evil)
	v.Set("r8-en", evil)
	v.Set("title-vi", "Phiếu "+evil)
	if st, _ := adm.post("/admin/surveys/quay/edit", v); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	if st, _ := adm.post("/admin/tokens", url.Values{"name": {evil}, "role": {"viewer"}, "unit": {"so-x"}}); st != http.StatusCreated {
		t.Fatalf("token: %d", st)
	}
	if st, _ := adm.post("/admin/users", url.Values{"username": {"u1"}, "role": {"viewer"}, "unit": {"so-x"}, "password": {"mat-khau-dai-9"}, "password2": {"mat-khau-dai-9"}}); st != http.StatusSeeOther {
		t.Fatalf("user: %d", st)
	}
	pages := append(systemGets, "/admin/surveys/quay/v/2", "/admin/surveys/quay/edit", "/admin/users/u1", "/admin/surveys/use?unit=so-x")
	for _, p := range pages {
		st, body := adm.get(p)
		if st != http.StatusOK {
			t.Errorf("GET %s: %d", p, st)
		}
		if strings.Contains(body, "<script") {
			t.Errorf("GET %s: a live <script>", p)
		}
	}
	// And on the pages that answer a POST: the secret page and a failed form.
	st, body := adm.post("/admin/tokens", url.Values{"name": {evil + "2"}, "role": {"viewer"}})
	if st != http.StatusCreated || strings.Contains(body, "<script") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;2") {
		t.Errorf("token page: %d", st)
	}
	v.Set("c1-vi", "")
	v.Set("c2-vi", evil)
	v.Set("base", "2")
	if st, body := adm.post("/admin/surveys/quay/edit", v); st != http.StatusUnprocessableEntity || strings.Contains(body, "<script") {
		t.Errorf("failed editor: %d", st)
	}
}
