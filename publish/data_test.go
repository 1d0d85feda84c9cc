package publish_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"hailong/publish"
	"hailong/publish/pubtest"
	"hailong/survey"
)

// openDataSchema pins the open data (docs/OPEN_DATA.md): every field path
// with the JSON types it may take. Adding a field adds a line here and in
// the document; renaming, removing or retyping one breaks consumers, so it
// also needs a new schema_version.
var openDataSchema = map[string]string{
	"schema_version":                                                   "number",
	"licence":                                                          "string",
	"licence_url":                                                      "string",
	"publisher":                                                        "string",
	"generated_at":                                                     "string",
	"period":                                                           "object",
	"period.key":                                                       "string",
	"period.from":                                                      "string",
	"period.to":                                                        "string",
	"previous_period":                                                  "object|null",
	"previous_period.from":                                             "string",
	"previous_period.to":                                               "string",
	"method":                                                           "string",
	"min_n":                                                            "number",
	"excluded_flags":                                                   "array",
	"excluded_flags[]":                                                 "string",
	"groups":                                                           "array",
	"groups[]":                                                         "object",
	"groups[].id":                                                      "string",
	"groups[].name":                                                    "string",
	"groups[].ranked":                                                  "number",
	"groups[].units":                                                   "array",
	"groups[].units[]":                                                 "object",
	"groups[].units[].id":                                              "string",
	"groups[].units[].name":                                            "string",
	"groups[].units[].reason":                                          "string|null",
	"groups[].units[].responses":                                       "number|null",
	"groups[].units[].index":                                           "number|null",
	"groups[].units[].ci_low":                                          "number|null",
	"groups[].units[].ci_high":                                         "number|null",
	"groups[].units[].rank":                                            "number|null",
	"groups[].units[].previous":                                        "object|null",
	"groups[].units[].previous.reason":                                 "string|null",
	"groups[].units[].previous.index":                                  "number|null",
	"groups[].units[].previous.rank":                                   "number|null",
	"groups[].units[].previous.ranked":                                 "number",
	"groups[].units[].delta_pp":                                        "number|null",
	"groups[].units[].elements":                                        "array",
	"groups[].units[].elements[]":                                      "object",
	"groups[].units[].elements[].key":                                  "string",
	"groups[].units[].elements[].label_vi":                             "string",
	"groups[].units[].elements[].label_en":                             "string",
	"groups[].units[].elements[].reason":                               "string|null",
	"groups[].units[].elements[].n":                                    "number|null",
	"groups[].units[].elements[].value":                                "number|null",
	"groups[].units[].criteria":                                        "array",
	"groups[].units[].criteria[]":                                      "object",
	"groups[].units[].criteria[].key":                                  "string",
	"groups[].units[].criteria[].element":                              "string",
	"groups[].units[].criteria[].label_vi":                             "string",
	"groups[].units[].criteria[].label_en":                             "string",
	"groups[].units[].criteria[].scale":                                "number",
	"groups[].units[].criteria[].reason":                               "string|null",
	"groups[].units[].criteria[].n":                                    "number|null",
	"groups[].units[].criteria[].satisfied":                            "number|null",
	"groups[].units[].criteria[].levels":                               "array|null",
	"groups[].units[].criteria[].levels[]":                             "number",
	"groups[].units[].criteria[].not_applicable":                       "number|null",
	"groups[].units[].criteria[].value":                                "number|null",
	"groups[].units[].criteria[].ci_low":                               "number|null",
	"groups[].units[].criteria[].ci_high":                              "number|null",
	"groups[].units[].dossiers":                                        "object",
	"groups[].units[].dossiers.reason":                                 "string|null",
	"groups[].units[].dossiers.denominator":                            "string",
	"groups[].units[].dossiers.received":                               "number|null",
	"groups[].units[].dossiers.finished":                               "number|null",
	"groups[].units[].dossiers.early":                                  "number|null",
	"groups[].units[].dossiers.on_time":                                "number|null",
	"groups[].units[].dossiers.late":                                   "number|null",
	"groups[].units[].dossiers.in_progress":                            "number|null",
	"groups[].units[].dossiers.in_progress_overdue":                    "number|null",
	"groups[].units[].dossiers.early_pct":                              "number|null",
	"groups[].units[].dossiers.on_time_pct":                            "number|null",
	"groups[].units[].dossiers.late_pct":                               "number|null",
	"groups[].units[].dossiers.in_progress_pct":                        "number|null",
	"groups[].units[].dossiers.rate_766":                               "number|null",
	"groups[].units[].satisfaction_766":                                "object",
	"groups[].units[].satisfaction_766.response_rate":                  "object",
	"groups[].units[].satisfaction_766.response_rate.reason":           "string|null",
	"groups[].units[].satisfaction_766.response_rate.numerator":        "number|null",
	"groups[].units[].satisfaction_766.response_rate.denominator":      "number|null",
	"groups[].units[].satisfaction_766.response_rate.value":            "number|null",
	"groups[].units[].satisfaction_766.dossier_satisfaction":           "object",
	"groups[].units[].satisfaction_766.dossier_satisfaction.reason":    "string|null",
	"groups[].units[].satisfaction_766.dossier_satisfaction.numerator": "number|null",
	"groups[].units[].satisfaction_766.dossier_satisfaction.denominator": "number|null",
	"groups[].units[].satisfaction_766.dossier_satisfaction.value":       "number|null",
	"groups[].units[].satisfaction_766.pakn_on_time":                     "object",
	"groups[].units[].satisfaction_766.pakn_on_time.reason":              "string|null",
	"groups[].units[].satisfaction_766.pakn_on_time.numerator":           "number|null",
	"groups[].units[].satisfaction_766.pakn_on_time.denominator":         "number|null",
	"groups[].units[].satisfaction_766.pakn_on_time.value":               "number|null",
	"groups[].units[].satisfaction_766.pakn_satisfaction":                "object",
	"groups[].units[].satisfaction_766.pakn_satisfaction.reason":         "string|null",
	"groups[].units[].satisfaction_766.pakn_satisfaction.numerator":      "number|null",
	"groups[].units[].satisfaction_766.pakn_satisfaction.denominator":    "number|null",
	"groups[].units[].satisfaction_766.pakn_satisfaction.value":          "number|null",
	"groups[].units[].counters":                                          "array",
	"groups[].units[].counters[]":                                        "object",
	"groups[].units[].counters[].id":                                     "string",
	"groups[].units[].counters[].name":                                   "string",
	"groups[].units[].counters[].responses":                              "number",
	"groups[].units[].counters[].index":                                  "number",
	"groups[].units[].staff":                                             "array",
	"groups[].units[].staff[]":                                           "object",
	"groups[].units[].staff[].id":                                        "string",
	"groups[].units[].staff[].name":                                      "string",
	"groups[].units[].staff[].responses":                                 "number",
	"groups[].units[].staff[].index":                                     "number",
	"groups[].units[].excluded":                                          "object",
	"groups[].units[].excluded.misuse":                                   "number",
	"groups[].units[].excluded.unverified":                               "number",
	"groups[].units[].excluded.reclassified":                             "number",
	"groups[].units[].excluded.total":                                    "number",
	"groups[].units[].excluded.reinstated":                               "number",
}

