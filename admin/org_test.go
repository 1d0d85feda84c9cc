package admin_test

import (
	"hailong/survey/bolt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// orgFixture adds to the harness's units (prov > so-a, so-b) a sub-unit of
// so-a, a counter, a staff member and a kiosk in each agency.
func orgFixture(t *testing.T, s *server) {
	t.Helper()
	db := s.DB
	for _, err := range []error{
		db.PutUnits([]survey.Unit{{ID: "so-a-vp", Name: "Văn phòng Sở A", Parent: "so-a"}}),
		db.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}),
		db.PutCounter(survey.Counter{ID: "b-q1", Unit: "so-b", Name: "Quầy B1"}),
		db.PutStaff(survey.Staff{ID: "nv-lan", Unit: "so-a", Name: "Nguyễn Thị Lan", Position: "Chuyên viên"}),
		db.PutStaff(survey.Staff{ID: "nv-hung", Unit: "so-b", Name: "Trần Văn Hùng", Position: "Chuyên viên"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []survey.Kiosk{{ID: "ka", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt A"}, {ID: "kb", Unit: "so-b", Name: "Ki-ốt B"}} {
		if _, err := db.AddKiosk(k); err != nil {
			t.Fatal(err)
		}
	}
}

// orgWant fails unless body contains every want.
func orgWant(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: no %q in the page", what, w)
		}
	}
}

var orgPages = []string{
	"/admin/units", "/admin/units/so-a/edit", "/admin/counters", "/admin/counters?unit=so-a",
	"/admin/staff", "/admin/staff?unit=so-a", "/admin/staff/nv-lan/edit", "/admin/kiosks", "/admin/kiosks?unit=so-a", "/admin/kiosks/ka",
}

func TestOrgPagesRender(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, p := range orgPages {
		st, body := adm.get(p)
		if st != http.StatusOK {
			t.Errorf("GET %s: %d", p, st)
			continue
		}
		orgWant(t, p, body, `name="_csrf"`, `<span class="en" lang="en">`)
	}
	_, body := adm.get("/admin/units")
	orgWant(t, "tree", body, "Tỉnh Khánh Hòa", "Văn phòng Sở A", "Khối Sở, ban, ngành", "/admin/units/so-a-vp/edit")
	_, body = adm.get("/admin/counters")
	orgWant(t, "counters", body, "Quầy 1", "Quầy B1", "Ki-ốt")
	_, body = adm.get("/admin/kiosks")
	orgWant(t, "kiosks", body, "Ki-ốt A", "Ki-ốt B", "Chưa ghép nối", "Quầy 1")
	for _, p := range []string{"/admin/units/khong-co/edit", "/admin/staff/khong-co/edit", "/admin/kiosks/khong-co", "/admin/counters?unit=khong-co"} {
		if st, _ := adm.get(p); st != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, st)
		}
	}
}

// orgPosts are the state-changing routes with a form that would succeed.
var orgPosts = []struct {
	path string
	form url.Values
}{
	{"/admin/units", url.Values{"id": {"so-moi"}, "name": {"Sở Mới"}, "parent": {"prov"}}},
	{"/admin/units/so-a-vp/edit", url.Values{"name": {"VP"}, "parent": {"so-b"}}},
	{"/admin/groups", url.Values{"id": {"khoi-xa"}, "name": {"Khối xã"}}},
	{"/admin/groups/khoi-so", url.Values{"name": {"Khối Sở mới"}}},
	{"/admin/counters", url.Values{"name": {"Quầy 2"}, "unit": {"so-a"}}},
	{"/admin/counters/a-q1", url.Values{"name": {"Quầy một"}}},
	{"/admin/staff", url.Values{"name": {"Lê Văn Nam"}, "unit": {"so-a"}}},
	{"/admin/staff/nv-lan/edit", url.Values{"name": {"Nguyễn Lan"}, "unit": {"so-a"}}},
	{"/admin/staff/nv-lan/photo/delete", nil},
	{"/admin/kiosks", url.Values{"name": {"Ki-ốt 2"}, "unit": {"so-a"}}},
	{"/admin/kiosks/ka", url.Values{"name": {"Ki-ốt sảnh"}}},
	{"/admin/kiosks/ka/pair", nil},
	{"/admin/kiosks/ka/revoke", nil},
}

