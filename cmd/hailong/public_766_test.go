package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hailong/publish"
	"hailong/publish/pubtest"
	"hailong/survey"
)

// TestPublic766Suppressed reads the 766 figures of the public page the way
// someone after a small figure would: Sở Alpha received 40 dossiers with a
// receipt in Q3 and 12 in Q4 (under the minimum of 30), and opened 5 cases
// in Q3. Q4's per-dossier and response rates are "too few"; Q3's are
// withheld too (the year minus Q3 would give Q4 away); the year shows them
// with their denominators; the 5 cases are "too few" everywhere.
func TestPublic766Suppressed(t *testing.T) {
	e := newPubEnv(t)
	db := survey.ServicesOf(e.m.DB)
	if err := pubtest.SeedSmallCells(db, e.fx.Year); err != nil {
		t.Fatal(err)
	}
	var ds []survey.Dossier
	for _, code := range receiptCodes() {
		d, err := e.m.DB.Dossier(code)
		if err != nil {
			t.Fatal(err)
		}
		d.TokenHash = survey.HashSecret("test:" + code)
		ds = append(ds, *d)
	}
	if err := e.m.DB.PutDossiers(ds); err != nil {
		t.Fatal(err)
	}
	loc := e.m.DB.Loc()
	var cs []survey.Case
	for i := 0; i < 5; i++ {
		at := time.Date(e.fx.Year, time.August, 3+i, 9, 0, 0, 0, loc)
		cs = append(cs, survey.Case{ID: fmt.Sprintf("%d-%04d", e.fx.Year, i+1), Unit: pubtest.UnitA, Kind: survey.CasePetition,
			Source: survey.SourceCall, Summary: "Phản ánh qua điện thoại", Status: survey.CaseNew, OpenedBy: "letan",
			OpenedAt: at, DueAt: at.AddDate(0, 0, 14), UpdatedAt: at})
	}
	if err := e.m.DB.InsertCases(cs, make([]*survey.Contact, len(cs)), "test"); err != nil {
		t.Fatal(err)
	}
	e.enable(t, url.Values{})
	y := strconv.Itoa(e.fx.Year)
	const few, held = "Chưa đủ số liệu để kết luận", "Ẩn để bảo vệ số liệu nhỏ"
	for _, c := range []struct {
		period string
		want   [4]string // response rate, per dossier, PAKN on time, PAKN satisfied: a note, or "n = …"
	}{
		{y + "-q4", [4]string{few, few, "—", "—"}},
		{y + "-q3", [4]string{held, held, few, few}},
		{y, [4]string{"n = 52 phiếu", "n = 52 hồ sơ", few, few}},
	} {
		st, _, body := e.fetch(t, "/cong-khai?p="+c.period+"&unit="+pubtest.UnitA, "text/html")
		if st != 200 {
			t.Fatalf("%s: %d", c.period, st)
		}
		got := pub766Cells(t, body)
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s, column %d: %q, want %q", c.period, i, got[i], w)
			}
		}
		for _, n := range regexp.MustCompile(`n = ([\d.]+)`).FindAllStringSubmatch(strings.Join(got[:], " "), -1) {
			if v, _ := strconv.Atoi(strings.ReplaceAll(n[1], ".", "")); v < 30 {
				t.Errorf("%s: a figure over %d published", c.period, v)
			}
		}
	}
	// The open data withholds the same, and no year = Σ quarters set of
	// the 766 denominators has a single unknown cell.
	keys := []string{y, y + "-q1", y + "-q2", y + "-q3", y + "-q4"}
	files := map[string]map[string]pubUnit{}
	for _, k := range keys {
		var f pubFile
		if st, _, body := e.fetch(t, "/cong-khai/data.json?p="+k, "application/json"); st != 200 || json.Unmarshal([]byte(body), &f) != nil {
			t.Fatalf("data.json?p=%s: %d", k, st)
		}
		files[k] = map[string]pubUnit{}
		for _, g := range f.Groups {
			for _, u := range g.Units {
				files[k][u.ID] = u
			}
		}
	}
	a := func(k, fig string) string {
		r := files[k][pubtest.UnitA].Sat766[fig]
		if r.Reason != nil {
			return *r.Reason
		}
		return fmt.Sprintf("%v/%v", deref(r.Numerator), deref(r.Denominator))
	}
	for _, w := range [][3]string{
		{y + "-q4", "response_rate", publish.ReasonTooFewReceipts}, {y + "-q4", "dossier_satisfaction", publish.ReasonTooFewFiles},
		{y + "-q3", "response_rate", publish.ReasonProtects}, {y + "-q3", "dossier_satisfaction", publish.ReasonProtects},
		{y + "-q3", "pakn_on_time", publish.ReasonTooFewCases}, {y, "response_rate", "0/52"}, {y, "dossier_satisfaction", "50/52"},
	} {
		if got := a(w[0], w[1]); got != w[2] {
			t.Errorf("data.json?p=%s %s: %s, want %s", w[0], w[1], got, w[2])
		}
	}
	for _, s := range pubTimeSets(files, keys, e.members) {
		if which, v, ok := s.leak(); ok {
			t.Errorf("%s: the withheld %s can be computed from the others: %.2f", s.name, which, v)
		}
	}
}

func deref(x *float64) float64 {
	if x == nil {
		return -1
	}
	return *x
}

// receiptCodes are Sở Alpha's dossiers of Q3 (pubtest.Seed) and Q4
// (SeedSmallCells), given a receipt here.
func receiptCodes() []string {
	var out []string
	for i := 0; i < 40; i++ {
		out = append(out, "A-"+strconv.Itoa(i))
	}
	for i := 0; i < 12; i++ {
		out = append(out, "A-Q4-"+strconv.Itoa(i))
	}
	return out
}

var pub766Row = regexp.MustCompile(`(?s)<table class="data pub-files pub-766">.*?<tbody>.*?<tr>\s*<th scope="row">[^<]*</th>(.*?)</tr>`)
var pubCellText = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
var tagRE = regexp.MustCompile(`<[^>]+>`)

// pub766Cells reads the four cells of the agency's 766 row, as text.
func pub766Cells(t *testing.T, body string) [4]string {
	t.Helper()
	m := pub766Row.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no 766 table on the agency page")
	}
	var out [4]string
	for i, c := range pubCellText.FindAllStringSubmatch(m[1], -1) {
		if i < 4 {
			out[i] = strings.Join(strings.Fields(tagRE.ReplaceAllString(c[1], " ")), " ")
		}
	}
	return out
}
