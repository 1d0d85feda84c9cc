package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/demo"
	"hailong/survey"
	"hailong/web"
)

// Improvement actions through the real server: each role × each route,
// inside and outside the caller's subtree; the API's contract (strict
// decoding, 415, 400, 422 with the field, PATCH of some fields, CSRF for
// sessions); and on the demo province, the counter rebuilt whose effect is
// significant.

func TestActionRoleRouteTable(t *testing.T) {
	dir, _, viewerTok := setup(t)
	m := MustRun(t, dir)
	base, db := "http://"+m.Addr, m.DB
	who := map[string]*caller{
		"anon":         {name: "anon"},
		"admin":        loginAs(t, m, "quantri", survey.RoleAdmin, ""),
		"manager":      loginAs(t, m, "giamdoc", survey.RoleManager, "so-cong-thuong"),
		"manager-out":  loginAs(t, m, "giamdoc-stp", survey.RoleManager, "so-tu-phap"),
		"viewer":       loginAs(t, m, "xem", survey.RoleViewer, "so-cong-thuong"),
		"reception":    loginAs(t, m, "tiepnhan", survey.RoleReception, "so-cong-thuong"),
		"viewer-token": {name: "viewer-token", bearer: viewerTok},
	}
	order := []string{"anon", "admin", "manager", "manager-out", "viewer", "reception", "viewer-token"}
	open := func() string { // a fresh open action at Sở Công Thương for each write
		a, err := db.CreateAction(survey.Action{Unit: "sct-van-phong", Title: "Bố trí ghế chờ", Criteria: []string{"facilities"},
			Office: "Văn phòng Sở", Due: "2030-01-31", Status: survey.ActionPlanned}, "test")
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	fixed := open()
	formBody := func(unit string) url.Values {
		return url.Values{"unit": {unit}, "title": {"Lắp máy lấy số"}, "criteria": {"timeliness"}, "office": {"Văn phòng Sở"},
			"due_date": {"2030-06-30"}, "status": {"planned"}}
	}
	rows := []struct {
		method string
		path   func() string
		body   func() any
		want   string // anon admin manager manager-out viewer reception viewer-token
	}{
		{"GET", func() string { return "/actions" }, nil, "login ok ok ok ok 403 login"},
		{"GET", func() string { return "/actions?unit=so-cong-thuong" }, nil, "login ok ok 403 ok 403 login"},
		{"GET", func() string { return "/actions/new" }, nil, "login ok ok ok 403 403 login"},
		{"GET", func() string { return "/actions/" + fixed }, nil, "login ok ok 403 ok 403 login"},
		{"POST", func() string { return "/actions" }, func() any { return formBody("so-cong-thuong") }, "login ok ok 403 403 403 login"},
		{"POST", func() string { return "/actions/" + open() }, func() any { return formBody("sct-van-phong") }, "login ok ok 403 403 403 login"},
		{"POST", func() string { return "/actions/" + open() + "/close" }, func() any { return url.Values{"done_date": {time.Now().Format(time.DateOnly)}} }, "login ok ok 403 403 403 login"},
		{"GET", func() string { return "/api/v1/actions" }, nil, "login ok ok ok ok 403 ok"},
		{"GET", func() string { return "/api/v1/actions?unit=sct-van-phong" }, nil, "login ok ok 403 ok 403 ok"},
		{"GET", func() string { return "/api/v1/actions/" + fixed }, nil, "login ok ok 403 ok 403 ok"},
		{"POST", func() string { return "/api/v1/actions" }, func() any {
			return `{"unit":"so-cong-thuong","title":"Lắp máy lấy số","criteria":["timeliness"],"office":"Văn phòng Sở","due_date":"2030-06-30"}`
		}, "login ok ok 403 403 403 403"},
		{"POST", func() string { return "/api/v1/actions/" + open() }, func() any { return `{"status":"in_progress"}` }, "login ok ok 403 403 403 403"},
	}
	for _, r := range rows {
		want := strings.Fields(r.want)
		for i, name := range order {
			var body any
			if r.body != nil {
				body = r.body()
			}
			path := r.path()
			res := who[name].call(t, base, r.method, path, body)
			if got := classify(res); got != want[i] {
				t.Errorf("%s %s as %s: %s (status %d), want %s", r.method, path, name, got, res.StatusCode, want[i])
			}
		}
	}
	var creators []string
	for _, e := range db.AuditLog(1000, time.Time{}) {
		if e.Action == "action.create" && e.Actor != "test" {
			creators = append(creators, e.Actor)
		}
	}
	if fmt.Sprint(creators) != "[giamdoc quantri giamdoc quantri]" {
		t.Errorf("actions created by %v", creators)
	}
}

// actAPI sends a JSON request as a logged-in caller (with its CSRF token
// when csrf is set) and decodes the answer.
func actAPI(t *testing.T, c *caller, base, method, path, ctype, body string, csrf bool) apiResult {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if csrf {
		req.Header.Set(web.CSRFHeader, c.csrf)
	}
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %q", method, path, res.StatusCode, raw)
	}
	return apiResult{res.StatusCode, out}
}