// orgSnapshot is what the organisation routes may change.
func orgSnapshot(db *bolt.DB) string {
	var b strings.Builder
	for _, u := range db.Units() {
		b.WriteString(u.ID + "|" + u.Name + "|" + u.Parent + "|" + u.Group + "\n")
	}
	for _, g := range db.Groups() {
		b.WriteString(g.ID + "|" + g.Name + "\n")
	}
	for _, c := range db.Counters("") {
		b.WriteString(c.ID + "|" + c.Name + "\n")
	}
	for _, s := range db.StaffOf("") {
		b.WriteString(s.ID + "|" + s.Name + "|" + s.Unit + "|" + s.Photo + "\n")
	}
	for _, id := range []string{"ka", "kb"} {
		if k := db.Kiosk(id); k != nil {
			b.WriteString(k.ID + "|" + k.Name + "|" + string(k.PairHash) + "|" + string(k.KeyHash) + "\n")
		}
	}
	b.WriteString(strings.Repeat("k", len(db.Kiosks())))
	return b.String()
}

func TestOrgRoutesRefuseOthers(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	before := orgSnapshot(s.DB)
	viewer := s.login(t, "xem", survey.RoleViewer, "")
	reception := s.login(t, "tiepnhan", survey.RoleReception, "so-a")
	for role, b := range map[string]*browser{"viewer": viewer, "reception": reception} {
		for _, p := range orgPages {
			if st, _ := b.get(p); st != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", role, p, st)
			}
		}
		for _, p := range orgPosts {
			if st, _ := b.post(p.path, p.form); st != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", role, p.path, st)
			}
		}
	}
	if after := orgSnapshot(s.DB); after != before {
		t.Fatalf("refused requests changed the organisation:\n%s\n---\n%s", before, after)
	}
}

func TestOrgPostsNeedCSRF(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	before := orgSnapshot(s.DB)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, p := range orgPosts {
		if st, _ := adm.postForm(p.path, p.form); st != http.StatusForbidden {
			t.Errorf("POST %s without _csrf: %d, want 403", p.path, st)
		}
		bad := url.Values{"_csrf": {"not-the-token"}}
		for k, v := range p.form {
			bad[k] = v
		}
		if st, _ := adm.postForm(p.path, bad); st != http.StatusForbidden {
			t.Errorf("POST %s with a wrong _csrf: %d, want 403", p.path, st)
		}
	}
	if after := orgSnapshot(s.DB); after != before {
		t.Fatalf("requests without CSRF token changed the organisation")
	}
	// The same posts with the token all succeed, as the table claims.
	for _, p := range orgPosts {
		if st, body := adm.post(p.path, p.form); st != http.StatusSeeOther && st != http.StatusOK && st != http.StatusCreated {
			t.Errorf("POST %s with _csrf: %d %s", p.path, st, body)
		}
	}
}