// shape records the JSON type of every path of v.
func shape(path string, v any, seen map[string]map[string]bool) {
	kind := "null"
	switch x := v.(type) {
	case map[string]any:
		kind = "object"
		for k, c := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			shape(p, c, seen)
		}
	case []any:
		kind = "array"
		for _, c := range x {
			shape(path+"[]", c, seen)
		}
	case string:
		kind = "string"
	case float64:
		kind = "number"
	case bool:
		kind = "boolean"
	}
	if seen[path] == nil {
		seen[path] = map[string]bool{}
	}
	seen[path][kind] = true
}

func (e *env) data(t *testing.T, path string) (map[string]any, http.Header, string) {
	t.Helper()
	st, h, body := e.get(t, path, "Accept", "application/json")
	if st != 200 {
		t.Fatalf("%s: %d %s", path, st, body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	return m, h, body
}

func TestDataJSONSchema(t *testing.T) {
	e := newEnv(t)
	e.set(t, func(p *survey.PublishSettings) { p.Staff = true })
	seen := map[string]map[string]bool{}
	// The year (no previous period), a quarter (previous period, changes,
	// staff and counters), with published and withheld figures of every kind.
	for _, p := range []string{"/cong-khai/data.json", "/cong-khai/data.json?p=2025-q3", "/cong-khai/data.json?p=2025-q2"} {
		m, _, _ := e.data(t, p)
		shape("", m, seen)
	}
	var paths []string
	for p := range seen {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if p == "" {
			continue // the document itself
		}
		allowed, ok := openDataSchema[p]
		if !ok {
			t.Errorf("field %q is not in the pinned schema (add it here and to docs/OPEN_DATA.md)", p)
			continue
		}
		for kind := range seen[p] {
			if !strings.Contains("|"+allowed+"|", "|"+kind+"|") {
				t.Errorf("field %q is %s, pinned as %s", p, kind, allowed)
			}
		}
	}
	for p, allowed := range openDataSchema {
		if seen[p] == nil {
			t.Errorf("pinned field %q (%s) is missing", p, allowed)
			continue
		}
		for _, kind := range strings.Split(allowed, "|") {
			if !seen[p][kind] {
				t.Logf("pinned field %q was never %s in the samples", p, kind)
			}
		}
	}
	if m, _, _ := e.data(t, "/cong-khai/data.json"); m["schema_version"] != float64(publish.SchemaVersion) || publish.SchemaVersion != 1 {
		t.Errorf("schema_version %v", m["schema_version"])
	}
}

// unitOf finds an agency in the open data.
func unitOf(t *testing.T, m map[string]any, id string) map[string]any {
	t.Helper()
	for _, g := range m["groups"].([]any) {
		for _, u := range g.(map[string]any)["units"].([]any) {
			if um := u.(map[string]any); um["id"] == id {
				return um
			}
		}
	}
	t.Fatalf("no unit %s in the data", id)
	return nil
}

func TestDataJSONFigures(t *testing.T) {
	e := newEnv(t)
	m, h, body := e.data(t, "/cong-khai/data.json?p=2025-q3")
	mustNotContain(t, "data.json", body, private...)
	if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Link"), `rel="license"`) || h.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("headers %v", h)
	}
	if m["licence"] != "CC BY 4.0" || m["method"] != "share45" || m["min_n"] != float64(30) {
		t.Errorf("header fields %v %v %v", m["licence"], m["method"], m["min_n"])
	}
	a := unitOf(t, m, pubtest.UnitA)
	if a["index"] != float64(60) || a["responses"] != float64(40) || a["rank"] != float64(2) || a["delta_pp"] != float64(20) || a["reason"] != nil {
		t.Errorf("Sở Alpha %v", a)
	}
	for _, c := range a["criteria"].([]any) {
		c := c.(map[string]any)
		// 40 answers, pattern 5 4 4 3 2: 24 satisfied; the levels sum to n.
		if c["n"] != float64(40) || c["satisfied"] != float64(24) || c["value"] != float64(60) {
			t.Errorf("criterion %v", c)
		}
		lv := c["levels"].([]any)
		if len(lv) != 5 || lv[0] != float64(0) || lv[1] != float64(8) || lv[2] != float64(8) || lv[3] != float64(16) || lv[4] != float64(8) {
			t.Errorf("levels %v", lv)
		}
	}
	d := a["dossiers"].(map[string]any)
	if d["received"] != float64(40) || d["early"] != float64(35) || d["on_time"] != float64(3) || d["late"] != float64(2) || d["early_pct"] != 87.5 {
		t.Errorf("dossiers %v", d)
	}
	c := unitOf(t, m, pubtest.FewUnitID)
	if c["reason"] != publish.ReasonTooFew || c["index"] != nil || c["responses"] != nil || c["rank"] != nil || c["delta_pp"] != nil {
		t.Errorf("Sở Gamma %v", c)
	}
	for _, x := range c["criteria"].([]any) {
		x := x.(map[string]any)
		if x["reason"] != publish.ReasonTooFew || x["n"] != nil || x["satisfied"] != nil || x["levels"] != nil || x["value"] != nil {
			t.Errorf("Sở Gamma criterion %v", x)
		}
	}
	if b := unitOf(t, m, pubtest.UnitB)["dossiers"].(map[string]any); b["reason"] != publish.ReasonTooFewFiles || b["received"] != nil {
		t.Errorf("Sở Beta dossiers %v", b)
	}
	y, _, _ := e.data(t, "/cong-khai/data.json")
	if y["previous_period"] != nil || unitOf(t, y, pubtest.UnitA)["previous"] != nil {
		t.Error("the year shows a previous period before the published-from day")
	}
}

func TestDataCSV(t *testing.T) {
	e := newEnv(t)
	st, h, body := e.get(t, "/cong-khai/data.csv?p=2025-q3", "Accept", "text/csv")
	if st != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("%d %s", st, h.Get("Content-Type"))
	}
	mustNotContain(t, "data.csv", body, private...)
	if !strings.HasPrefix(body, "\ufeffschema_version,period,from,to,method,min_n,group,group_name,unit,unit_name,kind,key,") {
		t.Errorf("header %q", body[:80])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	var alphaIndex, gammaIndex []string
	criteria := 0
	for _, r := range rows[1:] {
		switch {
		case r[col["unit"]] == pubtest.UnitA && r[col["kind"]] == "index":
			alphaIndex = r
		case r[col["unit"]] == pubtest.FewUnitID && r[col["kind"]] == "index":
			gammaIndex = r
		case r[col["unit"]] == pubtest.UnitA && r[col["kind"]] == "criterion":
			criteria++
			if r[col["n"]] != "40" || r[col["satisfied"]] != "24" || r[col["level_4"]] != "16" || r[col["value"]] != "60.00" {
				t.Errorf("criterion row %v", r)
			}
		}
	}
	if alphaIndex == nil || alphaIndex[col["value"]] != "60.00" || alphaIndex[col["n"]] != "40" || alphaIndex[col["delta_pp"]] != "20.00" || alphaIndex[col["rank"]] != "2" {
		t.Errorf("Sở Alpha index row %v", alphaIndex)
	}
	if gammaIndex == nil || gammaIndex[col["reason"]] != publish.ReasonTooFew || gammaIndex[col["value"]] != "" || gammaIndex[col["n"]] != "" {
		t.Errorf("Sở Gamma index row %v", gammaIndex)
	}
	if criteria != 7 {
		t.Errorf("%d criterion rows for Sở Alpha, want 7", criteria)
	}
}

func TestHTTPCaching(t *testing.T) {
	e := newEnv(t)
	_, h, body := e.get(t, "/cong-khai/widget/so-a")
	tag := h.Get("ETag")
	if tag == "" || h.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("widget headers %v", h)
	}
	if st, _, b := e.get(t, "/cong-khai/widget/so-a", "If-None-Match", tag); st != http.StatusNotModified || b != "" {
		t.Errorf("conditional GET: %d %q", st, b)
	}
	req, _ := http.NewRequest("HEAD", e.URL+"/cong-khai", nil)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 || res.Header.Get("ETag") == "" {
		t.Errorf("HEAD: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	st, h, gz := e.get(t, "/cong-khai", "Accept-Encoding", "gzip")
	if st != 200 || h.Get("Content-Encoding") != "gzip" || h.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip: %d %v", st, h)
	}
	r, err := gzip.NewReader(bytes.NewReader([]byte(gz)))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(r)
	_, _, want := e.get(t, "/cong-khai")
	if string(plain) != want {
		t.Error("the gzip body differs from the plain one")
	}
	// A settings change is seen at the next request: with a minimum of 75,
	// Sở Beta (70 responses) becomes "too few".
	s := e.DB.Settings()
	s.Analytics.MinN = 75
	if err := e.DB.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	_, _, after := e.get(t, "/cong-khai")
	mustContain(t, "after min_n 75", row(t, after, "Sở Beta"), "Chưa đủ số phiếu để kết luận")
	_, h2, body2 := e.get(t, "/cong-khai/widget/so-a")
	if h2.Get("ETag") == tag || body2 == body {
		t.Error("the widget was not recomputed after a settings change")
	}
}

func TestFrameHeaders(t *testing.T) {
	e := newEnv(t)
	check := func(path string, framed bool, origins string) {
		t.Helper()
		_, h, _ := e.get(t, path)
		csp := h.Get("Content-Security-Policy")
		if framed {
			if !strings.Contains(csp, "frame-ancestors "+origins+";") || h.Get("X-Frame-Options") != "" || strings.Contains(csp, "'none'; base") {
				t.Errorf("%s: CSP %q, X-Frame-Options %q", path, csp, h.Get("X-Frame-Options"))
			}
			return
		}
		if !strings.Contains(csp, "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q", path, csp, h.Get("X-Frame-Options"))
		}
	}
	// No origins configured: the widget is denied like every page.
	check("/cong-khai/widget/so-a", false, "")
	e.set(t, func(p *survey.PublishSettings) {
		p.Origins = []string{"https://congkhai.example.gov.vn", "https://so-a.example.gov.vn"}
	})
	both := "https://congkhai.example.gov.vn https://so-a.example.gov.vn"
	check("/cong-khai/widget/so-a", true, both)
	check("/cong-khai/widget/so-a?lang=en", true, both)
	check("/cong-khai/widget/nope", true, both) // the framed notice
	for _, p := range []string{"/cong-khai", "/cong-khai?unit=so-a", "/cong-khai/data.json", "/cong-khai/badge/so-a.svg", "/cong-khai?p=abc", "/healthz"} {
		check(p, false, "")
	}
	// An origin that is not valid is never stored, so never put in the
	// header (survey.TestSettingsFrom: one stored before is dropped).
	s := e.DB.Settings()
	s.Publish.Origins = []string{"https://ok.example.vn", "https://bad.example.vn;script-src", "http://evil.example"}
	if err := e.DB.SaveSettings(s); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("bad origins saved: %v", err)
	}
	_, h, _ := e.get(t, "/cong-khai/widget/so-a")
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+both+";") || strings.Contains(csp, "evil") {
		t.Errorf("CSP %q", csp)
	}
}

