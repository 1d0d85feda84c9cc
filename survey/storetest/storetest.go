// Package storetest is the conformance suite of survey.Store: table tests
// that every storage backend must pass, one subtest per service, method and
// case ("OrgService/CreateUnit/ErrConflict"). It checks each method's
// success path, the error codes (and fields) its doc comment promises, that
// a refused call changes nothing, idempotency, that the pre-aggregated
// counts equal a tally of the responses submitted (and a rebuild), and
// behaviour under concurrent use.
//
// It imports only the domain and the standard library, so any backend can
// run it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) survey.Store { … })
//	}
package storetest

import (
	"testing"
	"time"

	"hailong/survey"
)

// Opener opens a new, empty store for one subtest: no units, users,
// responses or dossiers, the default surveys installed, default settings
// (misuse interval between survey.MinMisuseInterval and
// survey.MaxMisuseInterval, receipts valid survey.DefaultReceiptDays), and
// now as its clock. It closes the store when t ends; a case may have
// closed it already.
type Opener func(t *testing.T, now func() time.Time) survey.Store

// testCase is one subtest; it gets a fresh store in e.
type testCase struct {
	name string
	fn   func(t *testing.T, e *env)
}

// Run runs the whole suite against the stores open makes.
func Run(t *testing.T, open Opener) {
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"OrgService", orgCases},
		{"CounterService", counterCases},
		{"StaffService", staffCases},
		{"KioskService", kioskCases},
		{"SurveyService", surveyCases},
		{"ProcedureService", procedureCases},
		{"ResponseService", responseCases},
		{"ProposalService", proposalCases},
		{"CountService", countCases},
		{"Concurrency", concurrencyCases},
		{"DossierService", dossierCases},
		{"UserService", userCases},
		{"TokenService", tokenCases},
		{"SessionService", sessionCases},
		{"AuditService", auditCases},
		{"ActionService", actionCases},
		{"SettingsService", settingsCases},
		{"Imports", importCases},
		{"Time", timeCases},
		{"ImportService", batchCases},
		{"LogService", logCases},
		{"OutboxService", outboxCases},
		{"CaseService", caseCases},
		{"CaseService", caseInsertCases},
		{"CalendarService", calendarCases},
		{"NotifyService", notifyCases},
		{"Maintainer", maintainerCases},
	}
	for _, g := range groups {
		for _, c := range g.cases {
			t.Run(g.name+"/"+c.name, func(t *testing.T) {
				c.fn(t, newEnv(t, open))
			})
		}
	}
}
