package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// The citizens' cases through the real server: who sees what, opening by
// hand, assignment, the forms' 422s, the contact shown only to handlers,
// the one-time rating link, the API.

type casesEnv struct {
	m    *Main
	base string
}

// newCasesEnv starts a server with the test units (setup) and a case of
// Sở Công Thương opened from a dissatisfied response, with a contact.
func newCasesEnv(t *testing.T) (*casesEnv, survey.Case) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	e := &casesEnv{m: m, base: "http://" + m.Addr}
	return e, e.openCase(t, "so-cong-thuong", &survey.Contact{Name: "Trần Thị Bích", Phone: "0912 345 678", Email: "bich@example.vn"})
}

// openCase stores a dissatisfied response of unit and opens its case.
func (e *casesEnv) openCase(t *testing.T, unit string, ct *survey.Contact) survey.Case {
	t.Helper()
	r := &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelKiosk, Unit: unit,
		Answers: map[string]int{"overall": 2, "staff_attitude": 1}, Reasons: []string{"staff_impolite"}, Comment: "Cán bộ trả lời cộc lốc."}
	if _, err := e.m.DB.Submit(r); err != nil {
		t.Fatal(err)
	}
	kind := survey.CaseAskReply
	if ct == nil {
		kind = survey.CasePetition
	}
	c, err := e.m.DB.OpenCaseFromResponse(r.ID, kind, ct)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// page requests path as c and returns the status and the body.
func (c *caller) page(t *testing.T, base, method, path string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
	}
	if c.csrf != "" && method == "POST" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	cl := c.client
	if cl == nil {
		cl = &http.Client{CheckRedirect: noRedirect.CheckRedirect, Timeout: 10 * time.Second}
	}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusSeeOther {
		return res.StatusCode, res.Header.Get("Location")
	}
	return res.StatusCode, string(b)
}

func wantStatus(t *testing.T, what string, got, want int, body string) {
	t.Helper()
	if got != want {
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s: status %d, want %d: %s", what, got, want, body)
	}
}

func TestCasesSubtreeIsolation(t *testing.T) {
	e, cs := newCasesEnv(t)
	mine := loginAs(t, e.m, "ql-sct", survey.RoleManager, "so-cong-thuong")
	other := loginAs(t, e.m, "ql-stp", survey.RoleManager, "so-tu-phap")
	viewer := loginAs(t, e.m, "xem", survey.RoleViewer, "")
	st, body := mine.page(t, e.base, "GET", "/phan-anh/"+cs.ID, nil)
	wantStatus(t, "own manager", st, 200, body)
	if !strings.Contains(body, "0912345678") || !strings.Contains(body, "Cán bộ trả lời cộc lốc.") || !strings.Contains(body, "Thái độ") {
		t.Fatalf("the unit's manager sees no contact, comment or criteria:\n%s", body)
	}
	st, body = mine.page(t, e.base, "GET", "/phan-anh", nil)
	wantStatus(t, "inbox", st, 200, body)
	if !strings.Contains(body, cs.ID) || strings.Contains(body, "0912345678") {
		t.Fatalf("inbox: the case missing, or a contact shown")
	}
	for _, p := range []struct{ method, path string }{{"GET", "/phan-anh/" + cs.ID}, {"POST", "/phan-anh/" + cs.ID + "/note"},
		{"POST", "/phan-anh/" + cs.ID + "/assign"}, {"POST", "/phan-anh/" + cs.ID + "/reply"}} {
		var form url.Values
		if p.method == "POST" {
			form = url.Values{"note": {"x"}, "assignee": {"ql-stp"}, "via": {"phone"}, "text": {"x"}}
		}
		st, body = other.page(t, e.base, p.method, p.path, form)
		wantStatus(t, "another unit's manager "+p.method+" "+p.path, st, 404, body)
		if strings.Contains(body, "0912345678") || strings.Contains(body, "Bích") {
			t.Fatal("a 404 leaks the contact")
		}
	}
	st, body = other.page(t, e.base, "GET", "/phan-anh", nil)
	if st != 200 || strings.Contains(body, cs.ID) {
		t.Fatalf("another unit's inbox lists the case (%d)", st)
	}
	st, body = other.page(t, e.base, "GET", "/phan-anh?unit=so-cong-thuong", nil)
	wantStatus(t, "another unit's filter", st, 422, body)
	st, body = viewer.page(t, e.base, "GET", "/phan-anh", nil)
	wantStatus(t, "viewer", st, 403, body)
	got, _ := e.m.DB.Case(cs.ID)
	if len(got.Notes) != 0 || got.Assignee != "" || got.Reply != nil {
		t.Fatalf("refused requests changed the case: %+v", got)
	}
}