func TestOrgManagerSubtree(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	mgr := s.login(t, "giamdoc", survey.RoleManager, "so-a")
	for _, p := range []string{"/admin/counters", "/admin/staff", "/admin/kiosks", "/admin/counters?unit=so-a-vp", "/admin/staff/nv-lan/edit", "/admin/kiosks/ka"} {
		st, body := mgr.get(p)
		if st != http.StatusOK {
			t.Errorf("manager GET %s: %d", p, st)
		}
		if strings.Contains(body, "Sở B") || strings.Contains(body, "Quầy B1") || strings.Contains(body, "Trần Văn Hùng") || strings.Contains(body, "Ki-ốt B") {
			t.Errorf("manager of so-a sees so-b on %s", p)
		}
	}
	for _, p := range []string{"/admin/units", "/admin/units/so-a/edit", "/admin/counters?unit=so-b", "/admin/counters?unit=prov",
		"/admin/staff?unit=so-b", "/admin/staff/nv-hung/edit", "/admin/staff/nv-hung/photo", "/admin/kiosks?unit=so-b", "/admin/kiosks/kb"} {
		if st, _ := mgr.get(p); st != http.StatusForbidden {
			t.Errorf("manager GET %s: %d, want 403", p, st)
		}
	}
	before := orgSnapshot(s.DB)
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/admin/units", url.Values{"id": {"so-moi"}, "name": {"Sở Mới"}}},
		{"/admin/groups", url.Values{"id": {"khoi-moi"}, "name": {"Khối mới"}}},
		{"/admin/counters", url.Values{"name": {"Quầy X"}, "unit": {"so-b"}}},
		{"/admin/counters/b-q1", url.Values{"name": {"Quầy X"}}},
		{"/admin/staff", url.Values{"name": {"X"}, "unit": {"so-b"}}},
		{"/admin/staff/nv-hung/edit", url.Values{"name": {"X"}, "unit": {"so-b"}}},
		{"/admin/staff/nv-lan/edit", url.Values{"name": {"X"}, "unit": {"so-b"}}}, // moving one's staff out
		{"/admin/staff/nv-hung/photo/delete", nil},
		{"/admin/kiosks", url.Values{"name": {"X"}, "unit": {"so-b"}}},
		{"/admin/kiosks/kb", url.Values{"name": {"X"}}},
		{"/admin/kiosks/kb/pair", nil},
		{"/admin/kiosks/kb/revoke", nil},
	} {
		if st, _ := mgr.post(p.path, p.form); st != http.StatusForbidden {
			t.Errorf("manager POST %s: %d, want 403", p.path, st)
		}
	}
	if after := orgSnapshot(s.DB); after != before {
		t.Fatalf("refused manager requests changed the organisation:\n%s\n---\n%s", before, after)
	}
	// Within the subtree, a manager adds and changes.
	for _, p := range []struct {
		path string
		form url.Values
		want int
	}{
		{"/admin/counters", url.Values{"name": {"Quầy 2"}, "unit": {"so-a-vp"}}, http.StatusSeeOther},
		{"/admin/counters/a-q1", url.Values{"name": {"Quầy 1 – Đất đai"}}, http.StatusSeeOther},
		{"/admin/staff", url.Values{"name": {"Lê Thị Mai"}, "position": {"Chuyên viên"}, "unit": {"so-a"}}, http.StatusSeeOther},
		{"/admin/staff/nv-lan/edit", url.Values{"name": {"Nguyễn Thị Lan"}, "position": {"Chuyên viên chính"}, "unit": {"so-a-vp"}}, http.StatusSeeOther},
		{"/admin/kiosks", url.Values{"name": {"Ki-ốt VP"}, "unit": {"so-a-vp"}}, http.StatusForbidden}, // kiosks: administrators add them
		{"/admin/kiosks/ka", url.Values{"name": {"Ki-ốt sảnh"}}, http.StatusSeeOther},
	} {
		if st, body := mgr.post(p.path, p.form); st != p.want {
			t.Errorf("manager POST %s: %d, want %d\n%s", p.path, st, p.want, body)
		}
	}
	if c := s.DB.Counter("so-a-vp-quay-2"); c == nil || c.Unit != "so-a-vp" {
		t.Errorf("generated counter: %+v", s.DB.Counters("so-a-vp"))
	}
	if st := s.DB.StaffMember("le-thi-mai"); st == nil || st.Unit != "so-a" {
		t.Errorf("generated staff id: %+v", s.DB.StaffOf("so-a"))
	}
	if k := s.DB.Kiosk("so-a-vp-kiosk-1"); k != nil {
		t.Errorf("a manager added a kiosk: %+v", k)
	}
	if s.DB.Counter("a-q1").Name != "Quầy 1 – Đất đai" || s.DB.StaffMember("nv-lan").Unit != "so-a-vp" || s.DB.Kiosk("ka").Name != "Ki-ốt sảnh" {
		t.Error("manager changes not stored")
	}
}

func TestOrgAudit(t *testing.T) {
	s := newServer(t)
	orgFixture(t, s)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	for _, p := range orgPosts {
		adm.post(p.path, p.form)
	}
	got := map[string]bool{}
	for _, e := range s.DB.AuditLog(100, time.Time{}) {
		if e.Actor != "root" {
			t.Errorf("audit entry %+v: actor %q", e, e.Actor)
		}
		got[e.Action] = true
	}
	for _, a := range []string{"unit.create", "unit.update", "group.create", "group.rename", "counter.create", "counter.rename",
		"staff.create", "staff.update", "staff.photo.delete", "kiosk.create", "kiosk.rename", "kiosk.pair", "kiosk.revoke"} {
		if !got[a] {
			t.Errorf("no audit entry %q", a)
		}
	}
	e := s.DB.AuditLog(100, time.Time{})
	for _, x := range e {
		if x.Action == "unit.update" && !strings.Contains(x.Detail, "parent: so-a → so-b") {
			t.Errorf("unit.update detail %q", x.Detail)
		}
	}
}
