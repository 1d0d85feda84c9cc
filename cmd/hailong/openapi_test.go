package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/web"
	"hailong/web/openapi"
)

// TestOpenAPIRoutes fails when a route under /api/v1 is registered in the
// Fiber app but not described (or described but not registered).
func TestOpenAPIRoutes(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	doc := apiChecker.doc
	registered := map[string]bool{}
	for _, r := range m.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == http.MethodHead {
			continue
		}
		p := r.Path
		for _, name := range r.Params {
			p = strings.Replace(p, ":"+name, "{"+name+"}", 1)
		}
		registered[r.Method+" "+p] = true
		item := doc.Paths.Value(p)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is served but not in web/openapi/openapi.json", r.Method, p)
		}
	}
	for p, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !registered[method+" "+p] {
				t.Errorf("%s %s is described but not served", method, p)
			}
		}
	}
	if len(registered) < 20 {
		t.Fatalf("only %d /api/v1 routes found: %v", len(registered), registered)
	}
}

// TestOpenAPIChecker: the suite's validator refuses what it must, so a
// passing suite means something.
func TestOpenAPIChecker(t *testing.T) {
	exchange := func(method, path, ctype, reqBody string, status int, resBody string) error {
		req, _ := http.NewRequest(method, "http://127.0.0.1:1"+path, strings.NewReader(reqBody))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		res := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
		return apiChecker.check(req, []byte(reqBody), res, []byte(resBody))
	}
	errBody := `{"error":{"code":"invalid","message":"x","field":"unit"}}`
	for _, c := range []struct {
		name, method, path, ctype, req string
		status                         int
		res                            string
		ok                             bool
	}{
		{"ErrorAnswer", "GET", "/api/v1/analytics/summary?unit=x", "", "", 422, errBody, true},
		{"UndescribedStatus", "GET", "/api/v1/analytics/summary", "", "", 418, errBody, false},
		{"WrongErrorShape", "GET", "/api/v1/analytics/summary", "", "", 422, `{"error":"x"}`, false},
		{"WrongAnswerShape", "GET", "/api/v1/analytics/tt01", "", "", 200, `{"unit":3}`, false},
		{"AcceptedWhatIsRefused", "POST", "/api/v1/receipts", "application/json", `{"unit":"u"}`, 201,
			`{"token":"t","survey_url":"http://x/r/t","qr_png":"http://x/q","qr_svg":"http://x/s","slip_url":"http://x/l","dossier_code":"c","expires_at":"2026-01-01T00:00:00+07:00"}`, false},
		{"RefusedWhatIsRefused", "POST", "/api/v1/receipts", "application/json", `{"unit":"u"}`, 422, errBody, true},
		{"UnknownRoute404", "GET", "/api/v1/nothing", "", "", 404, `{"error":{"code":"not_found","message":"x"}}`, true},
		{"UnknownRoute200", "GET", "/api/v1/nothing", "", "", 200, `{}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := exchange(c.method, c.path, c.ctype, c.req, c.status, c.res)
			if (err == nil) != c.ok {
				t.Fatalf("ok %v, got %v", c.ok, err)
			}
		})
	}
}

// apiCall is one request of TestOpenAPIEveryRoute.
type apiCall struct {
	client             *http.Client
	bearer, csrf       string
	method, path, body string
	ctype              string
}

func (c apiCall) do(t *testing.T, base string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if c.body != "" {
		rd = strings.NewReader(c.body)
	}
	req, _ := http.NewRequest(c.method, base+c.path, rd)
	if c.body != "" {
		ct := c.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.csrf != "" {
		req.Header.Set(web.CSRFHeader, c.csrf)
	}
	cl := c.client
	if cl == nil {
		cl = http.DefaultClient
	}
	res, err := cl.Do(req) // validated by apiChecker (openapi_check_test.go)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestOpenAPIEveryRoute drives every /api/v1 route of a seeded real server
// with a success and its main errors; every exchange is validated against
// the description on the way (apiChecker), and the statuses are checked
// here.
func TestOpenAPIEveryRoute(t *testing.T) {
	e := newReceiptEnv(t, func(dir string) {
		db, err := openTestStore(t, dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PutCounter(survey.Counter{ID: "sct-q1", Unit: "so-cong-thuong", Name: "Quầy 1"}); err != nil {
			t.Fatal(err)
		}
		db.Close()
	})
	admin, manager := loginAs(t, e.m, "quan-tri", survey.RoleAdmin, ""), loginAs(t, e.m, "truong-phong", survey.RoleManager, "so-cong-thuong")
	rec, view := e.reception, e.viewer
	today := time.Now().Format(time.DateOnly)
	submit := `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5,"staff_attitude":2},"reasons":["waited_long"],"comment":"Chờ lâu"}`
	big := `{"comment":"` + strings.Repeat("x", 70<<10) + `"}`

	// The receipt first: its token is part of later paths.
	st, b := apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts",
		body: `{"dossier_code":"OA-1","unit":"so-cong-thuong","procedure":"1.004227","staff":"nv-a","due_at":"` + today + `"}`}.do(t, e.base)
	if st != 201 {
		t.Fatalf("receipt: %d %s", st, b)
	}
	token := jsonField(t, b, "token")
	// The QR images of the live token (a reprint below replaces it).
	for _, f := range []string{"png", "svg"} {
		if st, b := (apiCall{bearer: rec, method: "GET", path: "/api/v1/receipts/" + token + "/qr." + f}).do(t, e.base); st != 200 {
			t.Fatalf("qr.%s: %d %s", f, st, b)
		}
	}
	st, b = apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: submit}.do(t, e.base)
	if st != 201 {
		t.Fatalf("submit: %d %s", st, b)
	}
	respID := jsonField(t, b, "id")
	st, b = apiCall{client: manager.client, csrf: manager.csrf, method: "POST", path: "/api/v1/actions",
		body: `{"unit":"so-cong-thuong","title":"Bỏ vách kính quầy","criteria":["facilities"],"office":"Văn phòng Sở","due_date":"` + today + `"}`}.do(t, e.base)
	if st != 201 {
		t.Fatalf("action: %d %s", st, b)
	}
	actionID := jsonField(t, b, "id")

	for _, c := range []struct {
		name string
		call apiCall
		want int
	}{
		{"OpenAPI", apiCall{method: "GET", path: openapi.Path}, 200},
		// POST /api/v1/responses
		{"SubmitKiosk", apiCall{client: e.kiosk, method: "POST", path: "/api/v1/responses", body: `{"answers":{"overall":4}}`}, 201},
		{"SubmitAgain", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: `{"id":"` + respID + `","survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`}, 200},
		{"SubmitNoAuth", apiCall{method: "POST", path: "/api/v1/responses", body: submit}, 401},
		{"SubmitViewer", apiCall{bearer: view, method: "POST", path: "/api/v1/responses", body: submit}, 403},
		{"SubmitOutside", apiCall{bearer: e.tuPhap, method: "POST", path: "/api/v1/responses", body: submit}, 403},
		{"SubmitBadScore", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":9}}`}, 422},
		{"SubmitUnknownKey", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: `{"survey":"quay","unit":"so-cong-thuong","score":1}`}, 400},
		{"SubmitMalformed", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: `{"survey":`}, 400},
		{"SubmitTextPlain", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: submit, ctype: "text/plain"}, 415},
		{"SubmitTooLarge", apiCall{bearer: rec, method: "POST", path: "/api/v1/responses", body: big}, 413},
		// POST /api/v1/responses/{ref}/flags
		{"FlagsAdmin", apiCall{client: admin.client, csrf: admin.csrf, method: "POST", path: "/api/v1/responses/" + respID + "/flags", body: `{"flag":"misuse","op":"set","reason":"thử nghiệm"}`}, 200},
		{"FlagsNoReason", apiCall{client: admin.client, csrf: admin.csrf, method: "POST", path: "/api/v1/responses/" + respID + "/flags", body: `{"flag":"misuse","op":"clear","reason":""}`}, 422},
		{"FlagsManager", apiCall{client: manager.client, csrf: manager.csrf, method: "POST", path: "/api/v1/responses/" + respID + "/flags", body: `{"flag":"misuse","op":"clear","reason":"x"}`}, 403},
		{"FlagsToken", apiCall{bearer: view, method: "POST", path: "/api/v1/responses/" + respID + "/flags", body: `{"flag":"misuse","op":"clear","reason":"x"}`}, 403},
		{"FlagsUnknown", apiCall{client: admin.client, csrf: admin.csrf, method: "POST", path: "/api/v1/responses/00000000-0000-4000-8000-000000000000/flags", body: `{"flag":"misuse","op":"clear","reason":"x"}`}, 404},
		// POST /api/v1/kiosk/heartbeat
		{"Heartbeat", apiCall{client: e.kiosk, method: "POST", path: "/api/v1/kiosk/heartbeat", body: `{"queue":0,"version":"1"}`}, 200},
		{"HeartbeatToken", apiCall{bearer: rec, method: "POST", path: "/api/v1/kiosk/heartbeat", body: `{"queue":0}`}, 403},
		{"HeartbeatNoAuth", apiCall{method: "POST", path: "/api/v1/kiosk/heartbeat", body: `{"queue":0}`}, 401},
		// counters
		{"SignOn", apiCall{bearer: rec, method: "POST", path: "/api/v1/counters/sct-q1/sign-on", body: `{"staff":"nv-a"}`}, 200},
		{"SignOnNoStaff", apiCall{bearer: rec, method: "POST", path: "/api/v1/counters/sct-q1/sign-on", body: `{}`}, 422},
		{"SignOnKiosk", apiCall{client: e.kiosk, method: "POST", path: "/api/v1/counters/sct-q1/sign-on", body: `{"staff":"nv-a"}`}, 403},
		{"SignOnUnknown", apiCall{bearer: rec, method: "POST", path: "/api/v1/counters/nowhere/sign-on", body: `{"staff":"nv-a"}`}, 422},
		{"SignOff", apiCall{bearer: rec, method: "POST", path: "/api/v1/counters/sct-q1/sign-off"}, 200},
		{"SignOffOutside", apiCall{bearer: e.tuPhap, method: "POST", path: "/api/v1/counters/sct-q1/sign-off"}, 403},
		// receipts
		{"ReceiptNoReceivedAt", apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts", body: `{"dossier_code":"OA-2","unit":"so-cong-thuong","due_at":"` + today + `"}`}, 201},
		{"ReceiptReprint", apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts", body: `{"dossier_code":"OA-1","unit":"so-cong-thuong","due_at":"` + today + `"}`}, 201},
		{"ReceiptOtherDue", apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts", body: `{"dossier_code":"OA-1","unit":"so-cong-thuong","due_at":"2999-01-01"}`}, 409},
		{"ReceiptNoDue", apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts", body: `{"dossier_code":"OA-3","unit":"so-cong-thuong"}`}, 422},
		{"ReceiptViewer", apiCall{bearer: view, method: "POST", path: "/api/v1/receipts", body: `{"dossier_code":"OA-3","unit":"so-cong-thuong","due_at":"` + today + `"}`}, 403},
		{"ReceiptForm", apiCall{bearer: rec, method: "POST", path: "/api/v1/receipts", body: "a=b", ctype: "application/x-www-form-urlencoded"}, 415},
		{"QRUnknown", apiCall{bearer: rec, method: "GET", path: "/api/v1/receipts/nothing-here/qr.png"}, 404},
		{"QRNoAuth", apiCall{method: "GET", path: "/api/v1/receipts/nothing-here/qr.svg"}, 401},
		// dossiers
		{"Finish", apiCall{bearer: rec, method: "POST", path: "/api/v1/dossiers/OA-2/finish", body: `{"finished_at":"` + today + `"}`}, 200},
		{"FinishUnknown", apiCall{bearer: rec, method: "POST", path: "/api/v1/dossiers/OA-9/finish", body: `{}`}, 404},
		{"FinishBadDate", apiCall{bearer: rec, method: "POST", path: "/api/v1/dossiers/OA-2/finish", body: `{"finished_at":"hôm qua"}`}, 422},
		{"FinishOutside", apiCall{bearer: e.tuPhap, method: "POST", path: "/api/v1/dossiers/OA-2/finish", body: `{}`}, 403},
		// analytics
		{"Summary", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/summary?unit=so-cong-thuong&survey=quay"}, 200},
		{"SummaryPeriod", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/summary?period=month&channel=web"}, 200},
		{"SummaryNoAuth", apiCall{method: "GET", path: "/api/v1/analytics/summary"}, 401},
		{"SummaryReception", apiCall{bearer: rec, method: "GET", path: "/api/v1/analytics/summary"}, 403},
		{"SummaryFromAfterTo", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/summary?from=2026-02-01&to=2026-01-01"}, 422},
		{"SummaryUnknownParam", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/summary?nope=1"}, 400},
		{"SummaryOutside", apiCall{client: manager.client, method: "GET", path: "/api/v1/analytics/summary?unit=so-tu-phap"}, 403},
		{"Timeliness", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/timeliness?unit=so-cong-thuong"}, 200},
		{"TimelinessBy", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/timeliness?by=staff"}, 200},
		{"Trend", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/trend?unit=so-cong-thuong"}, 200},
		{"Breakdown", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/breakdown?by=unit"}, 200},
		{"BreakdownStaff", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/breakdown?by=staff&unit=so-cong-thuong"}, 200},
		{"BreakdownNoBy", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/breakdown"}, 422},
		{"Heatmap", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/heatmap?misuse=include"}, 200},
		{"PainPoints", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/painpoints?top=5"}, 200},
		{"PainPointsTop", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/painpoints?top=50"}, 422},
		{"TT01", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/tt01"}, 200},
		{"Anomalies", apiCall{bearer: view, method: "GET", path: "/api/v1/analytics/anomalies"}, 200},
		{"AnomaliesManager", apiCall{client: manager.client, method: "GET", path: "/api/v1/analytics/anomalies"}, 403},
		// actions
		{"Actions", apiCall{bearer: view, method: "GET", path: "/api/v1/actions?status=open"}, 200},
		{"ActionsBadStatus", apiCall{bearer: view, method: "GET", path: "/api/v1/actions?status=later"}, 422},
		{"Action", apiCall{bearer: view, method: "GET", path: "/api/v1/actions/" + actionID + "?window=30"}, 200},
		{"ActionUnknown", apiCall{bearer: view, method: "GET", path: "/api/v1/actions/nothing"}, 404},
		{"ActionPatch", apiCall{client: manager.client, csrf: manager.csrf, method: "PATCH", path: "/api/v1/actions/" + actionID, body: `{"status":"done","done_date":"` + today + `"}`}, 200},
		{"ActionDone", apiCall{bearer: view, method: "GET", path: "/api/v1/actions/" + actionID}, 200},
		{"ActionPost", apiCall{client: manager.client, csrf: manager.csrf, method: "POST", path: "/api/v1/actions/" + actionID, body: `{"notes":"đã xong"}`}, 200},
		{"ActionViewer", apiCall{bearer: view, method: "PATCH", path: "/api/v1/actions/" + actionID, body: `{"notes":"x"}`}, 403},
		{"ActionBadStatus", apiCall{client: manager.client, csrf: manager.csrf, method: "PATCH", path: "/api/v1/actions/" + actionID, body: `{"status":"maybe"}`}, 422},
		{"ActionCreateNoTitle", apiCall{client: manager.client, csrf: manager.csrf, method: "POST", path: "/api/v1/actions", body: `{"unit":"so-cong-thuong"}`}, 422},
		{"UnknownRoute", apiCall{bearer: view, method: "GET", path: "/api/v1/nothing"}, 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			if st, b := c.call.do(t, e.base); st != c.want {
				t.Fatalf("%s %s: %d, want %d: %s", c.call.method, c.call.path, st, c.want, b)
			}
		})
	}
}

func jsonField(t *testing.T, b []byte, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	s, _ := m[key].(string)
	if s == "" {
		t.Fatalf("no %q in %s", key, b)
	}
	return s
}

// TestOpenAPIServed: public, JSON, cacheable, the embedded bytes.
func TestOpenAPIServed(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	res, err := http.Get("http://" + m.Addr + openapi.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(res.Header.Get("Cache-Control"), "public") || !bytes.Equal(b, openapi.Document) {
		t.Fatalf("%d %v %.100s", res.StatusCode, res.Header, b)
	}
}

// TestReceiptReceivedAtDefault: without received_at the dossier was
// received now, by the server's clock.
func TestReceiptReceivedAtDefault(t *testing.T) {
	e := newReceiptEnv(t)
	before := time.Now().Add(-time.Second)
	st, b := apiCall{bearer: e.reception, method: "POST", path: "/api/v1/receipts",
		body: `{"dossier_code":"RA-1","unit":"so-cong-thuong","due_at":"` + time.Now().AddDate(0, 0, 5).Format(time.DateOnly) + `"}`}.do(t, e.base)
	if st != 201 {
		t.Fatalf("%d %s", st, b)
	}
	d, err := e.m.DB.Dossier("RA-1")
	if err != nil {
		t.Fatal(err)
	}
	if d.ReceivedAt.Before(before) || d.ReceivedAt.After(time.Now().Add(time.Second)) {
		t.Fatalf("received at %v, want now", d.ReceivedAt)
	}
}