func TestCasesOpenByHand(t *testing.T) {
	e, _ := newCasesEnv(t)
	lt := loginAs(t, e.m, "lt-sct", survey.RoleReception, "so-cong-thuong")
	st, body := lt.page(t, e.base, "GET", "/phan-anh/moi", nil)
	wantStatus(t, "form", st, 200, body)
	before, _ := e.m.DB.Cases(survey.CaseQuery{})
	ok := url.Values{"unit": {"sct-van-phong"}, "kind": {"petition"}, "source": {"call"}, "summary": {"Hỏi tiến độ hồ sơ đăng ký kinh doanh"}}
	for _, c := range []struct {
		edit  func(v url.Values)
		field string
	}{
		{func(v url.Values) { v.Del("unit") }, "f-unit"},
		{func(v url.Values) { v.Set("summary", "  ") }, "f-summary"},
		{func(v url.Values) { v.Set("source", "fax") }, "f-source"},
		{func(v url.Values) { v.Set("dossier", "HS-KHONG-CO") }, "f-dossier"},
		{func(v url.Values) { v.Set("phone", "12345"); v.Set("consent", "yes") }, "f-phone"},
		{func(v url.Values) { v.Set("email", "bich@"); v.Set("consent", "yes") }, "f-email"},
		{func(v url.Values) { v.Set("phone", "0912345678") }, "f-consent"},
	} {
		v := url.Values{}
		for k, x := range ok {
			v[k] = x
		}
		c.edit(v)
		st, body := lt.page(t, e.base, "POST", "/phan-anh/moi", v)
		wantStatus(t, "refused "+c.field, st, 422, body)
		if !regexp.MustCompile(`id="` + c.field + `-error"|href="#` + c.field + `"`).MatchString(body) {
			t.Fatalf("%s: no message beside the field:\n%s", c.field, body)
		}
		if c.field == "f-phone" && !strings.Contains(body, `value="12345"`) {
			t.Fatal("the typed phone was not kept")
		}
	}
	st, _ = lt.page(t, e.base, "POST", "/phan-anh/moi", url.Values{"unit": {"so-tu-phap"}, "kind": {"petition"}, "source": {"call"}, "summary": {"x"}})
	wantStatus(t, "outside the subtree", st, 403, "")
	after, _ := e.m.DB.Cases(survey.CaseQuery{})
	if len(after) != len(before) {
		t.Fatalf("refused forms stored %d cases", len(after)-len(before))
	}
	v := url.Values{"phone": {"+84 98 765 4321"}, "name": {"Lê Văn Hải"}, "consent": {"yes"}}
	for k, x := range ok {
		v[k] = x
	}
	st, loc := lt.page(t, e.base, "POST", "/phan-anh/moi", v)
	wantStatus(t, "open", st, 303, loc)
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/phan-anh/"), "?ok=opened")
	c, err := e.m.DB.Case(id)
	if err != nil || c.OpenedBy != "lt-sct" || c.Source != survey.SourceCall || c.Unit != "sct-van-phong" || !c.HasContact {
		t.Fatalf("opened %+v %v", c, err)
	}
	ct, _ := e.m.DB.CaseContact(id, "test")
	if ct.Phone != "0987654321" {
		t.Fatalf("contact %+v", ct)
	}
}

