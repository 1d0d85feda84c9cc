package engine

import (
	"sort"

	"hailong/survey"
)

// TimelinessReport is the timeliness of the dossiers RECEIVED in a period,
// as of now (SPEC "Timeliness"). Percentages are of Denominator.
type TimelinessReport struct {
	Received, Finished, Early, OnTime, Late, InProgress int
	InProgressOverdue                                   int
	EarlyPct, OnTimePct, LatePct, InProgressPct         float64 // unrounded, percent of received
	Denominator                                         string  // "received"
	// Rate766 is the Quyết định 766/QĐ-TTg on-time rate: (finished early or
	// on time + in progress and not yet overdue) ÷ handled, where handled =
	// the dossiers received in the period (finished or not).
	Rate766 float64
	OK      bool // false when nothing was received (every percentage undefined)
}

// DenominatorReceived names the denominator of the percentages.
const DenominatorReceived = "received"

// Timeliness computes the percentages of counts t, all over received.
func Timeliness(t survey.Timeliness) TimelinessReport {
	r := TimelinessReport{Received: t.Received, Finished: t.Finished, Early: t.Early, OnTime: t.OnTime, Late: t.Late,
		InProgress: t.InProgress, InProgressOverdue: t.InProgress - t.InProgressNotOverdue, Denominator: DenominatorReceived}
	n := uint64(t.Received)
	var ok bool
	r.EarlyPct, ok = Share(uint64(t.Early), n)
	r.OnTimePct, _ = Share(uint64(t.OnTime), n)
	r.LatePct, _ = Share(uint64(t.Late), n)
	r.InProgressPct, _ = Share(uint64(t.InProgress), n)
	r.Rate766, _ = Rate766(t.Early+t.OnTime, t.InProgressNotOverdue, t.Received)
	r.OK = ok
	return r
}

// Rate766 is (finished early or on time + in progress and not overdue) ÷
// handled, in percent.
func Rate766(finishedInTime, inProgressNotOverdue, handled int) (float64, bool) {
	return Share(uint64(finishedInTime+inProgressNotOverdue), uint64(handled))
}

// TimelinessRow is the timeliness of one procedure or staff member.
type TimelinessRow struct {
	Key  string // procedure code or staff id; "" for dossiers that name none
	Name string
	TimelinessReport
}

// TimelinessBy computes the timeliness of the dossiers of f's units received
// in p, as of now, per procedure (by "procedure") or per staff member who
// received them ("staff"), the most dossiers first.
func (e *Engine) TimelinessBy(f Filter, p Period, by string) ([]TimelinessRow, error) {
	e.Expand(&f)
	loc, now := e.src.Clock.Loc(), e.src.Clock.Now()
	counts := map[string]*survey.Timeliness{}
	err := e.src.Dossiers.EachDossier(f.Units, p.Start(loc), survey.DayStart(p.To, loc), func(d *survey.Dossier) error {
		k := d.Procedure
		if by == "staff" {
			k = d.Staff
		}
		t := counts[k]
		if t == nil {
			t = &survey.Timeliness{}
			counts[k] = t
		}
		t.Add(d, now, loc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	dim := survey.DimProcedure
	if by == "staff" {
		dim = survey.DimStaff
	}
	rows := make([]TimelinessRow, 0, len(counts))
	for k, t := range counts {
		name := ""
		if k != "" {
			name = e.MemberName(dim, k)
		}
		rows = append(rows, TimelinessRow{Key: k, Name: name, TimelinessReport: Timeliness(*t)})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Received != rows[j].Received {
			return rows[i].Received > rows[j].Received
		}
		return rows[i].Key < rows[j].Key
	})
	return rows, nil
}
