package cases

import (
	"hailong/survey"
	"hailong/web"
)

// What a case came from: the survey response (its answers with their
// labels, reasons, comment) and the dossier of the receipt it answered.

type responseView struct {
	Survey    survey.Text
	Channel   string
	Submitted string
	Answers   []answerView
	Reasons   []survey.Text
	Comment   string
	Missing   bool // the response is gone (withdrawn with its import)
}

type answerView struct {
	Criterion survey.Text
	Score     int
	Label     survey.Text
	Negative  bool
}

// responseOf reads the response with UUID id; its comment is masked
// (survey.MaskPII) unless the caller handles the case.
func responseOf(d *web.Deps, id string, handler bool) *responseView {
	r, err := d.Responses.ResponseByID(id)
	if err != nil {
		return &responseView{Missing: true}
	}
	v := &responseView{Channel: r.Channel.String(), Submitted: dateTimeVi(r.SubmittedAt, d.Clock.Loc()), Comment: r.Comment}
	if !handler {
		v.Comment = survey.MaskPII(r.Comment)
	}
	sv := d.Surveys.Survey(r.Survey, r.Version)
	if sv == nil {
		return v
	}
	v.Survey = sv.Title
	for _, cr := range sv.Criteria {
		score, ok := r.Answers[cr.Key]
		if !ok {
			continue
		}
		a := answerView{Criterion: cr.Label, Score: score, Label: survey.NALabel, Negative: survey.Negative(cr.Scale, score)}
		if labels := survey.ScaleLabels(cr.Scale); score >= 1 && score <= len(labels) {
			a.Label = labels[score-1]
		}
		v.Answers = append(v.Answers, a)
	}
	for _, k := range r.Reasons {
		if i := sv.Reason(k); i >= 0 {
			v.Reasons = append(v.Reasons, sv.Reasons[i].Label)
		}
	}
	return v
}

type dossierView struct {
	Code, Procedure, Staff  string
	Received, Due, Finished string
	Outcome                 survey.Text
}

var outcomes = map[survey.Outcome]survey.Text{
	survey.InProgress: {Vi: "Đang giải quyết", En: "In progress"},
	survey.Early:      {Vi: "Trước hạn", En: "Early"},
	survey.OnTime:     {Vi: "Đúng hạn", En: "On time"},
	survey.Late:       {Vi: "Trễ hạn", En: "Late"},
}

// dossierOf reads the dossier with code (nil when it is unknown).
func dossierOf(d *web.Deps, code string) *dossierView {
	ds, err := d.Dossiers.Dossier(code)
	if err != nil {
		return nil
	}
	loc := d.Clock.Loc()
	v := &dossierView{Code: ds.Code, Procedure: ds.Procedure, Received: dateVi(ds.ReceivedAt, loc), Due: dateVi(ds.DueAt, loc),
		Outcome: outcomes[ds.Outcome(loc)]}
	if n := d.Procedures.ProcedureName(ds.Procedure); n != "" {
		v.Procedure = n + " (" + ds.Procedure + ")"
	}
	if s := d.Staff.StaffMember(ds.Staff); s != nil {
		v.Staff = s.Name
	}
	if !ds.FinishedAt.IsZero() {
		v.Finished = dateVi(ds.FinishedAt, loc)
	}
	return v
}
