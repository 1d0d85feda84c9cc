package analytics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hailong/survey"
)

// summaryJSONOf reads the summary route as the same session.
func (e *pagesEnv) summaryJSON(t *testing.T, sid, query string) summaryJSON {
	t.Helper()
	st, body := e.get(t, "/api/v1/analytics/summary?"+query, sid)
	if st != 200 {
		t.Fatalf("summary: %d %s", st, body)
	}
	var s summaryJSON
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\uFEFF") {
		t.Fatal("CSV without a byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func num2(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func TestExportsEqualTheSummary(t *testing.T) {
	e := newPagesEnv(t)
	sid, _ := e.login(t, "giamdoc", survey.RoleManager, "so-a")
	query := "unit=so-a&from=2025-06-01&to=2026-03-18"
	want := e.summaryJSON(t, sid, query)
	byKey := map[string]criterionJSON{}
	for _, c := range want.Criteria {
		byKey[c.Key] = c
	}

	st, body, hdr := e.do(t, "GET", "/exports/summary.csv?"+query, sid, nil)
	if st != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
		t.Fatalf("summary.csv: %d %v", st, hdr)
	}
	rows := readCSV(t, body)
	if strings.Join(rows[0], ",") != strings.Join(summaryColumns, ",") {
		t.Fatalf("header %v", rows[0])
	}
	col := func(name string) int {
		for i, c := range summaryColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	criteria := 0
	for _, r := range rows[1:] {
		switch r[col("kind")] {
		case "index":
			if r[col("value")] != num2(want.Index.Value) || r[col("n")] != strconv.FormatUint(want.Index.N, 10) || r[col("delta_pp")] != num2(want.DeltaPP) {
				t.Errorf("index row %v, JSON %+v delta %v", r, want.Index, want.DeltaPP)
			}
		case "criterion":
			criteria++
			c := byKey[r[col("key")]]
			if r[col("value")] != num2(c.Value) || r[col("ci_low")] != num2(c.CILow) || r[col("n")] != strconv.FormatUint(c.N, 10) {
				t.Errorf("criterion row %v, JSON %+v", r, c)
			}
		}
	}
	if criteria != len(want.Criteria) {
		t.Errorf("%d criteria in the CSV, %d in JSON", criteria, len(want.Criteria))
	}

	checkSummaryXLSX(t, e, sid, query, want, byKey)
}

// checkSummaryXLSX: summary.xlsx holds the JSON summary's figures.
func checkSummaryXLSX(t *testing.T, e *pagesEnv, sid, query string, want summaryJSON, byKey map[string]criterionJSON) {
	t.Helper()
	st, body, _ := e.do(t, "GET", "/exports/summary.xlsx?"+query, sid, nil)
	if st != 200 {
		t.Fatalf("summary.xlsx: %d %s", st, body)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	v, _ := x.GetCellValue("Tổng hợp", "B8")
	if f, _ := strconv.ParseFloat(v, 64); num2(&f) != num2(want.Index.Value) {
		t.Errorf("xlsx index %q, JSON %v", v, *want.Index.Value)
	}
	xr, err := x.GetRows("Tiêu chí")
	if err != nil || len(xr) != len(want.Criteria)+1 {
		t.Fatalf("criteria sheet: %d rows, %v", len(xr), err)
	}
	for _, r := range xr[1:] {
		c := byKey[r[0]]
		f, _ := strconv.ParseFloat(r[3], 64)
		if num2(&f) != num2(c.Value) || r[6] != strconv.FormatUint(c.N, 10) {
			t.Errorf("xlsx criterion %v, JSON %+v", r, c)
		}
	}
	for _, sheet := range []string{"Yếu tố", "Theo tháng", "Hồ sơ", "Đơn vị", "Quầy", "Công chức", "Thủ tục", "Kênh"} {
		if idx, _ := x.GetSheetIndex(sheet); idx < 0 {
			t.Errorf("no sheet %s", sheet)
		}
	}
}

func TestResponsesExports(t *testing.T) {
	e := newPagesEnv(t)
	sid, _ := e.login(t, "giamdoc", survey.RoleManager, "so-a")
	var n int
	e.db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		if r.Unit == "so-a" || r.Unit == "so-a-vp" {
			n++
		}
		return nil
	})
	st, body, _ := e.do(t, "GET", "/exports/responses.csv?from=2025-06-01&to=2026-03-18", sid, nil)
	if st != 200 {
		t.Fatalf("responses.csv: %d", st)
	}
	rows := readCSV(t, body)
	if len(rows) != n+1 || rows[0][0] != "submitted_at" || rows[0][3] != "survey" {
		t.Fatalf("%d rows (want %d + header), header %v", len(rows), n, rows[0])
	}
	if strings.Contains(body, "0905 123 456") || strings.Contains(body, "lan@example.com") || !strings.Contains(body, "[số ẩn]") {
		t.Error("comments not masked in the export")
	}
	for _, r := range rows[1:] {
		if r[1] != "so-a" && r[1] != "so-a-vp" {
			t.Fatalf("a response of %s in so-a's export", r[1])
		}
	}
	st, body, _ = e.do(t, "GET", "/exports/responses.xlsx?from=2025-06-01&to=2026-03-18", sid, nil)
	if st != 200 {
		t.Fatalf("responses.xlsx: %d", st)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	xr, _ := x.GetRows("Phieu")
	if len(xr) != n+1 {
		t.Fatalf("xlsx: %d rows, want %d + header", len(xr), n)
	}
	st, body, _ = e.do(t, "GET", "/exports/breakdown.csv?by=counter&from=2025-06-01&to=2026-03-18", sid, nil)
	if rows := readCSV(t, body); st != 200 || len(rows) != 3 || rows[1][0] != "counter" {
		t.Fatalf("breakdown.csv: %d %v", st, rows)
	}
}

func TestFlagUnflag(t *testing.T) {
	e := newPagesEnv(t)
	sid, csrf := e.login(t, "quantri", survey.RoleAdmin, "")
	mgr, mcsrf := e.login(t, "giamdoc", survey.RoleManager, "so-a")
	viewer, vcsrf := e.login(t, "xem", survey.RoleViewer, "so-a")
	query := "unit=so-a&from=2025-06-01&to=2026-03-18"
	before := e.summaryJSON(t, sid, query).Index.N
	var key uint64
	e.db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		if r.Unit == "so-a" && r.Comment != "" {
			key = r.Key
		}
		return nil
	})
	form := func(op, token string) url.Values {
		return url.Values{"_csrf": {token}, "key": {itoa(key)}, "flag": {"misuse"}, "op": {op}, "reason": {"bấm thử khi lắp máy"},
			"back": {"/dashboard/comments?unit=so-a"}}
	}
	if st, _, _ := e.do(t, "POST", "/dashboard/comments/flag", sid, form("set", "forged")); st != 403 {
		t.Fatalf("without the CSRF token: %d", st)
	}
	if st, _, _ := e.do(t, "POST", "/dashboard/comments/flag", viewer, form("set", vcsrf)); st != 403 {
		t.Fatalf("a viewer flagged: %d", st)
	}
	if st, _, _ := e.do(t, "POST", "/dashboard/comments/flag", mgr, form("set", mcsrf)); st != 403 {
		t.Fatalf("a manager (the ranked party) flagged: %d", st)
	}
	noReason := form("set", csrf)
	noReason.Set("reason", "  ")
	st, body, _ := e.do(t, "POST", "/dashboard/comments/flag", sid, noReason)
	if st != 422 || !strings.Contains(body, `id="f-reason-error"`) || !strings.Contains(body, "Cần ghi lý do") {
		t.Fatalf("without a reason: %d\n%s", st, body)
	}
	if n := e.summaryJSON(t, sid, query).Index.N; n != before {
		t.Fatalf("a refused change moved n to %d", n)
	}
	st, _, hdr := e.do(t, "POST", "/dashboard/comments/flag", sid, form("set", csrf))
	if st != 303 || hdr.Get("Location") != "/dashboard/comments?done=set&unit=so-a" {
		t.Fatalf("flag: %d %q", st, hdr.Get("Location"))
	}
	if n := e.summaryJSON(t, sid, query).Index.N; n != before-1 {
		t.Fatalf("after flagging n = %d, want %d", n, before-1)
	}
	audit := e.db.AuditLog(5, time.Time{})
	if len(audit) == 0 || audit[0].Action != "response.flags" || audit[0].Actor != "quantri" || audit[0].Target != itoa(key) ||
		!strings.Contains(audit[0].Detail, "bấm thử khi lắp máy") {
		t.Fatalf("audit %+v", audit)
	}
	_, body = e.get(t, "/dashboard/comments?unit=so-a&flagged=yes&done=set", sid)
	if !strings.Contains(body, `data-response="`+itoa(key)+`"`) || !strings.Contains(body, `value="misuse:clear"`) || !strings.Contains(body, "Đã điều chỉnh") {
		t.Fatal("the flagged response is not listed with its unflag button and its reclassified tag")
	}
	// a manager proposes instead; an administrator confirms
	_, body = e.get(t, "/dashboard/comments?unit=so-a&flagged=yes", mgr)
	if !strings.Contains(body, `data-flag-form="propose"`) || strings.Contains(body, `action="/dashboard/comments/flag"`) {
		t.Fatal("the manager's list offers flag changes instead of proposals")
	}
	prop := form("clear", mcsrf)
	prop.Set("reason", "người dân xác nhận qua điện thoại")
	st, _, hdr = e.do(t, "POST", "/dashboard/proposals", mgr, prop)
	if st != 303 || !strings.Contains(hdr.Get("Location"), "done=proposed") {
		t.Fatalf("propose: %d %q", st, hdr.Get("Location"))
	}
	if n := e.summaryJSON(t, sid, query).Index.N; n != before-1 {
		t.Fatalf("a proposal changed n to %d", n)
	}
	open := e.db.FlagProposals(survey.ProposalOpen)
	if len(open) != 1 || open[0].By != "giamdoc" {
		t.Fatalf("proposals %+v", open)
	}
	if st, _, _ := e.do(t, "POST", "/dashboard/proposals/"+open[0].ID, mgr, url.Values{"_csrf": {mcsrf}, "decision": {"confirm"}}); st != 403 {
		t.Fatalf("a manager confirmed a proposal: %d", st)
	}
	st, _, _ = e.do(t, "POST", "/dashboard/proposals/"+open[0].ID, sid, url.Values{"_csrf": {csrf}, "decision": {"confirm"}, "note": {"đã nghe ghi âm"}})
	if st != 303 {
		t.Fatalf("confirm: %d", st)
	}
	if n := e.summaryJSON(t, sid, query).Index.N; n != before {
		t.Fatalf("after the confirmed proposal n = %d, want %d", n, before)
	}
	bad := form("set", csrf)
	bad.Set("back", "https://evil.example/")
	if _, _, hdr := e.do(t, "POST", "/dashboard/comments/flag", sid, bad); !strings.HasPrefix(hdr.Get("Location"), "/dashboard/comments?") {
		t.Fatalf("open redirect: %q", hdr.Get("Location"))
	}
	bad.Set("key", "12")
	if st, _, _ := e.do(t, "POST", "/dashboard/comments/flag", sid, bad); st != 404 {
		t.Fatalf("unknown response: %d", st)
	}
}

func TestExportsWithAToken(t *testing.T) {
	e := newPagesEnv(t)
	token, err := e.db.AddToken(survey.Token{ID: "t1", Name: "báo cáo", Role: survey.RoleViewer, Unit: "so-a"})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/exports/summary.csv": 200, "/exports/responses.csv?unit=so-a-vp": 200,
		"/exports/summary.csv?unit=so-b": 403, "/dashboard": 401} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := e.app.Test(req, -1)
		if err != nil || resp.StatusCode != want {
			t.Errorf("%s with a token: %v %v, want %d", path, err, resp.StatusCode, want)
		}
	}
	req := httptest.NewRequest("HEAD", "/exports/responses.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := e.app.Test(req, -1); err != nil || resp.StatusCode != 200 {
		t.Errorf("HEAD responses.xlsx: %v %v", err, resp)
	}
}