func TestCasesAssignAndContact(t *testing.T) {
	e, cs := newCasesEnv(t)
	ql := loginAs(t, e.m, "ql-sct", survey.RoleManager, "so-cong-thuong")
	lt := loginAs(t, e.m, "lt-sct", survey.RoleReception, "so-cong-thuong")
	loginAs(t, e.m, "ql-stp", survey.RoleManager, "so-tu-phap")
	path := "/phan-anh/" + cs.ID
	st, body := lt.page(t, e.base, "GET", path, nil)
	wantStatus(t, "reception", st, 200, body)
	if strings.Contains(body, "0912345678") || strings.Contains(body, "bich@example.vn") || !strings.Contains(body, "•••") {
		t.Fatal("the contact is shown to a reception officer who is not the assignee")
	}
	audits := len(e.m.DB.AuditLog(1000, time.Time{}))
	st, _ = lt.page(t, e.base, "POST", path+"/assign", url.Values{"assignee": {"lt-sct"}})
	wantStatus(t, "reception assigns", st, 403, "")
	st, _ = lt.page(t, e.base, "POST", path+"/reply", url.Values{"via": {"phone"}, "text": {"x"}})
	wantStatus(t, "reception replies unassigned", st, 403, "")
	st, body = ql.page(t, e.base, "POST", path+"/assign", url.Values{"assignee": {"ql-stp"}})
	wantStatus(t, "assign outside", st, 422, body)
	if !strings.Contains(body, `id="f-assignee-error"`) {
		t.Fatal("no message beside the assignee")
	}
	st, body = ql.page(t, e.base, "POST", path+"/status", url.Values{"status": {"replied"}})
	wantStatus(t, "replied without reply", st, 422, body)
	st, body = ql.page(t, e.base, "POST", path+"/note", url.Values{"note": {" "}})
	wantStatus(t, "empty note", st, 422, body)
	if n := len(e.m.DB.AuditLog(1000, time.Time{})); n != audits+3 { // the three 422 pages read the contact
		t.Fatalf("audit entries %d, want %d (contact reads only)", n, audits+3)
	}
	st, loc := ql.page(t, e.base, "POST", path+"/assign", url.Values{"assignee": {"lt-sct"}})
	wantStatus(t, "assign", st, 303, loc)
	got, _ := e.m.DB.Case(cs.ID)
	if got.Assignee != "lt-sct" || got.Status != survey.CaseOpen {
		t.Fatalf("assigned %+v", got)
	}
	st, body = lt.page(t, e.base, "GET", path, nil)
	if st != 200 || !strings.Contains(body, "0912345678") {
		t.Fatal("the assignee does not see the contact")
	}
	if a := e.m.DB.AuditLog(1, time.Time{})[0]; a.Action != "case.contact.read" || a.Actor != "lt-sct" {
		t.Fatalf("last audit %+v", a)
	}
	st, loc = lt.page(t, e.base, "POST", path+"/note", url.Values{"note": {"Đã gọi điện, hẹn chiều mai."}})
	wantStatus(t, "note", st, 303, loc)
	st, body = lt.page(t, e.base, "GET", path, nil)
	if !strings.Contains(body, "Đã gọi điện, hẹn chiều mai.") || !strings.Contains(body, "Giao cho lt-sct") {
		t.Fatal("the timeline lacks the note or the assignment")
	}
}

