package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hailong/survey"
)

func TestOrgValidation(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	before := orgSnapshot(s.DB)
	for _, c := range []struct {
		name, path string
		form       url.Values
		status     int
		want       []string // in the page: the message, the summary link, the kept input
	}{
		{"ErrBadSlug", "/admin/units", url.Values{"id": {"Sở Mới"}, "name": {"Sở Mới"}}, 422,
			[]string{"không hợp lệ", `href="#unit-id"`, `value="Sở Mới"`}},
		{"ErrEmptyName", "/admin/units", url.Values{"id": {"so-moi"}, "name": {" "}, "parent": {"prov"}}, 422,
			[]string{"Thiếu tên", `href="#unit-name"`, `value="so-moi"`, `<option value="prov" selected>`}},
		{"ErrIDTaken", "/admin/units", url.Values{"id": {"so-a"}, "name": {"Sở A khác"}}, 409,
			[]string{"đã được dùng", `href="#unit-id"`, `value="Sở A khác"`}},
		{"ErrUnknownParent", "/admin/units", url.Values{"id": {"so-moi"}, "name": {"X"}, "parent": {"khong-co"}}, 422,
			[]string{"không tồn tại", `href="#unit-parent"`}},
		{"ErrUnknownGroup", "/admin/units", url.Values{"id": {"so-moi"}, "name": {"X"}, "group": {"khoi-moi"}}, 422,
			[]string{"hãy tạo khối trước", `href="#unit-group"`}},
		{"ErrMoveIntoOwnSubtree", "/admin/units/prov/edit", url.Values{"name": {"Tỉnh Khánh Hòa"}, "parent": {"so-a-vp"}}, 422,
			[]string{"cấp dưới của chính nó", `href="#unit-parent"`, "Văn phòng Sở A"}},
		{"ErrOwnParent", "/admin/units/so-a/edit", url.Values{"name": {"Sở A"}, "parent": {"so-a"}}, 422,
			[]string{"chính nó", `href="#unit-parent"`}},
		{"ErrEditEmptyName", "/admin/units/so-a/edit", url.Values{"name": {""}, "parent": {"prov"}}, 422,
			[]string{"Thiếu tên", `href="#unit-name"`}},
		{"ErrGroupSlug", "/admin/groups", url.Values{"id": {"Khối Xã"}, "name": {"Khối xã"}}, 422,
			[]string{`href="#group-id"`, `value="Khối Xã"`}},
		{"ErrGroupRename", "/admin/groups/khoi-so", url.Values{"name": {""}}, 422,
			[]string{`href="#rename-group-khoi-so"`, "Thiếu tên"}},
		{"ErrCounterNoNameNoUnit", "/admin/counters", url.Values{"name": {""}, "unit": {""}}, 422,
			[]string{`href="#counter-name"`, `href="#counter-unit"`, "Hãy chọn đơn vị"}},
		{"ErrCounterSlug", "/admin/counters", url.Values{"name": {"Quầy 9"}, "unit": {"so-a"}, "id": {"Quầy 9"}}, 422,
			[]string{`href="#counter-id"`, `value="Quầy 9"`}},
		{"ErrCounterRename", "/admin/counters/a-q1", url.Values{"name": {""}}, 422,
			[]string{`href="#counter-name-a-q1"`, "Thiếu tên"}},
		{"ErrStaffNoName", "/admin/staff", url.Values{"name": {""}, "position": {"Chuyên viên"}, "unit": {"so-a"}}, 422,
			[]string{`href="#staff-name"`, `value="Chuyên viên"`}},
		{"ErrStaffPosition", "/admin/staff/nv-lan/edit", url.Values{"name": {"Nguyễn Thị Lan"}, "position": {strings.Repeat("x", 101)}, "unit": {"so-a"}}, 422,
			[]string{`href="#staff-position"`, "100"}},
		{"ErrKioskCounterOfOtherUnit", "/admin/kiosks", url.Values{"name": {"Ki-ốt X"}, "unit": {"so-a"}, "counter": {"b-q1"}}, 422,
			[]string{`href="#kiosk-counter"`, `value="Ki-ốt X"`}},
		{"ErrKioskRename", "/admin/kiosks/ka", url.Values{"name": {""}}, 422,
			[]string{`href="#kiosk-name"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, body := adm.post(c.path, c.form)
			if st != c.status {
				t.Fatalf("status %d, want %d", st, c.status)
			}
			orgWant(t, c.name, body, append(c.want, `class="error-summary"`, `class="field-error"`, "has-error")...)
		})
	}
	if after := orgSnapshot(s.DB); after != before {
		t.Fatalf("refused forms changed the organisation:\n%s\n---\n%s", before, after)
	}
}

const (
	xss     = `<script>alert(1)</script>`
	xssSafe = `&lt;script&gt;alert(1)&lt;/script&gt;`
)

func TestOrgNamesEscaped(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/admin/groups", url.Values{"id": {"khoi-x"}, "name": {xss}}},
		{"/admin/units", url.Values{"id": {"so-x"}, "name": {xss}, "parent": {"prov"}, "group": {"khoi-x"}}},
		{"/admin/counters", url.Values{"id": {"x-q1"}, "name": {xss}, "unit": {"so-x"}}},
		{"/admin/staff", url.Values{"id": {"nv-x"}, "name": {xss}, "position": {xss}, "unit": {"so-x"}}},
	} {
		if st, body := adm.post(p.path, p.form); st != http.StatusSeeOther {
			t.Fatalf("POST %s: %d %s", p.path, st, body)
		}
	}
	if err := s.DB.SignOn("nv-x", "x-q1"); err != nil {
		t.Fatal(err)
	}
	st, link := adm.post("/admin/kiosks", url.Values{"id": {"kx"}, "name": {xss}, "unit": {"so-x"}, "counter": {"x-q1"}})
	if st != http.StatusCreated {
		t.Fatalf("add kiosk: %d", st)
	}
	pages := map[string]string{"kiosk link": link}
	for _, p := range []string{"/admin/units", "/admin/units/so-x/edit", "/admin/counters", "/admin/staff", "/admin/staff/nv-x/edit",
		"/admin/kiosks", "/admin/kiosks/kx"} {
		_, pages[p] = adm.get(p)
	}
	_, pages["re-rendered form"] = adm.post("/admin/units", url.Values{"id": {"BAD"}, "name": {xss}})
	for name, body := range pages {
		if strings.Contains(body, xss) || strings.Contains(body, "<script") {
			t.Errorf("%s: raw script tag in the page", name)
		}
		if !strings.Contains(body, xssSafe) {
			t.Errorf("%s: the escaped name is not shown", name)
		}
	}
}
