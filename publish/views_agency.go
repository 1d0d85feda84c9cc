package publish

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"hailong/analytics/engine"
	"hailong/survey"
)

// agencyView is one agency's detail: its index, rank and change, the
// elements with their criteria, its dossiers and — only when staff-level
// publication is on — its counters and staff above the minimum n.
type agencyView struct {
	F               engine.Formatter
	ID, Name, Group string
	Index           figure
	Rank, PrevRank  string
	Change          change
	Lo, Hi, MinN    string
	Elements        []elementView
	Overall         *critView
	Dossiers        dossierTable
	Sat             satTable
	HasStaff        bool
	Counters, Staff memberTable
	Overview        string
	Excluded        exclusionView
}

// exclusionView is how many responses the agency's figures leave out and
// why, and how many count after an administrator's review.
type exclusionView struct {
	Misuse, Unverified, Reclassified, Total, Reinstated string
	Any                                                 bool
}

func exclusionsOf(f engine.Formatter, t *survey.Tally) exclusionView {
	var x survey.Exclusions
	if t != nil {
		x = t.Excluded
	}
	return exclusionView{Misuse: f.Int(x.Misuse), Unverified: f.Int(x.Unverified), Reclassified: f.Int(x.Reclassified),
		Total: f.Int(x.Total()), Reinstated: f.Int(x.Reinstated), Any: x != (survey.Exclusions{})}
}

type elementView struct {
	Label    string
	Fig      figure
	Criteria []critView
}

type critView struct {
	Label, Question string
	Fig             figure
}

// memberView is a counter or a staff member with enough responses.
type memberView struct{ Name, Value, N string }

// memberTable is the counters or the staff of an agency.
type memberTable struct {
	F    engine.Formatter
	Head string
	Rows []memberView
}

func buildAgency(f engine.Formatter, s *snapshot, u *unitStat, overview string) *agencyView {
	minN := s.Cfg.MinN
	g := s.group(u.Unit.Group)
	a := &agencyView{F: f, ID: u.Unit.ID, Name: u.Unit.Name, Group: g.Name, Index: fig(f, u.Cur.Index, minN, u.Held.Index),
		Dossiers: dossierTable{F: f, Rows: []dossierRow{dossierRowOf(f, g, u, minN)}}, MinN: f.Int(uint64(minN)),
		Sat:      satTable{F: f, Rows: []satRow{satRowOf(f, g, u, minN)}},
		Overview: overview, Counters: memberTable{F: f, Head: f.T("Quầy", "Counter")}, Staff: memberTable{F: f, Head: f.T("Công chức", "Staff member")}}
	if a.Index.Shown {
		a.Lo, a.Hi = f.Dec(engine.Round2(u.Cur.Index.Lo), 2), f.Dec(engine.Round2(u.Cur.Index.Hi), 2)
		a.Change = delta(f, s, u)
		if u.Rank > 0 {
			a.Rank = rankText(f, u.Rank, g.Of, g.Name)
		}
		if s.PrevOK && u.PrevRank > 0 {
			a.PrevRank = f.T("kỳ trước: ", "previous period: ") + strconv.Itoa(u.PrevRank) + "/" + strconv.Itoa(g.PrevOf)
		}
	}
	a.Elements, a.Overall = criteria(f, s, u)
	a.Excluded = exclusionsOf(f, u.Tally)
	if s.Staff {
		a.HasStaff = true
		for _, r := range u.Counters {
			a.Counters.Rows = append(a.Counters.Rows, memberView{r.Name, f.Pct(r.Index.Value), f.Int(r.Index.N)})
		}
		for _, r := range u.Staff {
			a.Staff.Rows = append(a.Staff.Rows, memberView{r.Name, f.Pct(r.Index.Value), f.Int(r.Index.N)})
		}
	}
	return a
}

// criteria lays out the elements in the catalogue's order, each with its
// criteria; the overall question apart. Two criteria with the same short
// label show their full question.
func criteria(f engine.Formatter, s *snapshot, u *unitStat) ([]elementView, *critView) {
	minN := s.Cfg.MinN
	byKey := map[string]engine.CriterionFigure{}
	seen := map[string]int{}
	for _, c := range u.Cur.Criteria {
		byKey[c.Key] = c
		seen[f.Text(s.Cat.Criterion(c.Key).Label)]++
	}
	crit := func(key string) critView {
		c := byKey[key]
		label := f.Text(s.Cat.Criterion(key).Label)
		cv := critView{Label: label, Fig: fig(f, c.Figure, minN, u.Held.Criteria[key])}
		if label == "" {
			cv.Label = key
		}
		if seen[label] > 1 {
			cv.Question = f.Text(s.Labels[baseKey(key)])
		}
		return cv
	}
	var els []elementView
	for _, e := range u.Cur.Elements {
		ev := elementView{Label: f.Text(s.Cat.Element(e.Key)), Fig: fig(f, e.Figure, minN, u.Held.Elements[e.Key])}
		for _, k := range e.Criteria {
			ev.Criteria = append(ev.Criteria, crit(k))
		}
		els = append(els, ev)
	}
	var overall *critView
	for _, c := range u.Cur.Criteria {
		if c.Element == "" && baseKey(c.Key) == "overall" {
			cv := crit(c.Key)
			overall = &cv
			break
		}
	}
	return els, overall
}

// baseKey strips the "@3" of a key asked on both scales.
func baseKey(k string) string {
	if n := len(k); n > 2 && k[n-2:] == "@3" {
		return k[:n-2]
	}
	return k
}

func (s *snapshot) group(id string) *groupStat {
	for _, g := range s.Groups {
		if g.ID == id {
			return g
		}
	}
	return &groupStat{ID: id, Name: id}
}

// lowerFirst lower-cases the first letter: "Khối Sở" → "khối Sở".
func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(c)) + s[n:]
}
