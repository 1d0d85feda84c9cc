package survey

// Services are the storage services, one field per concern; code calls the
// one it needs (d.Org.Unit, d.Responses.Submit …). web.Deps embeds them.
type Services struct {
	Org        OrgService
	Counters   CounterService
	Staff      StaffService
	Surveys    SurveyService
	Procedures ProcedureService
	Kiosks     KioskService
	Responses  ResponseService
	Imports    ImportService
	Proposals  ProposalService
	Counts     CountService
	Dossiers   DossierService
	Users      UserService
	Tokens     TokenService
	Sessions   SessionService
	Audit      AuditService
	Actions    ActionService
	Settings   SettingsService
	Integrity  LogService // the tamper-evident log (not Deps.Log, the logger)
	Outbox     OutboxService
	Cases      CaseService
	Calendar   CalendarService
	Notify     NotifyService
	Clock      Clock
	Maint      Maintainer
}

// ServicesOf gives every service of one store.
func ServicesOf(s Store) *Services {
	return &Services{Org: s, Counters: s, Staff: s, Surveys: s, Procedures: s, Kiosks: s,
		Responses: s, Imports: s, Proposals: s, Counts: s, Dossiers: s, Users: s, Tokens: s, Sessions: s, Audit: s,
		Actions: s, Settings: s, Integrity: s, Outbox: s, Cases: s, Calendar: s, Notify: s, Clock: s, Maint: s}
}
