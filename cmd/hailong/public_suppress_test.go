package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hailong/publish"
	"hailong/publish/pubtest"
	"hailong/survey"
)

// The open data of a year and its quarters, read as someone who wants a
// figure under the minimum n would: every additive set the files publish
// (the year's n = Σ the quarters' n, per agency row, criterion, dossiers,
// counter and staff member; an agency's responses = Σ its counters' (and
// staff members'); an element = the mean of its criteria; the index = the
// mean of its elements) is checked for a single unknown cell that the
// others give away. Responses at no counter are taken as known to be none
// (stricter than the server, which counts them as never published).

// pubCell is one number of a set: nil when it is not published.
type pubCell = *float64

type pubSet struct {
	name   string
	mean   bool
	total  pubCell
	parts  []pubCell
	labels []string
}

type pubFile struct {
	Groups []struct {
		Units []pubUnit `json:"units"`
	} `json:"groups"`
}

type pubUnit struct {
	ID        string   `json:"id"`
	Reason    *string  `json:"reason"`
	Responses *float64 `json:"responses"`
	Index     *float64 `json:"index"`
	Elements  []struct {
		Key    string   `json:"key"`
		Reason *string  `json:"reason"`
		Value  *float64 `json:"value"`
	} `json:"elements"`
	Criteria []struct {
		Key     string   `json:"key"`
		Element string   `json:"element"`
		Reason  *string  `json:"reason"`
		N       *float64 `json:"n"`
		Value   *float64 `json:"value"`
	} `json:"criteria"`
	Dossiers struct {
		Reason   *string  `json:"reason"`
		Received *float64 `json:"received"`
	} `json:"dossiers"`
	Sat766 map[string]struct {
		Reason      *string  `json:"reason"`
		Numerator   *float64 `json:"numerator"`
		Denominator *float64 `json:"denominator"`
	} `json:"satisfaction_766"`
	Counters []pubMember `json:"counters"`
	Staff    []pubMember `json:"staff"`
}

type pubMember struct {
	ID        string  `json:"id"`
	Responses float64 `json:"responses"`
}

var zero = 0.0

// reasonProtects is publish.ReasonProtects, spelt out: the test also runs against the code before it.
const reasonProtects = "protects_small_figure"

// known is x, or a known zero when the reason says there is none.
func known(x *float64, reason *string) pubCell {
	if reason != nil && (*reason == publish.ReasonNone || *reason == publish.ReasonNoFiles ||
		*reason == publish.ReasonNoReceipts || *reason == publish.ReasonNoCases) {
		return &zero
	}
	return x
}

// leak is the value a set gives away: its only unknown cell, when there is
// exactly one and it is not zero.
func (s pubSet) leak() (string, float64, bool) {
	unknown, sum := -1, 0.0
	cells := append([]pubCell{s.total}, s.parts...)
	for i, c := range cells {
		switch {
		case c == nil && unknown >= 0:
			return "", 0, false
		case c == nil:
			unknown = i
		case i > 0:
			sum += *c
		}
	}
	if unknown < 0 {
		return "", 0, false
	}
	k := 1.0
	if s.mean {
		k = float64(len(s.parts))
	}
	if unknown == 0 {
		return "total", sum / k, sum != 0
	}
	v := k**s.total - sum
	return s.labels[unknown-1], v, math.Abs(v) > 1e-6
}

func TestPublicNoSubtraction(t *testing.T) {
	e := newPubEnv(t)
	if err := pubtest.SeedSmallCells(survey.ServicesOf(e.m.DB), e.fx.Year); err != nil {
		t.Fatal(err)
	}
	e.enable(t, url.Values{"staff": {"1"}})
	y := strconv.Itoa(e.fx.Year)
	files := map[string]map[string]pubUnit{} // period → agency → figures
	keys := []string{y, y + "-q1", y + "-q2", y + "-q3", y + "-q4"}
	for _, k := range keys {
		var f pubFile
		st, _, body := e.fetch(t, "/cong-khai/data.json?p="+k, "application/json")
		if st != http.StatusOK || json.Unmarshal([]byte(body), &f) != nil {
			t.Fatalf("data.json?p=%s: %d %.200s", k, st, body)
		}
		files[k] = map[string]pubUnit{}
		for _, g := range f.Groups {
			for _, u := range g.Units {
				files[k][u.ID] = u
			}
		}
		e.checkAgree(t, k, files[k])
	}
	sets := append(pubTimeSets(files, keys, e.members), pubPeriodSets(files, e.members)...)
	withheld := 0
	for _, s := range sets {
		for _, p := range append([]pubCell{s.total}, s.parts...) {
			if p == nil {
				withheld++
			}
		}
		if which, v, ok := s.leak(); ok {
			t.Errorf("%s: the withheld %s can be computed from the others: %.2f", s.name, which, v)
		}
	}
	if len(sets) < 40 || withheld < 6 {
		t.Fatalf("only %d sets, %d withheld cells: the seed should make small cells", len(sets), withheld)
	}
}

// members lists the counters and staff of an agency: a reader may know
// them even when they are not listed.
func (e *pubEnv) members(unit string) (counters, staff []string) {
	for _, c := range e.m.DB.Counters(unit) {
		counters = append(counters, c.ID)
	}
	for _, s := range e.m.DB.StaffOf(unit) {
		staff = append(staff, s.ID)
	}
	return counters, staff
}

