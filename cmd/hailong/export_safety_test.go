package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"hailong/survey"
)

// getAs fetches path as c (its session or its token) and returns the body.
func getAs(t *testing.T, c *caller, base, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	cl := c.client
	if cl == nil {
		cl = &http.Client{Timeout: 20 * time.Second}
	}
	res, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return b
}

// postComment submits a kiosk-style response with comment through the API.
func postComment(t *testing.T, base, token, comment string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"survey": "quay", "unit": "so-cong-thuong", "answers": map[string]int{"overall": 2},
		"comment": comment})
	req, _ := http.NewRequest("POST", base+"/api/v1/responses", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("submit: %d %s", res.StatusCode, b)
	}
}

// Issue 13: two numbers written side by side ("CCCD 001234567890
// 0912345678") were read as one 22-digit run and shown unmasked on the
// comments page and in the exports.
func TestCommentMaskThroughServer(t *testing.T) {
	dir, reception, viewerTok := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	postComment(t, base, reception, "CCCD 001234567890 0912345678 gọi giúp, chờ 45 phút ở quầy 3")
	postComment(t, base, reception, "Liên hệ +84 912 345 678 hoặc (028) 3822 1234, MST 0312345678-001")
	viewer := loginAs(t, m, "xem", "viewer", "so-cong-thuong")
	token := &caller{name: "token", bearer: viewerTok}
	for _, p := range []struct {
		who  *caller
		path string
	}{
		{viewer, "/dashboard/comments?unit=so-cong-thuong"},
		{viewer, "/reports/official?unit=so-cong-thuong"},
		{token, "/exports/responses.csv?unit=so-cong-thuong"},
	} {
		body := string(getAs(t, p.who, base, p.path))
		for _, secret := range []string{"001234567890", "0912345678", "912 345 678", "3822 1234", "0312345678"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q", p.path, secret)
			}
		}
		if p.path != "/reports/official?unit=so-cong-thuong" && !strings.Contains(body, "CCCD [số ẩn] [số ẩn] gọi giúp, chờ 45 phút ở quầy 3") {
			t.Errorf("%s: masked comment missing", p.path)
		}
	}
}

// Formula-like wording an administrator might type (or paste).
const (
	evilUnit      = `=HYPERLINK("http://x","y")`
	evilLabelVi   = "+1+1"
	evilLabelEn   = "-2+3"
	evilElementVi = "@SUM(A1)"
	evilElementEn = "＝1+1"
)

// formulaStart reports whether a cell begins as a spreadsheet formula would.
func formulaStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", r)
}

// renameToFormulas gives a unit, a criterion and an element formula-like
// names, as an administrator can through the admin pages.
func renameToFormulas(t *testing.T, db survey.Store) {
	t.Helper()
	u := db.Unit("so-cong-thuong")
	u.Name = evilUnit
	if err := db.UpdateUnit(*u); err != nil {
		t.Fatal(err)
	}
	s := *db.Survey("quay", 0)
	s.Criteria = append([]survey.Criterion{}, s.Criteria...)
	s.Elements = append([]survey.Element{}, s.Elements...)
	for i, c := range s.Criteria {
		if c.Key == "staff_attitude" {
			s.Criteria[i].Label = survey.Text{Vi: evilLabelVi, En: evilLabelEn}
			s.Criteria[i].Short = s.Criteria[i].Label
		}
	}
	for i, e := range s.Elements {
		if e.Key == "cong_chuc" {
			s.Elements[i].Label = survey.Text{Vi: evilElementVi, En: evilElementEn}
		}
	}
	if err := db.AddSurveyVersion(&s); err != nil {
		t.Fatal(err)
	}
}

