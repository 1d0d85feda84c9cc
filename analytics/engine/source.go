package engine

import "hailong/survey"

// Source is the storage the engine reads: exactly the services it asks of,
// none that writes settings or users, so that it runs over any backend (or
// a test double) without the HTTP layer.
type Source struct {
	Org        survey.OrgService
	Surveys    survey.SurveyService    // the catalogue of criteria
	Counts     survey.CountService     // every index
	Dossiers   survey.DossierService   // timeliness and TT 01
	Responses  survey.ResponseService  // TT 01 facts only: they are not counted
	Counters   survey.CounterService   // names of breakdown rows
	Staff      survey.StaffService     //
	Procedures survey.ProcedureService //
	Cases      survey.CaseService      // the PAKN cases of the 766 figures
	Clock      survey.Clock            // days are cut in its zone
}

// SourceOf picks the engine's services out of all of them.
func SourceOf(s *survey.Services) Source {
	return Source{Org: s.Org, Surveys: s.Surveys, Counts: s.Counts, Dossiers: s.Dossiers, Responses: s.Responses,
		Counters: s.Counters, Staff: s.Staff, Procedures: s.Procedures, Cases: s.Cases, Clock: s.Clock}
}
