package engine

import (
	"sort"
	"time"

	"hailong/survey"
)

// TT01Row is the TT 01 score of one agency or staff member.
type TT01Row struct {
	Key, Name string
	Unit      string // the staff member's agency (staff rows)
	Answered  int    // dossiers whose receipt form was answered
	TT01Score
}

// TT01Result is the TT 01 scoring of the dossiers received in a period.
type TT01Result struct {
	Agencies, Staff []TT01Row
}

// TT01 scores the dossiers of f's units received in p, per agency (the
// dossier's unit or its nearest ancestor with a group) and per staff
// member. Unlike every other query it reads raw records: the dossiers, and
// the responses submitted since p began that are linked to one of them
// (Response.Dossier), for their TT 01 facts, which are not counted.
func (e *Engine) TT01(f Filter, p Period) (*TT01Result, error) {
	e.Expand(&f)
	byCode, err := e.tt01Dossiers(&f, p)
	if err != nil {
		return nil, err
	}
	type set struct {
		facts    []TT01Facts
		answered int
		unit     string
	}
	agencies, staff := map[string]*set{}, map[string]*set{}
	add := func(m map[string]*set, key, unit string, d *tt01Dossier) {
		s := m[key]
		if s == nil {
			s = &set{unit: unit}
			m[key] = s
		}
		s.facts = append(s.facts, d.facts)
		if d.answered {
			s.answered++
		}
	}
	for _, d := range byCode {
		add(agencies, d.agency, "", d)
		if d.staff != "" {
			add(staff, d.staff, d.agency, d)
		}
	}
	res := &TT01Result{}
	for id, s := range agencies {
		res.Agencies = append(res.Agencies, TT01Row{Key: id, Name: e.org.Name(id), Answered: s.answered, TT01Score: ScoreTT01(s.facts, 18, AgencyGrade)})
	}
	for id, s := range staff {
		name := id
		if st := e.src.Staff.StaffMember(id); st != nil {
			name = st.Name
		}
		res.Staff = append(res.Staff, TT01Row{Key: id, Name: name, Unit: s.unit, Answered: s.answered, TT01Score: ScoreTT01(s.facts, 10, StaffGrade)})
	}
	sortTT01(res.Agencies)
	sortTT01(res.Staff)
	return res, nil
}

// tt01Dossier is one dossier as scored.
type tt01Dossier struct {
	agency, staff string
	facts         TT01Facts
	answered      bool
}

// tt01Dossiers reads the dossiers of f's units received in p and the facts
// of their answered receipt forms, by dossier code.
func (e *Engine) tt01Dossiers(f *Filter, p Period) (map[string]*tt01Dossier, error) {
	loc := e.src.Clock.Loc()
	byCode := map[string]*tt01Dossier{}
	err := e.src.Dossiers.EachDossier(f.Units, p.Start(loc), survey.DayStart(p.To, loc), func(d *survey.Dossier) error {
		agency, _ := e.org.GroupOf(d.Unit)
		if agency == "" {
			agency = d.Unit
		}
		byCode[d.Code] = &tt01Dossier{agency: agency, staff: d.Staff, facts: NoFacts(d.Outcome(loc))}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A receipt's form is answered after its dossier was received, often
	// after the period: read up to now.
	err = e.src.Responses.EachResponse(p.Start(loc), time.Time{}, func(r *survey.Response) error {
		d := byCode[r.Dossier]
		if d == nil || r.Dossier == "" || (r.Flags&survey.FlagMisuse != 0 && !f.IncludeMisuse) ||
			(r.Flags&survey.FlagUnverified != 0 && !f.IncludeUnverified) {
			return nil
		}
		d.facts = factsOf(r, d.facts.Outcome)
		d.answered = true
		return nil
	})
	return byCode, err
}

// factsOf reads the TT 01 facts of a response (−1 for those not answered).
func factsOf(r *survey.Response, o survey.Outcome) TT01Facts {
	f := NoFacts(o)
	if v, ok := r.Facts["tt01_contacts"]; ok {
		f.Contacts = v
	}
	if v, ok := r.Facts["tt01_agencies"]; ok {
		f.Agencies = v
	}
	if v, ok := r.Facts["tt01_complaint"]; ok {
		f.Complaint = v
	}
	return f
}

func sortTT01(rows []TT01Row) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Total != rows[j].Total {
			return rows[i].Total > rows[j].Total
		}
		return rows[i].Key < rows[j].Key
	})
}
