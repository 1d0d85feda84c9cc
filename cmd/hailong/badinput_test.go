package main

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/web"
)

// fingerprint is what a refused request must not change.
func fingerprint(t *testing.T, db survey.Store) string {
	t.Helper()
	tl, err := db.CountDossiers(db.Subtree(""), time.Unix(0, 0), time.Now().AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ok, err := db.CheckAgg()
	if err != nil || !ok {
		t.Fatalf("counts differ from a rebuild: %v %v", ok, err)
	}
	return fmt.Sprintf("responses=%d idem=%d units=%d users=%d tokens=%d kiosks=%d dossiers=%+v audit=%d",
		db.ResponseCount(), db.IdemCount(), len(db.Units()), len(db.Users()), len(db.Tokens()), len(db.Kiosks()), tl,
		len(db.AuditLog(10000, time.Time{})))
}

// TestBadInputChangesNothing sends hostile or broken requests to every
// public route family — the submission API, receipts and dossiers, the
// mobile and poster forms, analytics, login, the admin CSV import, path
// tricks — and checks each gets its 4xx with a clear message, and that the
// store is exactly as before.
func TestBadInputChangesNothing(t *testing.T) {
	dir, reception, viewer := setup(t)
	m := MustRun(t, dir)
	db := m.DB
	base := "http://" + m.Addr
	now := time.Now()
	code, _ := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-cong-thuong", Name: "Ki-ốt 1"})
	_, kioskKey, err := db.PairKiosk(code)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(code string, received, expires time.Time) string {
		tok, err := db.IssueReceipt("test", &survey.Dossier{Code: code, Unit: "so-cong-thuong", Procedure: "1.001", ReceivedAt: received, DueAt: received.AddDate(0, 0, 5)}, expires)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := issue("HS-1", now, time.Time{})
	expired := issue("HS-2", now.AddDate(0, 0, -1), time.Now().Add(300*time.Millisecond))
	time.Sleep(400 * time.Millisecond) // now it has expired
	answered := issue("HS-3", now, time.Time{})
	if r := rawDo(t, nil, "POST", base+"/r/"+answered, nil, "application/x-www-form-urlencoded", "c.overall=5"); r.status != 200 {
		t.Fatalf("answering the receipt: %d %s", r.status, r.body)
	}
	if err := db.CreateUser(survey.User{Username: "qt", Role: survey.RoleAdmin}, "mat-khau-quan-tri"); err != nil {
		t.Fatal(err)
	}
	admin := loginAs(t, m, "qt2", survey.RoleAdmin, "")
	before := fingerprint(t, db)

	rec := map[string]string{"Authorization": "Bearer " + reception}
	view := map[string]string{"Authorization": "Bearer " + viewer}
	kiosk := map[string]string{"Cookie": web.KioskCookie + "=" + kioskKey}
	sess := map[string]string{web.CSRFHeader: admin.csrf}
	const J, F = "application/json", "application/x-www-form-urlencoded"
	big := `{"survey":"quay","unit":"so-cong-thuong","comment":"` + strings.Repeat("x", 70<<10) + `","answers":{"overall":5}}`
	day := now.Format("2006-01-02")
	cases := []struct {
		name, method, path string
		hdr                map[string]string
		ctype, body        string
		status             int
		want               string // error code (JSON) or a phrase on the page
	}{
		{"malformed JSON", "POST", "/api/v1/responses", rec, J, `{"survey":`, 400, "malformed"},
		{"wrong content type", "POST", "/api/v1/responses", rec, "text/plain", `{}`, 415, "unsupported"},
		{"body over 64 KiB", "POST", "/api/v1/responses", rec, J, big, 413, "too_large"},
		{"unknown key", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"admin":true}`, 400, "malformed"},
		{"invalid UTF-8", "POST", "/api/v1/responses", rec, J, "{\"survey\":\"quay\",\"unit\":\"so-cong-thuong\",\"comment\":\"\xff\xfe\",\"answers\":{\"overall\":5}}", 400, "malformed"},
		{"trailing data", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}{}`, 400, "malformed"},
		{"score above the scale", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":6}}`, 422, "invalid"},
		{"negative score", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":-1}}`, 422, "invalid"},
		{"score as a string", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":"5"}}`, 400, "malformed"},
		{"unknown criterion", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"bribes":5}}`, 422, "invalid"},
		{"unknown survey", "POST", "/api/v1/responses", rec, J, `{"survey":"nope","unit":"so-cong-thuong","answers":{"overall":5}}`, 422, "invalid"},
		{"unknown unit", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-khong-co","answers":{"overall":5}}`, 422, "invalid"},
		{"bad submitted_at", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","submitted_at":"hôm qua","answers":{"overall":5}}`, 422, "invalid"},
		{"id not a UUID", "POST", "/api/v1/responses", rec, J, `{"id":"1; DROP TABLE","survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 422, "invalid"},
		{"kiosk channel from a token", "POST", "/api/v1/responses", rec, J, `{"channel":"kiosk","survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 422, "invalid"},
		{"comment over 2,000 characters", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-cong-thuong","comment":"` + strings.Repeat("ư", 2001) + `","answers":{"overall":5}}`, 422, "invalid"},
		{"no credentials", "POST", "/api/v1/responses", nil, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 401, "unauthorized"},
		{"forged token", "POST", "/api/v1/responses", map[string]string{"Authorization": "Bearer hl_forged"}, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 401, "unauthorized"},
		{"viewer submits", "POST", "/api/v1/responses", view, J, `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 403, "forbidden"},
		{"outside the token's units", "POST", "/api/v1/responses", rec, J, `{"survey":"quay","unit":"so-tu-phap","answers":{"overall":5}}`, 403, "forbidden"},
		{"forged kiosk cookie", "POST", "/api/v1/responses", map[string]string{"Cookie": web.KioskCookie + "=forged"}, J, `{"answers":{"overall":5}}`, 401, "unauthorized"},
		{"receipt without a code", "POST", "/api/v1/receipts", rec, J, `{"unit":"so-cong-thuong","received_at":"` + day + `","due_at":"` + day + `"}`, 422, "invalid"},
		{"receipt due before received", "POST", "/api/v1/receipts", rec, J, `{"dossier_code":"HS-9","unit":"so-cong-thuong","received_at":"2026-03-10","due_at":"2026-03-01"}`, 422, "invalid"},
		{"receipt impossible date", "POST", "/api/v1/receipts", rec, J, `{"dossier_code":"HS-9","unit":"so-cong-thuong","received_at":"2026-13-01","due_at":"2026-03-01"}`, 422, "invalid"},
		{"receipt from a kiosk", "POST", "/api/v1/receipts", kiosk, J, `{"dossier_code":"HS-9","unit":"so-cong-thuong","received_at":"` + day + `","due_at":"` + day + `"}`, 403, "forbidden"},
		{"receipt for an unknown unit", "POST", "/api/v1/receipts", rec, J, `{"dossier_code":"HS-9","unit":"khong-co","received_at":"` + day + `","due_at":"` + day + `"}`, 422, "invalid"},
		{"receipt expiring before receipt", "POST", "/api/v1/receipts", rec, J, `{"dossier_code":"HS-9","unit":"so-cong-thuong","received_at":"` + day + `","due_at":"` + day + `","expires_at":"2020-01-01"}`, 422, "invalid"},
		{"finish an unknown dossier", "POST", "/api/v1/dossiers/HS-404/finish", rec, J, `{"finished_at":"` + day + `"}`, 404, "not_found"},
		{"finish before received", "POST", "/api/v1/dossiers/HS-1/finish", rec, J, `{"finished_at":"2001-01-01"}`, 422, "invalid"},
		{"forged receipt token (GET)", "GET", "/r/forgedforgedforgedforgedforgedforgedforge", nil, "", "", 404, "Không tìm thấy"},
		{"forged receipt token (POST)", "POST", "/r/forgedforgedforgedforgedforgedforgedforge", nil, F, "c.overall=5", 404, "Không tìm thấy"},
		{"score out of range on the form", "POST", "/r/" + valid, nil, F, "c.overall=9&c.facilities=1", 422, "Lỗi: "},
		{"JSON to the form", "POST", "/r/" + valid, nil, J, `{"c.overall":5}`, 415, ""},
		{"expired receipt", "GET", "/r/" + expired, nil, "", "", 410, ""},
		{"receipt used twice", "POST", "/r/" + answered, nil, F, "c.overall=1", 409, ""},
		{"path trick on the form", "GET", "/r/..%2f..%2fadmin", nil, "", "", 404, ""},
		{"poster for an unknown unit", "GET", "/f/khong-co-don-vi", nil, "", "", 404, ""},
		{"poster with a word as score", "POST", "/f/so-cong-thuong", map[string]string{"Sec-Fetch-Site": "same-origin"}, F, "c.overall=abc", 422, "Lỗi: "},
		{"summary from after to", "GET", "/api/v1/analytics/summary?from=2026-03-01&to=2026-01-01", view, "", "", 422, "invalid"},
		{"summary impossible date", "GET", "/api/v1/analytics/summary?from=2026-02-30", view, "", "", 422, "invalid"},
		{"summary unknown parameter", "GET", "/api/v1/analytics/summary?unit=so-cong-thuong&sql=1", view, "", "", 400, "malformed"},
		{"summary repeated parameter", "GET", "/api/v1/analytics/summary?unit=so-cong-thuong&unit=so-tu-phap", view, "", "", 400, "malformed"},
		{"summary unknown unit", "GET", "/api/v1/analytics/summary?unit=%3Cscript%3E", view, "", "", 422, "invalid"},
		{"timeliness without login", "GET", "/api/v1/analytics/timeliness", nil, "", "", 401, "unauthorized"},
		{"login without its CSRF token", "POST", "/login", nil, F, "username=qt&password=mat-khau-quan-tri", 403, "Trang đăng nhập"},
		{"static path traversal", "GET", "/static/..%2f..%2fgo.mod", nil, "", "", 404, ""},
		{"forged pairing code", "GET", "/kiosk/pair/forged-code", nil, "", "", 404, ""},
		{"admin page with a forged CSRF token", "POST", "/admin/settings", map[string]string{web.CSRFHeader: "forged"}, F, "min_n=1", 403, "forbidden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var cl *http.Client
			if strings.HasPrefix(c.path, "/admin/") {
				cl = admin.client
				if c.hdr == nil {
					c.hdr = sess
				}
			}
			r := rawDo(t, cl, c.method, base+c.path, c.hdr, c.ctype, c.body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, c.status, r.body)
			}
			if c.want != "" && !strings.Contains(r.body, c.want) {
				t.Fatalf("answer lacks %q: %.300s", c.want, r.body)
			}
			if strings.Contains(r.body, "internal") || strings.Contains(r.body, "panic") || strings.Contains(r.body, "goroutine") {
				t.Fatalf("answer leaks internals: %.300s", r.body)
			}
		})
	}
	// the admin CSV import with errors: refused, line-numbered, nothing stored
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "units.csv")
	io.WriteString(fw, "id,name,parent,group\nso-moi,Sở Mới,,\nBAD ID,,khong-co,\n")
	mw.WriteField("_csrf", admin.csrf)
	mw.Close()
	r := rawDo(t, admin.client, "POST", base+"/admin/units/import", nil, mw.FormDataContentType(), buf.String())
	if r.status != 422 || !strings.Contains(r.body, "3") {
		t.Errorf("bad units CSV: %d %.300s", r.status, r.body)
	}
	if after := fingerprint(t, db); after != before {
		t.Fatalf("the store changed:\nbefore %s\nafter  %s", before, after)
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
}

type rawResult struct {
	status int
	body   string
}

func rawDo(t *testing.T, cl *http.Client, method, u string, hdr map[string]string, ctype, body string) rawResult {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if cl == nil {
		jar, _ := cookiejar.New(nil)
		cl = &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect, Timeout: 10 * time.Second}
	}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return rawResult{res.StatusCode, string(b)}
}