func TestCasesReplyAndRating(t *testing.T) {
	e, cs := newCasesEnv(t)
	ql := loginAs(t, e.m, "ql-sct", survey.RoleManager, "so-cong-thuong")
	path := "/phan-anh/" + cs.ID
	st, body := ql.page(t, e.base, "GET", path, nil)
	if st != 200 || !strings.Contains(body, "Kính gửi Ông/Bà Trần Thị Bích") || !strings.Contains(body, "Sở Công Thương đã nhận được phản ánh") {
		t.Fatalf("no reply template (%d)", st)
	}
	st, body = ql.page(t, e.base, "POST", path+"/reply", url.Values{"via": {"phone"}, "text": {" "}})
	wantStatus(t, "empty reply", st, 422, body)
	if !strings.Contains(body, `id="f-reply-error"`) {
		t.Fatal("no message beside the reply")
	}
	petition := e.openCase(t, "so-cong-thuong", nil)
	st, body = ql.page(t, e.base, "POST", "/phan-anh/"+petition.ID+"/reply", url.Values{"via": {"email"}, "text": {"Trả lời"}})
	wantStatus(t, "e-mail without an address", st, 422, body)
	if !strings.Contains(body, `id="f-via-error"`) {
		t.Fatal("no message beside the way of replying")
	}
	st, body = ql.page(t, e.base, "POST", path+"/reply", url.Values{"via": {"phone"}, "text": {"Kính gửi Ông/Bà, chúng tôi đã nhắc nhở công chức."}})
	wantStatus(t, "reply", st, 200, body)
	link := regexp.MustCompile(`id="rating-link">([^<]+)<`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("the rating link is not shown after a reply by phone")
	}
	u, _ := url.Parse(link[1])
	rate := u.Path
	if _, again := ql.page(t, e.base, "GET", path, nil); strings.Contains(again, rate) {
		t.Fatal("the rating link is shown again")
	}
	citizen := &caller{}
	st, body = citizen.page(t, e.base, "GET", rate, nil)
	wantStatus(t, "rating page", st, 200, body)
	if !strings.Contains(body, cs.ID) || strings.Contains(body, "0912345678") || strings.Contains(body, "Bích") {
		t.Fatal("the rating page lacks the case id or shows the contact")
	}
	st, body = citizen.page(t, e.base, "POST", rate, url.Values{"rating": {"meh"}})
	wantStatus(t, "bad rating", st, 422, body)
	st, body = citizen.page(t, e.base, "POST", rate, url.Values{"rating": {"satisfied"}})
	wantStatus(t, "rate", st, 200, body)
	if got, _ := e.m.DB.Case(cs.ID); got.Rating != survey.RatingGood {
		t.Fatalf("rating %q", got.Rating)
	}
	_, gone := citizen.page(t, e.base, "GET", "/danh-gia/khong-co-lien-ket-nay", nil)
	for _, p := range []struct{ method, path string }{{"GET", rate}, {"POST", rate}, {"GET", "/danh-gia/khong-co-lien-ket-nay"}, {"POST", "/danh-gia/x"}} {
		st, body := citizen.page(t, e.base, p.method, p.path, url.Values{"rating": {"dissatisfied"}})
		if p.method == "GET" {
			st, body = citizen.page(t, e.base, p.method, p.path, nil)
		}
		wantStatus(t, p.method+" used or forged link", st, 404, body)
		if body != gone {
			t.Fatal("a used link answers differently from an unknown one")
		}
	}
	if got, _ := e.m.DB.Case(cs.ID); got.Rating != survey.RatingGood {
		t.Fatalf("a reused link changed the rating to %q", got.Rating)
	}
	req, _ := http.NewRequest("POST", e.base+"/danh-gia/x", strings.NewReader("rating=satisfied"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 403 {
		t.Fatalf("cross-site post: %v %v", err, res)
	}
	res.Body.Close()
}

func TestCasesAPI(t *testing.T) {
	e, cs := newCasesEnv(t)
	other := e.openCase(t, "so-tu-phap", nil)
	tok := func(role, unit string) string {
		s, err := e.m.DB.AddToken(survey.Token{Name: role + unit, Role: role, Unit: unit})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mgr, all, viewer := tok(survey.RoleManager, "so-cong-thuong"), tok(survey.RoleAdmin, ""), tok(survey.RoleViewer, "")
	get := func(path, token string) (int, map[string]any, string) {
		req, _ := http.NewRequest("GET", e.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var m map[string]any
		json.Unmarshal(raw, &m)
		return res.StatusCode, m, string(raw)
	}
	st, m, raw := get("/api/v1/cases", mgr)
	if st != 200 || len(m["cases"].([]any)) != 1 || strings.Contains(raw, "0912345678") || strings.Contains(raw, "rating_hash") {
		t.Fatalf("manager list: %d %s", st, raw)
	}
	st, m, _ = get("/api/v1/cases?status=open&from=2000-01-01&to=2999-12-31", all)
	if st != 200 || len(m["cases"].([]any)) != 2 {
		t.Fatalf("admin list: %d %v", st, m)
	}
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/api/v1/cases/" + cs.ID, mgr, 200}, {"/api/v1/cases/" + other.ID, mgr, 404}, {"/api/v1/cases/2026-9999", all, 404},
		{"/api/v1/cases?unit=so-tu-phap", mgr, 403}, {"/api/v1/cases?from=01-01-2026", mgr, 422}, {"/api/v1/cases?status=done", mgr, 422},
		{"/api/v1/cases?unit=khong-co", mgr, 422}, {"/api/v1/cases?from=2026-02-01&to=2026-01-01", mgr, 422},
		{"/api/v1/cases?page=2", mgr, 400}, {"/api/v1/cases", viewer, 403}, {"/api/v1/cases", "hl_sai", 401},
	} {
		if st, _, raw := get(c.path, c.token); st != c.want {
			t.Fatalf("GET %s: %d, want %d: %s", c.path, st, c.want, raw)
		}
	}
	_, m, _ = get("/api/v1/cases/"+cs.ID, mgr)
	if m["id"] != cs.ID || m["has_contact"] != true || m["overdue"] != false || fmt.Sprint(m["status"]) != "new" {
		t.Fatalf("case %v", m)
	}
}

// The hourly maintenance escalates overdue cases and deletes the contacts
// of cases closed longer than the retention.
func TestCasesMaintenance(t *testing.T) {
	e, fresh := newCasesEnv(t)
	late := e.overdue(t)
	old := e.m.DB.Now().AddDate(0, 0, -60)
	closed := survey.Case{ID: old.Format("2006") + "-0800", Unit: "so-cong-thuong", Kind: survey.CaseAskReply, Source: survey.SourceCall,
		Summary: "Đã xong", Status: survey.CaseClosed, OpenedBy: "lt", OpenedAt: old, DueAt: old.AddDate(0, 0, 14), ClosedAt: old.AddDate(0, 0, 2)}
	if err := e.m.DB.InsertCases([]survey.Case{closed}, []*survey.Contact{{Phone: "0912345678"}}, "test"); err != nil {
		t.Fatal(err)
	}
	e.m.chores.once(time.Now())
	got, _ := e.m.DB.Case(late.ID)
	if got.EscalatedTo != "so-cong-thuong" {
		t.Errorf("overdue case of sct-van-phong escalated to %q", got.EscalatedTo)
	}
	got, _ = e.m.DB.Case(closed.ID)
	if got.HasContact || got.ContactPurged.IsZero() {
		t.Errorf("old closed case keeps its contact: %+v", got)
	}
	if ct, _ := e.m.DB.CaseContact(fresh.ID, "test"); ct == nil {
		t.Error("an open case lost its contact")
	}
	if got, _ := e.m.DB.Case(fresh.ID); got.EscalatedTo != "" {
		t.Error("a case on time was escalated")
	}
}

// A case about a dossier shows the dossier: procedure, dates, outcome.
func TestCasesDossier(t *testing.T) {
	e, _ := newCasesEnv(t)
	lt := loginAs(t, e.m, "lt-sct", survey.RoleReception, "so-cong-thuong")
	now := e.m.DB.Now()
	d := &survey.Dossier{Code: "000.00.12.H34-261207-0001", Unit: "so-cong-thuong", Procedure: "2.000633", ReceivedAt: now.AddDate(0, 0, -3), DueAt: now.AddDate(0, 0, 4)}
	if _, err := e.m.DB.IssueReceipt("lt-sct", d, time.Time{}); err != nil {
		t.Fatal(err)
	}
	st, loc := lt.page(t, e.base, "POST", "/phan-anh/moi", url.Values{"unit": {"so-cong-thuong"}, "kind": {"petition"}, "source": {"in_person"},
		"summary": {"Hồ sơ chậm so với giấy hẹn"}, "dossier": {d.Code}})
	wantStatus(t, "open", st, 303, loc)
	st, body := lt.page(t, e.base, "GET", strings.TrimSuffix(loc, "?ok=opened"), nil)
	wantStatus(t, "page", st, 200, body)
	for _, want := range []string{"Hồ sơ " + d.Code, "2.000633", "Đang giải quyết", "Hồ sơ chậm so với giấy hẹn"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
}

// A reply by e-mail queues the mail — the reply and the one-time rating
// link — in the outbox with the reply, and never shows the link on the page.
func TestCasesReplyByEmail(t *testing.T) {
	e, cs := newCasesEnv(t)
	ql := loginAs(t, e.m, "ql-sct", survey.RoleManager, "so-cong-thuong")
	st, body := ql.page(t, e.base, "POST", "/phan-anh/"+cs.ID+"/reply", url.Values{"via": {"email"}, "text": {"Kính gửi Bà Bích, chúng tôi xin trả lời như sau."}})
	wantStatus(t, "reply", st, 200, body)
	if strings.Contains(body, `id="rating-link"`) || !strings.Contains(body, "hộp thư đi") {
		t.Fatal("an e-mail reply shows the link, or does not say the mail waits in the outbox")
	}
	d, err := e.m.DB.Delivery("case-" + cs.ID + "-reply-1")
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`http://[^\s]+/danh-gia/[A-Za-z0-9_-]+`).FindString(d.Mail.Text)
	if d.Kind != survey.DeliverMail || d.State != survey.DeliveryPending || d.Mail.To != "bich@example.vn" || link == "" ||
		!strings.Contains(d.Mail.Text, "chúng tôi xin trả lời như sau") || !strings.Contains(d.Mail.Subject, cs.ID) {
		t.Fatalf("delivery %+v", d)
	}
	citizen := &caller{}
	u, _ := url.Parse(link)
	if st, body := citizen.page(t, e.base, "GET", u.Path, nil); st != 200 || !strings.Contains(body, cs.ID) {
		t.Fatalf("the mailed link: %d", st)
	}
}