type pubMembers func(unit string) (counters, staff []string)

// rowCell is an agency's row of one kind and key in one period's file.
func rowCell(u pubUnit, kind, key string) pubCell {
	switch kind {
	case "index":
		return known(u.Responses, u.Reason)
	case "dossiers":
		return known(u.Dossiers.Received, u.Dossiers.Reason)
	case "receipts", "cases": // the 766 rates' denominators (and, alike, their numerators)
		r := u.Sat766[map[string]string{"receipts": "response_rate", "cases": "pakn_on_time"}[kind]]
		return known(r.Denominator, r.Reason)
	case "criterion":
		for _, c := range u.Criteria {
			if c.Key == key {
				return known(c.N, c.Reason)
			}
		}
		return &zero // not answered at all: not listed
	}
	list := u.Counters
	if kind == "staff" {
		list = u.Staff
	}
	for _, m := range list {
		if m.ID == key {
			return &m.Responses
		}
	}
	return nil // not listed: too few, withheld, or none
}

// pubTimeSets: every row's year = Σ its quarters.
func pubTimeSets(files map[string]map[string]pubUnit, keys []string, members pubMembers) []pubSet {
	var out []pubSet
	for unit, u := range files[keys[0]] {
		rows := [][2]string{{"index", ""}, {"dossiers", ""}, {"receipts", ""}, {"cases", ""}}
		for _, c := range u.Criteria {
			rows = append(rows, [2]string{"criterion", c.Key})
		}
		counters, staff := members(unit)
		for _, c := range counters {
			rows = append(rows, [2]string{"counter", c})
		}
		for _, s := range staff {
			rows = append(rows, [2]string{"staff", s})
		}
		for _, r := range rows {
			s := pubSet{name: unit + " " + r[0] + " " + r[1] + ": year = Σ quarters", total: rowCell(u, r[0], r[1])}
			for _, k := range keys[1:] {
				s.parts = append(s.parts, rowCell(files[k][unit], r[0], r[1]))
				s.labels = append(s.labels, k)
			}
			out = append(out, s)
		}
	}
	return out
}

// pubPeriodSets: within each period, the agency = Σ counters, = Σ staff;
// an element = mean of its criteria; the index = mean of the elements.
func pubPeriodSets(files map[string]map[string]pubUnit, members pubMembers) []pubSet {
	var out []pubSet
	for k, units := range files {
		for unit, u := range units {
			counters, staff := members(unit)
			for kind, ids := range map[string][]string{"counter": counters, "staff": staff} {
				s := pubSet{name: k + " " + unit + ": responses = Σ " + kind, total: known(u.Responses, u.Reason)}
				for _, id := range ids {
					s.parts, s.labels = append(s.parts, rowCell(u, kind, id)), append(s.labels, id)
				}
				out = append(out, s)
			}
			idx := pubSet{name: k + " " + unit + ": index = mean of elements", mean: true, total: u.Index}
			for _, el := range u.Elements {
				es := pubSet{name: k + " " + unit + " " + el.Key + " = mean of criteria", mean: true, total: el.Value}
				for _, c := range u.Criteria {
					if c.Element == el.Key && (c.Reason == nil || *c.Reason != publish.ReasonNone) {
						es.parts, es.labels = append(es.parts, c.Value), append(es.labels, c.Key)
					}
				}
				out = append(out, es)
				idx.parts, idx.labels = append(idx.parts, el.Value), append(idx.labels, el.Key)
			}
			if u.Reason == nil || *u.Reason != publish.ReasonNone {
				out = append(out, idx)
			}
		}
	}
	return out
}

// checkAgree checks that the CSV and the agencies' pages of period k
// withhold what data.json withholds to protect a small figure.
func (e *pubEnv) checkAgree(t *testing.T, k string, units map[string]pubUnit) {
	t.Helper()
	_, _, body := e.fetch(t, "/cong-khai/data.csv?p="+k, "text/csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("data.csv?p=%s: %v", k, err)
	}
	reason, unit := colIndex(rows[0], "reason"), colIndex(rows[0], "unit")
	inCSV := map[string]int{}
	for _, r := range rows[1:] {
		if r[reason] == reasonProtects {
			inCSV[r[unit]]++
		}
	}
	for id, u := range units {
		protects := func(r *string) int {
			if r != nil && *r == reasonProtects {
				return 1
			}
			return 0
		}
		n := protects(u.Reason) + protects(u.Dossiers.Reason)
		for _, el := range u.Elements {
			n += protects(el.Reason)
		}
		for _, c := range u.Criteria {
			n += protects(c.Reason)
		}
		_, _, page := e.fetch(t, "/cong-khai?p="+k+"&unit="+id, "text/html")
		if onPage := strings.Count(page, "Ẩn để bảo vệ số liệu nhỏ"); inCSV[id] != n || onPage < n {
			t.Errorf("p=%s %s: withheld to protect a small figure: %d in JSON, %d in CSV, %d on the page", k, id, n, inCSV[id], onPage)
		}
	}
}

func colIndex(head []string, name string) int {
	for i, h := range head {
		if h == name {
			return i
		}
	}
	return -1
}