// insertMonth stores n responses of Sở Công Thương in the month of at, each
// answering every criterion with score and leaving comment.
func insertMonth(t *testing.T, db survey.Store, at time.Time, n, score int, comment string) {
	t.Helper()
	answers := map[string]int{}
	for _, c := range db.Survey("quay", 0).Criteria {
		answers[c.Key] = score
	}
	var rs []*survey.Response
	for i := 0; i < n; i++ {
		r := &survey.Response{Survey: "quay", Unit: "so-cong-thuong", Channel: survey.ChannelWeb, Answers: answers,
			Comment: comment, SubmittedAt: at.Add(time.Duration(i) * time.Minute)}
		r.ReceivedAt = r.SubmittedAt
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := db.InsertMany(rs); err != nil {
		t.Fatal(err)
	}
}

// checkCSV fails on a text cell that begins like a formula; a cell that
// begins with "-" must be a number. It returns the cells read.
func checkCSV(t *testing.T, name string, body []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, row := range rows {
		for _, cell := range row {
			if _, err := strconv.ParseFloat(cell, 64); formulaStart(cell) && err != nil {
				t.Errorf("%s: text cell %q begins like a formula", name, cell)
			}
		}
	}
	return rows
}

func hasCell(rows [][]string, want string) bool {
	for _, row := range rows {
		for _, cell := range row {
			if cell == want {
				return true
			}
		}
	}
	return false
}

// checkXLSX fails on a formula, or a text cell that begins like one; it
// returns how many number cells hold a negative value.
func checkXLSX(t *testing.T, name string, body []byte) (negatives int, texts []string) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer x.Close()
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh, excelize.Options{RawCellValue: true})
		for r, row := range rows {
			for c, v := range row {
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := x.GetCellType(sh, axis)
				if f, _ := x.GetCellFormula(sh, axis); f != "" {
					t.Errorf("%s %s!%s: formula %q", name, sh, axis, f)
				}
				switch typ {
				case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
					texts = append(texts, v)
					if formulaStart(v) {
						t.Errorf("%s %s!%s: text cell %q begins like a formula", name, sh, axis, v)
					}
				default:
					if n, err := strconv.ParseFloat(v, 64); err == nil && n < 0 {
						negatives++
					}
				}
			}
		}
	}
	return negatives, texts
}

// Issue 13: survey wording, unit names and comments are exported as text
// that a spreadsheet must never run as a formula; figures stay numbers.
func TestExportFormulaCells(t *testing.T) {
	dir, _, viewerTok := setup(t)
	m := MustRun(t, dir)
	base, viewer := "http://"+m.Addr, &caller{name: "viewer", bearer: viewerTok}
	insertMonth(t, m.DB, time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC), 12, 5, "")
	insertMonth(t, m.DB, time.Date(2025, 2, 10, 9, 0, 0, 0, time.UTC), 12, 2, "-2+3 @SUM(A1)")
	insertMonth(t, m.DB, time.Date(2025, 2, 11, 9, 0, 0, 0, time.UTC), 1, 3, "=HYPERLINK(\"http://x\",\"y\")")
	renameToFormulas(t, m.DB)
	q := "?unit=so-cong-thuong&from=2025-02-01&to=2025-02-28"

	summary := checkCSV(t, "summary.csv", getAs(t, viewer, base, "/exports/summary.csv"+q))
	negative := false
	for _, row := range summary[1:] {
		if d := row[len(row)-1]; strings.HasPrefix(d, "-") {
			negative = true // a negative delta_pp, written as a number
		}
	}
	for _, want := range []string{"'" + evilLabelVi, "'" + evilLabelEn, "'" + evilElementVi, "'" + evilElementEn} {
		if !hasCell(summary, want) {
			t.Errorf("summary.csv has no cell %q", want)
		}
	}
	if !negative {
		t.Error("summary.csv: no negative delta_pp left as a number")
	}
	responses := checkCSV(t, "responses.csv", getAs(t, viewer, base, "/exports/responses.csv"+q))
	if len(responses) != 14 {
		t.Errorf("responses.csv: %d rows, want 14", len(responses))
	}
	breakdown := checkCSV(t, "breakdown.csv", getAs(t, viewer, base, "/exports/breakdown.csv?unit=tinh-mau&from=2025-02-01&to=2025-02-28&by=unit"))
	if !hasCell(breakdown, "'"+evilUnit) {
		t.Errorf("breakdown.csv: %v", breakdown)
	}
	neg, texts := checkXLSX(t, "summary.xlsx", getAs(t, viewer, base, "/exports/summary.xlsx"+q))
	if named := strings.Contains(strings.Join(texts, "\n"), "'"+evilUnit); neg == 0 || !named {
		t.Errorf("summary.xlsx: %d negative numbers, unit name protected: %v", neg, named)
	}
	checkXLSX(t, "responses.xlsx", getAs(t, viewer, base, "/exports/responses.xlsx"+q))
}