func TestBadge(t *testing.T) {
	e := newEnv(t)
	st, h, body := e.get(t, "/cong-khai/badge/so-a.svg")
	if st != 200 || h.Get("Content-Type") != "image/svg+xml; charset=utf-8" || h.Get("ETag") == "" {
		t.Fatalf("%d %v", st, h)
	}
	mustContain(t, "badge", body, "<svg", "Chỉ số hài lòng 2025", "50,00"+nbsp+"% · hạng 2/2", "Sở Alpha – Chỉ số hài lòng năm 2025")
	_, _, few := e.get(t, "/cong-khai/badge/so-c.svg?lang=en")
	mustContain(t, "badge under min n", few, "Too few responses to conclude", "Satisfaction 2025")
	mustNotContain(t, "badge under min n", few, "100.00", "rank")
	mustNotContain(t, "badge", body, private...)
}

// Issue 13: every text cell of data.csv is protected against spreadsheet
// formulas (full-width forms and a leading tab included); figures, a
// negative change among them, stay numbers.
func TestDataCSVFormulaCells(t *testing.T) {
	e := newEnv(t)
	for id, name := range map[string]string{pubtest.UnitA: "＝HYPERLINK(\"http://x\",\"y\")", pubtest.UnitB: "@SUM(A1)"} {
		u := e.DB.Unit(id)
		u.Name = name
		if err := e.DB.UpdateUnit(*u); err != nil {
			t.Fatal(err)
		}
	}
	_, _, body := e.get(t, "/cong-khai/data.csv?p=2025-q3", "Accept", "text/csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names, negative := map[string]bool{}, false
	delta := 0
	for i, c := range rows[0] {
		if c == "delta_pp" {
			delta = i
		}
	}
	for _, r := range rows[1:] {
		negative = negative || strings.HasPrefix(r[delta], "-")
		for i, cell := range r {
			first, _ := utf8.DecodeRuneInString(cell)
			if _, err := strconv.ParseFloat(cell, 64); cell != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", first) && err != nil {
				t.Errorf("%s: text cell %q begins like a formula", rows[0][i], cell)
			}
		}
		names[r[9]] = true
	}
	if !names["'＝HYPERLINK(\"http://x\",\"y\")"] || !names["'@SUM(A1)"] || !negative {
		t.Errorf("unit names %v, a negative delta_pp: %v", names, negative)
	}
}

