package analytics

import "hailong/survey"

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