func TestActionAPI(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	mgr := loginAs(t, m, "giamdoc", survey.RoleManager, "so-cong-thuong")
	const ct = "application/json"
	good := `{"unit":"so-cong-thuong","title":"Cải tạo khu vực tiếp nhận","description":"Tháo vách kính","criteria":["facilities"],"office":"Văn phòng Sở","due_date":"2030-06-30"}`
	r := actAPI(t, mgr, base, "POST", "/api/v1/actions", ct, good, true)
	if r.Status != 201 || r.Body["id"] != "1" || r.Body["status"] != "planned" || r.Body["created_by"] != "giamdoc" || r.Body["overdue"] != false {
		t.Fatalf("create: %d %v", r.Status, r.Body)
	}
	for _, c := range []struct {
		name, method, path, ctype, body string
		csrf                            bool
		status                          int
		code, field                     string
	}{
		{"NoCSRF", "POST", "/api/v1/actions", ct, good, false, 403, survey.EFORBIDDEN, ""},
		{"NoCSRFPatch", "PATCH", "/api/v1/actions/1", ct, `{"status":"in_progress"}`, false, 403, survey.EFORBIDDEN, ""},
		{"WrongType", "POST", "/api/v1/actions", "text/plain", good, true, 415, survey.EUNSUPPORTED, ""},
		{"Malformed", "POST", "/api/v1/actions", ct, `{"title":`, true, 400, survey.EMALFORMED, ""},
		{"UnknownKey", "POST", "/api/v1/actions", ct, `{"titel":"x"}`, true, 400, survey.EMALFORMED, "titel"},
		{"WrongShape", "POST", "/api/v1/actions", ct, `{"criteria":"facilities"}`, true, 400, survey.EMALFORMED, "criteria"},
		{"NoTitle", "POST", "/api/v1/actions", ct, strings.Replace(good, `"Cải tạo khu vực tiếp nhận"`, `""`, 1), true, 422, survey.EINVALID, "title"},
		{"UnknownCriterion", "POST", "/api/v1/actions", ct, strings.Replace(good, `"facilities"`, `"parking"`, 1), true, 422, survey.EINVALID, "criteria"},
		{"UnknownUnit", "POST", "/api/v1/actions", ct, strings.Replace(good, `"so-cong-thuong"`, `"so-khong-co"`, 1), true, 422, survey.EINVALID, "unit"},
		{"Outside", "POST", "/api/v1/actions", ct, strings.Replace(good, `"so-cong-thuong"`, `"so-tu-phap"`, 1), true, 403, survey.EFORBIDDEN, ""},
		{"BadDue", "POST", "/api/v1/actions", ct, strings.Replace(good, `"2030-06-30"`, `"30/06/2030"`, 1), true, 422, survey.EINVALID, "due_date"},
		{"DoneNoDate", "PATCH", "/api/v1/actions/1", ct, `{"status":"done"}`, true, 422, survey.EINVALID, "done_date"},
		{"DoneFuture", "PATCH", "/api/v1/actions/1", ct, `{"status":"done","done_date":"2099-01-01"}`, true, 422, survey.EINVALID, "done_date"},
		{"NewID", "PATCH", "/api/v1/actions/1", ct, `{"id":"2"}`, true, 422, survey.EINVALID, "id"},
		{"Unknown", "PATCH", "/api/v1/actions/99", ct, `{"notes":"x"}`, true, 404, survey.ENOTFOUND, ""},
		{"BadWindow", "GET", "/api/v1/actions/1?window=400", "", "", false, 422, survey.EINVALID, "window"},
		{"BadStatus", "GET", "/api/v1/actions?status=closed", "", "", false, 422, survey.EINVALID, "status"},
		{"UnknownParam", "GET", "/api/v1/actions?sort=due", "", "", false, 400, survey.EMALFORMED, "sort"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := actAPI(t, mgr, base, c.method, c.path, c.ctype, c.body, c.csrf)
			if r.Status != c.status || r.errCode() != c.code || r.errField() != c.field {
				t.Errorf("%d %s (%s), want %d %s (%s): %v", r.Status, r.errCode(), r.errField(), c.status, c.code, c.field, r.Body)
			}
		})
	}
	today := time.Now().In(m.DB.Loc()).Format(time.DateOnly)
	r = actAPI(t, mgr, base, "PATCH", "/api/v1/actions/1", ct, `{"status":"done","done_date":"`+today+`","notes":"Nghiệm thu"}`, true)
	if r.Status != 200 || r.Body["status"] != "done" || r.Body["done_date"] != today || r.Body["title"] != "Cải tạo khu vực tiếp nhận" || r.Body["updated_by"] != "giamdoc" {
		t.Fatalf("patch: %d %v", r.Status, r.Body)
	}
	r = actAPI(t, mgr, base, "GET", "/api/v1/actions/1", "", "", false)
	if aPath(r.Body, "effect", "criteria", 0, "verdict") != "too_early" || aPath(r.Body, "effect", "days_passed") != 0.0 ||
		!strings.Contains(aPath(r.Body, "effect", "criteria", 0, "text", "en").(string), "not enough time yet to tell") {
		t.Errorf("effect of an action done today: %v", r.Body["effect"])
	}
	r = actAPI(t, mgr, base, "GET", "/api/v1/actions?status=done", "", "", false)
	if n := len(r.Body["actions"].([]any)); r.Status != 200 || n != 1 {
		t.Errorf("done actions: %d %d", r.Status, n)
	}
	if n := len(m.DB.AuditLog(100, time.Time{})); n < 2 {
		t.Errorf("%d audit entries", n)
	}
}