// TestDataExclusions: the open data and the agency page say, per agency and
// period, how many responses were left out and why; the seed flags 100 kiosk
// answers misuse (from August: all in Q3) and 100 poster answers unverified
// (from September: 60 in Q3, the days past the 30th in October).
func TestDataExclusions(t *testing.T) {
	e := newEnv(t)
	m, _, _ := e.data(t, "/cong-khai/data.json?p=2025-q3")
	var got map[string]any
	for _, g := range m["groups"].([]any) {
		for _, u := range g.(map[string]any)["units"].([]any) {
			if u := u.(map[string]any); u["id"] == pubtest.UnitA {
				got = u["excluded"].(map[string]any)
			}
		}
	}
	want := map[string]any{"misuse": 100.0, "unverified": 60.0, "reclassified": 0.0, "total": 160.0, "reinstated": 0.0}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("excluded = %v, want %v", got, want)
	}
	_, _, body := e.get(t, "/cong-khai/data.csv?p=2025-q3", "Accept", "text/csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	for _, r := range rows[1:] {
		if r[col["unit"]] == pubtest.UnitA && r[col["kind"]] == "index" {
			if r[col["excluded_misuse"]] != "100" || r[col["excluded_unverified"]] != "60" || r[col["excluded_total"]] != "160" {
				t.Fatalf("csv index row: %v", r)
			}
		}
	}
	_, _, page := e.get(t, "/cong-khai?p=2025-q3&unit="+pubtest.UnitA)
	if !strings.Contains(page, `data-excluded="misuse">100<`) || !strings.Contains(page, `data-excluded="unverified">60<`) {
		t.Fatal("the agency page does not show the exclusions")
	}
}
