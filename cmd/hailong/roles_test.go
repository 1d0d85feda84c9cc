package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/web"
)

// caller is one principal of the role table: a browser with a session (and
// its CSRF token), an API token, a paired kiosk, or nobody.
type caller struct {
	name   string
	client *http.Client
	bearer string
	kiosk  string
	csrf   string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loginAs creates a user and logs in through the real login form.
func loginAs(t *testing.T, m *Main, name, role, unit string) *caller {
	t.Helper()
	if err := m.DB.CreateUser(survey.User{Username: name, Role: role, Unit: unit}, "mat-khau-vai-tro"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &caller{name: name, client: &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect, Timeout: 10 * time.Second}}
	base := "http://" + m.Addr
	page := func(path string) string {
		res, err := c.client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		mm := csrfField.FindSubmatch(b)
		if mm == nil {
			t.Fatalf("%s: no CSRF field on %s (%d)", name, path, res.StatusCode)
		}
		return string(mm[1])
	}
	res, err := c.client.PostForm(base+"/login", url.Values{"_csrf": {page("/login")}, "username": {name}, "password": {"mat-khau-vai-tro"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %v %v", name, err, res)
	}
	res.Body.Close()
	c.csrf = page("/account/password")
	return c
}

// call sends one request as c; JSON bodies are posted as JSON, url.Values
// as a form. Sessions send their CSRF token on POSTs.
func (c *caller) call(t *testing.T, base, method, path string, body any) *http.Response {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "text/html")
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.kiosk != "" {
		req.Header.Set("Cookie", web.KioskCookie+"="+c.kiosk)
	}
	if c.csrf != "" && method == "POST" {
		req.Header.Set(web.CSRFHeader, c.csrf)
	}
	cl := c.client
	if cl == nil {
		cl = &http.Client{CheckRedirect: noRedirect.CheckRedirect, Timeout: 10 * time.Second}
	}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// outcome classes in the table.
const (
	OK    = "ok"    // 2xx, or 303 somewhere other than /login
	LOGIN = "login" // 401, or 303 to /login
	DENY  = "403"
)

func classify(res *http.Response) string {
	switch {
	case res.StatusCode == http.StatusUnauthorized,
		res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login"):
		return LOGIN
	case res.StatusCode == http.StatusForbidden:
		return DENY
	case res.StatusCode < 300, res.StatusCode == http.StatusSeeOther:
		return OK
	}
	return strconv.Itoa(res.StatusCode)
}

// TestRoleRouteTable: each role × each route family through the real
// server, inside and outside the caller's subtree (so-cong-thuong; the
// other agency is so-tu-phap), plus the security headers on every answer.
func TestRoleRouteTable(t *testing.T) {
	dir, receptionTok, viewerTok := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	db := m.DB
	if err := db.PutCounter(survey.Counter{ID: "sct-q1", Unit: "so-cong-thuong", Name: "Quầy 1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutStaff(survey.Staff{ID: "nv-lan", Unit: "so-cong-thuong", Name: "Nguyễn Thị Lan"}); err != nil {
		t.Fatal(err)
	}
	code, _ := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-cong-thuong", Counter: "sct-q1", Name: "Ki-ốt 1"})
	_, kioskKey, err := db.PairKiosk(code)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	keyIn, keyOut := submitAt(t, db, "so-cong-thuong", now), submitAt(t, db, "so-tu-phap", now)

	who := map[string]*caller{
		"anon":      {name: "anon"},
		"admin":     loginAs(t, m, "quantri", survey.RoleAdmin, ""),
		"manager":   loginAs(t, m, "giamdoc", survey.RoleManager, "so-cong-thuong"),
		"viewer":    loginAs(t, m, "xem", survey.RoleViewer, "so-cong-thuong"),
		"reception": loginAs(t, m, "tiepnhan", survey.RoleReception, "so-cong-thuong"),
		"kiosk":     {name: "kiosk", kiosk: kioskKey},
		"tok-view":  {name: "tok-view", bearer: viewerTok},
		"tok-recv":  {name: "tok-recv", bearer: receptionTok},
	}
	order := []string{"anon", "admin", "manager", "viewer", "reception", "kiosk", "tok-view", "tok-recv"}
	day := now.Format("2006-01-02")
	seq := 0
	receipt := func(unit string) func() any {
		return func() any {
			seq++
			return fmt.Sprintf(`{"dossier_code":"HS-%d","unit":%q,"procedure":"1.001","received_at":%q,"due_at":%q}`,
				seq, unit, day, now.AddDate(0, 0, 5).Format("2006-01-02"))
		}
	}
	submit := func(unit string) func() any {
		return func() any { return fmt.Sprintf(`{"survey":"quay","unit":%q,"answers":{"overall":4}}`, unit) }
	}
	flag := func(key uint64, op string) func() any {
		return func() any {
			return url.Values{"key": {strconv.FormatUint(key, 10)}, "flag": {"misuse"}, "op": {op}, "reason": {"kiểm tra quyền"}, "back": {"/dashboard/comments"}}
		}
	}
	propose := func(key uint64) func() any {
		return func() any {
			return url.Values{"key": {strconv.FormatUint(key, 10)}, "change": {"unverified:set"}, "reason": {"đề xuất kiểm tra"}, "back": {"/dashboard/comments"}}
		}
	}
	// a proposal to decide, for the decision rows (one per caller: a second
	// decision of the same proposal would be a 409)
	decide := func() any { return url.Values{"decision": {"refuse"}} }
	proposalFor := func() string {
		p, err := db.ProposeFlags(survey.FlagProposal{Response: keyIn, Set: survey.FlagUnverified, Reason: "bảng vai trò", By: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	if _, err := db.AddKiosk(survey.Kiosk{ID: "k2", Unit: "so-cong-thuong", Name: "Ki-ốt 2"}); err != nil { // to re-pair
		t.Fatal(err)
	}
	kioskForm := func() any { return url.Values{"name": {"Ki-ốt mới"}, "unit": {"so-cong-thuong"}} }
	tokenForm := func() any {
		return url.Values{"name": {"Cổng một cửa"}, "role": {"reception"}, "unit": {"so-cong-thuong"}}
	}
	burst := func() any {
		return fmt.Sprintf(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"submitted_at":%q}`, now.AddDate(0, 0, -3).Format(time.RFC3339))
	}
	rows := []struct {
		method, path string
		body         func() any
		want         string // one class per caller, in order
	}{
		// analytics API: viewer, manager, admin; subtree
		{"GET", "/api/v1/analytics/summary?unit=so-cong-thuong", nil, "login ok ok ok 403 403 ok 403"},
		{"GET", "/api/v1/analytics/summary?unit=so-tu-phap", nil, "login ok 403 403 403 403 ok 403"},
		{"GET", "/api/v1/analytics/timeliness?unit=so-tu-phap", nil, "login ok 403 403 403 403 ok 403"},
		// dashboard pages, comments, report, exports
		{"GET", "/dashboard?unit=so-cong-thuong", nil, "login ok ok ok 403 login login login"},
		{"GET", "/dashboard?unit=so-tu-phap", nil, "login ok 403 403 403 login login login"},
		{"GET", "/dashboard/comments?unit=so-tu-phap", nil, "login ok 403 403 403 login login login"},
		{"GET", "/reports/official?unit=so-tu-phap", nil, "login ok 403 403 403 login login login"},
		{"GET", "/reports/official?unit=so-cong-thuong", nil, "login ok ok ok 403 login login login"},
		{"GET", "/exports/responses.csv?unit=so-tu-phap", nil, "login ok 403 403 403 403 ok 403"},
		{"GET", "/exports/summary.csv?unit=so-cong-thuong", nil, "login ok ok ok 403 403 ok 403"},
		// flags (the ranked party, docs/SECURITY.md): admins change them;
		// managers propose, in their subtree; admins decide
		{"POST", "/dashboard/comments/flag", flag(keyOut, "set"), "login ok 403 403 403 login login login"},
		{"POST", "/dashboard/comments/flag", flag(keyIn, "set"), "login ok 403 403 403 login login login"},
		{"GET", "/dashboard/comments/flag?key=" + strconv.FormatUint(keyIn, 10), nil, "login ok ok 403 403 login login login"},
		{"GET", "/dashboard/comments/flag?key=" + strconv.FormatUint(keyOut, 10), nil, "login ok 403 403 403 login login login"},
		{"POST", "/dashboard/proposals", propose(keyIn), "login ok ok 403 403 login login login"},
		{"POST", "/dashboard/proposals", propose(keyOut), "login ok 403 403 403 login login login"},
		{"GET", "/dashboard/proposals", nil, "login ok ok 403 403 login login login"},
		{"POST", "/dashboard/proposals/{id}", decide, "login ok 403 403 403 login login login"},
		{"POST", "/api/v1/responses/" + strconv.FormatUint(keyIn, 10) + "/flags", func() any { return `{"flag":"misuse","op":"set","reason":"kiểm tra"}` },
			"login ok 403 403 403 403 403 403"},
		// submissions: reception, admin, kiosks
		{"POST", "/api/v1/responses", submit("so-cong-thuong"), "login ok 403 403 ok ok 403 ok"},
		{"POST", "/api/v1/responses", submit("so-tu-phap"), "login ok 403 403 403 403 403 403"},
		// receipts: reception and admin, never a kiosk
		{"POST", "/api/v1/receipts", receipt("so-cong-thuong"), "login ok 403 403 ok 403 403 ok"},
		{"POST", "/api/v1/receipts", receipt("so-tu-phap"), "login ok 403 403 403 403 403 403"},
		{"GET", "/reception", nil, "login ok 403 403 ok login login login"},
		{"POST", "/api/v1/counters/sct-q1/sign-on", func() any { return `{"staff":"nv-lan"}` }, "login ok 403 403 ok 403 403 ok"},
		// administration
		{"GET", "/admin/", nil, "login ok ok 403 403 login login login"},
		{"GET", "/admin/counters?unit=so-tu-phap", nil, "login ok 403 403 403 login login login"},
		// what submits is made by admins only: kiosks, pairing links, tokens
		{"GET", "/admin/kiosks", nil, "login ok ok 403 403 login login login"},
		{"POST", "/admin/kiosks", kioskForm, "login ok 403 403 403 login login login"},
		{"POST", "/admin/kiosks/k2/pair", func() any { return url.Values{} }, "login ok 403 403 403 login login login"},
		{"POST", "/admin/tokens", tokenForm, "login ok 403 403 403 login login login"},
		// a backdated burst: only submitters submit, never a manager
		{"POST", "/api/v1/responses", burst, "login ok 403 403 ok ok 403 ok"},
		{"GET", "/admin/users", nil, "login ok 403 403 403 login login login"},
		{"GET", "/admin/settings", nil, "login ok 403 403 403 login login login"},
		{"GET", "/admin/audit", nil, "login ok 403 403 403 login login login"},
		{"GET", "/admin/webhooks", nil, "login ok 403 403 403 login login login"},
		{"POST", "/admin/webhooks", func() any {
			return url.Values{"name": {"Một cửa"}, "url": {"http://127.0.0.1:9/h"}, "allow_private": {"on"}, "event_case.opened": {"on"}}
		}, "login ok 403 403 403 login login login"},
		{"GET", "/admin/deliveries", nil, "login ok 403 403 403 login login login"},
		{"GET", "/admin/mail", nil, "login ok 403 403 403 login login login"},
		{"POST", "/admin/mail/test", func() any { return url.Values{"to": {"lan@example.vn"}} }, "login ok 403 403 403 login login login"},
		{"GET", "/admin/procedures", nil, "login ok 403 403 403 login login login"},
		{"GET", "/admin/publish", nil, "login ok 403 403 403 login login login"},
		{"POST", "/admin/backup", func() any { return url.Values{} }, "login ok 403 403 403 login login login"},
	}
	for _, r := range rows {
		want := strings.Fields(r.want)
		var got []string
		for i, name := range order {
			var body any
			if r.body != nil {
				body = r.body()
			}
			path := r.path
			if strings.Contains(path, "{id}") {
				path = strings.Replace(path, "{id}", proposalFor(), 1)
			}
			res := who[name].call(t, base, r.method, path, body)
			got = append(got, classify(res))
			if got[i] != want[i] {
				t.Errorf("%s %s as %s: %s (status %d), want %s", r.method, r.path, name, got[i], res.StatusCode, want[i])
			}
			for h, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
				if res.Header.Get(h) != v {
					t.Errorf("%s %s as %s: %s = %q", r.method, r.path, name, h, res.Header.Get(h))
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s %s as %s: CSP %q", r.method, r.path, name, csp)
			}
		}
	}
	// only the allowed callers changed flags (the audit log says who)
	flaggers := map[uint64][]string{}
	for _, e := range db.AuditLog(1000, time.Time{}) {
		if e.Action == "response.flags" {
			k, _ := strconv.ParseUint(e.Target, 10, 64)
			flaggers[k] = append(flaggers[k], e.Actor)
		}
	}
	if fmt.Sprint(flaggers[keyOut]) != "[quantri]" || fmt.Sprint(flaggers[keyIn]) != "[quantri]" {
		t.Errorf("flag changes by: outside %v, inside %v", flaggers[keyOut], flaggers[keyIn])
	}
	if r, _ := db.Response(keyIn); r.Flags&survey.FlagMisuse == 0 || r.Flags&survey.FlagReclassified == 0 {
		t.Error("the allowed flag was not stored")
	}
	// only managers' and admins' proposals were stored; no kiosk or token was made but the admin's
	var by []string
	for _, p := range db.FlagProposals("") {
		if p.By != "test" {
			by = append(by, p.By)
		}
	}
	if fmt.Sprint(by) != "[quantri giamdoc quantri]" { // newest first: the admin outside, the manager and the admin inside
		t.Errorf("proposals by %v", by)
	}
	if n := len(db.Kiosks()); n != 3 {
		t.Errorf("%d kiosks, want k1, k2 and the admin's", n)
	}
	if n := len(db.Tokens()); n != 3 {
		t.Errorf("%d tokens, want the two of setup and the admin's", n)
	}
}

// submitAt stores one response for unit and returns its storage key.
func submitAt(t *testing.T, db survey.Store, unit string, at time.Time) uint64 {
	t.Helper()
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: unit, Answers: map[string]int{"overall": 2},
		Comment: "Chờ lâu", SubmittedAt: at, ReceivedAt: at}
	if _, err := db.Submit(r); err != nil {
		t.Fatal(err)
	}
	return r.Key
}

// A revoked API token stops working at its very next request, and a
// disabled user's session with it.
func TestRevocationIsImmediate(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	secret, err := m.DB.AddToken(survey.Token{Name: "Cổng dịch vụ công", Role: survey.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	tok := &caller{name: "token", bearer: secret}
	user := loginAs(t, m, "lan", survey.RoleViewer, "")
	for _, c := range []*caller{tok, user} {
		if res := c.call(t, base, "GET", "/api/v1/analytics/summary", nil); res.StatusCode != 200 {
			t.Fatalf("%s before: %d", c.name, res.StatusCode)
		}
	}
	var id string
	for _, x := range m.DB.Tokens() {
		if x.Name == "Cổng dịch vụ công" {
			id = x.ID
		}
	}
	if err := m.DB.RevokeToken(id); err != nil {
		t.Fatal(err)
	}
	if err := m.DB.UpdateUser("lan", survey.RoleViewer, "", true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*caller{tok, user} {
		if res := c.call(t, base, "GET", "/api/v1/analytics/summary", nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s after revocation: %d", c.name, res.StatusCode)
		}
	}
}