// TestActionDemoEffect: on the demo province, the counter rebuilt at Sở
// Công Thương shows a significant rise in facilities; the planned training
// has no effect yet and says why; the website upgrade is overdue.
func TestActionDemoEffect(t *testing.T) {
	dir := t.TempDir()
	m := MustRun(t, dir)
	st, err := demo.Generate(m.DB, time.Now().In(m.DB.Loc()), 3)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Addr
	tok, err := m.DB.AddToken(survey.Token{Name: "xem", Role: survey.RoleViewer, Unit: "so-cong-thuong"})
	if err != nil {
		t.Fatal(err)
	}
	r := aGet(t, base+"/api/v1/actions/"+demo.ActionCounter, tok)
	c := aPath(r.Body, "effect", "criteria", 0)
	t.Logf("counter rebuilt: %v", aPath(c, "text", "vi"))
	if r.Status != 200 || aPath(c, "key") != "facilities" || aPath(c, "verdict") != "improved" || aPath(c, "significant") != true ||
		aPath(c, "delta_pp").(float64) < 20 || aPath(c, "ci_low").(float64) <= 0 || aPath(r.Body, "done_date") != st.Story.CounterRebuilt {
		t.Errorf("counter action: %d %v", r.Status, r.Body)
	}
	r = aGet(t, base+"/api/v1/actions/"+demo.ActionTraining, tok)
	if aPath(r.Body, "effect", "verdict") != "not_done" || !strings.Contains(aPath(r.Body, "effect", "message", "vi").(string), "chưa hoàn thành") {
		t.Errorf("planned action: %v", r.Body["effect"])
	}
	r = aGet(t, base+"/api/v1/actions?status=overdue", tok)
	if aPath(r.Body, "actions", 0, "id") != demo.ActionWebsite || len(r.Body["actions"].([]any)) != 1 {
		t.Errorf("overdue: %v", r.Body)
	}
}
