package publish

import "hailong/analytics/engine"

// Reasons a 766 figure is withheld, beside ReasonNoFiles, ReasonTooFewFiles
// (the per-dossier rate, over the dossiers received) and ReasonProtects.
const (
	ReasonNoReceipts     = "no_receipts"
	ReasonTooFewReceipts = "too_few_receipts"
	ReasonNoCases        = "no_cases"
	ReasonTooFewCases    = "too_few_cases"
)

// ratioData is one 766 rate with its numerator and denominator, or nulls
// with a reason.
type ratioData struct {
	Reason      *string  `json:"reason"`
	Numerator   *int     `json:"numerator"`
	Denominator *int     `json:"denominator"`
	Value       *float64 `json:"value"`
}

// sat766Data is an agency's 766 satisfaction figures (docs/METHODOLOGY.md
// section 16), withheld as the page withholds them (views_766.go).
type sat766Data struct {
	ResponseRate        ratioData `json:"response_rate"`
	DossierSatisfaction ratioData `json:"dossier_satisfaction"`
	PAKNOnTime          ratioData `json:"pakn_on_time"`
	PAKNSatisfaction    ratioData `json:"pakn_satisfaction"`
}

func sat766Of(u *unitStat, minN int) sat766Data {
	s, h := u.Sat, u.Held
	return sat766Data{
		ResponseRate:        ratioOf(s.Response, minN, h.Receipts, ReasonNoReceipts, ReasonTooFewReceipts),
		DossierSatisfaction: ratioOf(s.Dossier, minN, h.Dossiers, ReasonNoFiles, ReasonTooFewFiles),
		PAKNOnTime:          ratioOf(s.CasesOnTime, minN, h.Cases, ReasonNoCases, ReasonTooFewCases),
		PAKNSatisfaction:    ratioOf(s.CasesSatisfied, minN, h.Cases, ReasonNoCases, ReasonTooFewCases),
	}
}

func ratioOf(r engine.Ratio, minN int, held bool, none, few string) ratioData {
	switch {
	case !r.OK:
		return ratioData{Reason: ptr(none)}
	case engine.TooFew(uint64(r.Den), minN):
		return ratioData{Reason: ptr(few)}
	case held:
		return ratioData{Reason: ptr(ReasonProtects)}
	}
	return ratioData{Numerator: ptr(r.Num), Denominator: ptr(r.Den), Value: round(r.Pct)}
}
