package survey

import (
	"io"
	"time"
)

// The services below are what the HTTP packages, the CLI and the demo may ask
// of storage (the style of Ben Johnson's wtf services): small, one per
// concern, each method's contract and error codes in its doc comment. Errors
// that reach a user are *Error with a code (EINVALID with the field,
// ENOTFOUND, ECONFLICT, EUNAVAILABLE …); anything else is internal.
// survey/bolt implements every one of them on one bbolt file; the
// conformance suite in survey/storetest holds any implementation to these
// contracts.

// Store is everything a backend implements; the wiring (cmd/hailong) opens
// one and hands each package the services it uses.
type Store interface {
	OrgService
	CounterService
	StaffService
	SurveyService
	ProcedureService
	KioskService
	ResponseService
	ImportService
	ProposalService
	CountService
	DossierService
	UserService
	TokenService
	SessionService
	AuditService
	ActionService
	SettingsService
	LogService
	OutboxService
	CaseService
	CalendarService
	NotifyService
	Clock
	Maintainer
}

// Snapshot is a consistent read-only copy of the whole store for an online
// backup; Close it as soon as it is written.
type Snapshot interface {
	// Size is the size in bytes of what WriteTo writes.
	Size() int64
	WriteTo(w io.Writer) (int64, error)
	Close() error
}

// OrgService keeps the unit tree and the peer groups ranks are computed in.
type OrgService interface {
	// Unit returns the unit with id, or nil.
	Unit(id string) *Unit
	// Units returns every unit, sorted by id.
	Units() []Unit
	// Groups returns every group, sorted by id.
	Groups() []Group
	// Subtree returns id, first, and the ids of all units below it (nil if id
	// is unknown).
	Subtree(id string) []string
	// InSubtree reports whether unit lies in the subtree of root ("" = all).
	InSubtree(unit, root string) bool
	// PutUnits creates or updates units in one transaction: all or nothing.
	// Parents must exist in the store or in the same call, the tree must stay
	// acyclic, and groups are created on first use. Errors: EINVALID with the
	// index of the offending unit in Field ("units[3].parent").
	PutUnits(units []Unit) error
	// CreateUnit adds a new unit. Errors: EINVALID (id, name, parent, group:
	// malformed, unknown parent or group), ECONFLICT (id taken).
	CreateUnit(u Unit) error
	// UpdateUnit renames a unit, moves it under another parent ("" = top level)
	// and sets its group ("" = none). Errors: ENOTFOUND; EINVALID for a bad name,
	// an unknown parent or group, or a parent that is the unit itself or lies
	// below it (the tree would loop).
	UpdateUnit(u Unit) error
	// PutGroup creates or renames a group. Errors: EINVALID (id, name).
	PutGroup(g Group) error
	// CreateGroup adds a peer group. Errors: EINVALID (id, name), ECONFLICT.
	CreateGroup(g Group) error
	// RenameGroup renames a group. Errors: ENOTFOUND, EINVALID (name).
	RenameGroup(id, name string) error
	// ImportUnits creates or updates the units of a CSV file with the columns
	// id,name,parent,group (parent and group may be empty; a unit may come
	// before its parent). Groups are created on first use. All or nothing.
	// Errors: *ImportError (EINVALID) with line-numbered problems, or a read
	// error.
	ImportUnits(r io.Reader) (ImportStats, error)
}

// CounterService keeps the counters of the units and who serves at each.
type CounterService interface {
	// Counter returns the counter with id, or nil.
	Counter(id string) *Counter
	// Counters returns the counters of unit ("" = all), sorted by id.
	Counters(unit string) []Counter
	// PutCounter creates or updates a counter. Errors: EINVALID.
	PutCounter(c Counter) error
	// CreateCounter adds a counter to an existing unit. Errors: EINVALID (id,
	// name, unit), ECONFLICT (id taken).
	CreateCounter(c Counter) error
	// RenameCounter renames a counter; its unit never changes (its responses
	// and kiosks stay where they are). Errors: ENOTFOUND, EINVALID (name).
	RenameCounter(id, name string) error
	// SignOn records that staff member staffID now serves at counterID: ratings
	// from that counter's kiosk carry the staff id. The counter must belong to
	// the staff member's unit or to a unit below it. Whoever else was signed on
	// at that counter is signed off; a staff member is at one counter at a time.
	// Errors: EINVALID (field "staff" or "counter") for an unknown staff member
	// or counter, or a counter outside the staff member's unit.
	SignOn(staffID, counterID string) error
	// SignOff signs staffID off, or, with staffID empty, whoever is signed on at
	// counterID. With both given, the staff member is signed off only if signed
	// on at that counter. Signing off someone not signed on is not an error.
	// Errors: EINVALID for an unknown staff member or counter, or neither given.
	SignOff(staffID, counterID string) error
	// OnDuty returns the staff member signed on at counterID, or nil. Should
	// older data hold several (the rule is one per counter), the first by id is
	// returned, so the answer is stable.
	OnDuty(counterID string) *Staff
}

// StaffService keeps the staff of the units and their photos.
type StaffService interface {
	// StaffMember returns the staff member with id, or nil.
	StaffMember(id string) *Staff
	// StaffOf returns the staff of unit ("" = all), sorted by id.
	StaffOf(unit string) []Staff
	// PutStaff creates or updates a staff member. Errors: EINVALID.
	PutStaff(s Staff) error
	// CreateStaff adds a staff member (not signed on, without a photo).
	// Errors: EINVALID (id, name, position, unit), ECONFLICT (id taken).
	CreateStaff(s Staff) error
	// UpdateStaff changes a staff member's name, position and unit, keeping the
	// photo. A staff member moved away from the unit of the counter they are
	// signed on at is signed off. Errors: ENOTFOUND, EINVALID.
	UpdateStaff(id, name, position, unit string) error
	// SetStaffPhoto stores a staff member's photo and returns its content type.
	// The type is read from the bytes (JPEG, PNG or WebP), never from a file
	// name or a declared type. Staff.Photo becomes a hash of the content, for
	// cache-busting URLs. Errors: ENOTFOUND, ETOOLARGE (over MaxPhotoBytes),
	// EINVALID (field "photo": empty, another format, or not a readable image).
	SetStaffPhoto(id string, img []byte) (string, error)
	// DeleteStaffPhoto removes a staff member's photo (the kiosk then shows
	// initials). Errors: ENOTFOUND.
	DeleteStaffPhoto(id string) error
	// StaffPhoto returns a staff member's photo and its content type, or ""
	// and nil when there is none.
	StaffPhoto(id string) (ctype string, img []byte)
	// PhotoByHash returns the photo whose content hash (Staff.Photo) is hash,
	// with the staff member it belongs to, or nil when none has it.
	PhotoByHash(hash string) (s *Staff, ctype string, img []byte)
}

// SurveyService keeps the versioned questionnaires and which one each unit uses.
type SurveyService interface {
	// Survey returns version v of survey key (v = 0: the current version), or nil.
	Survey(key string, v int) *Survey
	// SurveyKeys returns the keys of every survey.
	SurveyKeys() []string
	// AddSurveyVersion stores s as the next version of its survey and sets
	// s.Version to it. Old versions stay; responses keep the version they
	// answered. Errors: EINVALID.
	AddSurveyVersion(s *Survey) error
	// AddSurveyVersionAfter stores s as the version after base, the version the
	// editor started from. Old versions are never changed. Errors: EINVALID;
	// ECONFLICT when another version was saved after base meanwhile.
	AddSurveyVersionAfter(s *Survey, base int) error
	// SurveyFor returns the key of the survey that unit's kiosks or receipts
	// (use) answer: the setting of the unit or of its nearest ancestor, else the
	// installation-wide setting, else the built-in default. A setting naming a
	// survey that does not exist is skipped.
	SurveyFor(unit, use string) string
	// OwnSurveyFor returns the survey set on unit itself ("" = the whole
	// installation) for use, "" when it inherits.
	OwnSurveyFor(unit, use string) string
	// SetSurveyFor sets the survey of unit ("" = the whole installation) for
	// use; key "" removes the setting, so the unit inherits. Errors: EINVALID.
	SetSurveyFor(unit, use, key string) error
	// KnownCriterion reports whether any version of any survey asks key.
	KnownCriterion(key string) bool
}

// ProcedureService keeps the catalogue of procedure names by code.
type ProcedureService interface {
	// Procedures returns the catalogue, by code.
	Procedures() []Procedure
	// ProcedureName returns the catalogue's name for code, "" when it has none.
	ProcedureName(code string) string
	// PutProcedures adds or renames catalogue entries, all or nothing. A
	// validation error names the entry as "procedures[i].field".
	PutProcedures(ps []Procedure) error
	// DeleteProcedure removes a catalogue entry. Responses and dossiers keep
	// their code; it shows as the code from then on. ENOTFOUND when absent.
	DeleteProcedure(code string) error
	// ImportProcedures adds or renames the catalogue entries of a CSV file with
	// the columns code,name (a header row first), all or nothing: a file with
	// any problem stores nothing and the *ImportError lists them by line.
	ImportProcedures(r io.Reader) (ImportStats, error)
}

// KioskService keeps the kiosks: pairing, device keys, heartbeats.
type KioskService interface {
	// Kiosk returns the kiosk with id, or nil.
	Kiosk(id string) *Kiosk
	// Kiosks returns every kiosk, in no particular order.
	Kiosks() []Kiosk
	// AddKiosk creates a kiosk and returns its one-time pairing code.
	// Errors: EINVALID, ECONFLICT if the id is taken.
	AddKiosk(k Kiosk) (pairCode string, err error)
	// PairKiosk redeems a one-time pairing code and returns the kiosk and its new
	// device key. Errors: ENOTFOUND for an unknown or used code.
	PairKiosk(code string) (*Kiosk, string, error)
	// KioskByPairCode returns the kiosk whose unredeemed pairing code is code,
	// or nil; it redeems nothing (the confirmation page shows what it pairs).
	KioskByPairCode(code string) *Kiosk
	// KioskByKey returns the paired, unrevoked kiosk whose device key is key,
	// or nil. An error means the store could not be asked.
	KioskByKey(key string) (*Kiosk, error)
	// RenameKiosk renames a kiosk. Errors: ENOTFOUND, EINVALID (name).
	RenameKiosk(id, name string) error
	// RepairKiosk issues a new one-time pairing code for a kiosk, replacing any
	// unused one; a revoked kiosk is reinstated by it. A device paired before
	// keeps working until the new code is redeemed (PairKiosk then drops the old
	// device key). Errors: ENOTFOUND.
	RepairKiosk(id string) (string, error)
	// RevokeKiosk stops a kiosk at once: its device key and any unused pairing
	// code are deleted, so KioskByKey and PairKiosk fail from the commit on.
	// The kiosk stays listed (its responses name it); RepairKiosk reinstates
	// it. Revoking a revoked kiosk is not an error. Errors: ENOTFOUND.
	RevokeKiosk(id string) error
	// KioskSeen records a kiosk's heartbeat: when it was last seen, how many
	// answers it holds in its offline queue and which app version it runs. The
	// write is skipped (the cache still gets the fresh values) when the stored
	// record was seen less than KioskSeenEvery ago with the same queue and
	// version, so that a fleet of kiosks costs few fsyncs.
	// Errors: ENOTFOUND for an unknown kiosk, EINVALID for a negative queue or a
	// bad version string.
	KioskSeen(id string, queue int, version string, at time.Time) error
}

// ResponseService stores and reads responses. A response, its idempotency
// key and its count deltas are stored in one transaction (CountService reads
// the counts).
type ResponseService interface {
	// Prepare fills server-side fields of r (version, times: ReceivedAt is the
	// store's clock unless the caller set it) and validates it against the
	// survey and the organisation. SubmittedAt must lie at most
	// Settings().Submissions.WindowDays days before ReceivedAt (not checked
	// on the paper channel, which only imports and demo data use) and at most
	// MaxFutureSkew after it; a time ahead by less becomes ReceivedAt. It
	// returns EINVALID errors (field "submitted_at" for the window).
	Prepare(r *Response) error
	// Submit validates and durably stores one response. A response whose ID was
	// stored before is not stored again: Submit returns created=false and fills
	// r.Key with the stored one. A response received less than the misuse
	// interval before or after the previous one from the same r.Device is
	// stored with FlagMisuse, whatever their SubmittedAt; so is a
	// kiosk-channel response submitted less than the interval after the
	// previous one from the same kiosk. Other flags are stored as given.
	// Errors: EINVALID, EUNAVAILABLE while closing, or an internal error.
	Submit(r *Response) (created bool, err error)
	// InsertMany stores prepared responses in one transaction, without
	// idempotency keys of their own (imports and demo data). Call Prepare first.
	InsertMany(rs []*Response) error
	// Response returns the stored response with key, or ENOTFOUND.
	Response(key uint64) (*Response, error)
	// ResponseByID returns the response stored under idempotency key id.
	// Errors: ENOTFOUND, EINVALID when id is not a UUID.
	ResponseByID(id string) (*Response, error)
	// EachResponse calls fn for every response submitted in [from, to), in time
	// order, within one read transaction. A zero to means no upper bound.
	EachResponse(from, to time.Time, fn func(*Response) error) error
	// ResponseCount returns the number of stored responses.
	ResponseCount() int
	// FirstResponseAt returns when the earliest stored response was submitted
	// (the zero time when there is none): a period that begins before it has
	// data for part of its span only.
	FirstResponseAt() time.Time
	// SetResponseFlags replaces the counting flags (misuse, unverified) of
	// one response (ref: its UUID or its decimal storage key), for reason.
	// Responses are never edited otherwise. A change marks the response
	// FlagReclassified (kept for good), moves its counts to the new flag
	// class, writes an audit record (actor, old → new flags, reason) and
	// notes a Change{Kind: ChangeFlags} in the change log, all in one
	// transaction. FlagReclassified in flags is ignored; setting the counting
	// flags it already has changes nothing and needs no audit. Only
	// administrators call it (managers propose: ProposalService).
	// Errors: EINVALID (bad ref; unknown flags, field "flags"; reason empty,
	// over MaxReason or not one line, field "reason"), ENOTFOUND.
	SetResponseFlags(ref string, flags Flags, actor, reason string) error
	// PurgeComments removes the comment of every response submitted before
	// cutoff, whenever it was stored, in transactions of at most 5,000
	// rewritten records so that submissions are not held up; it returns how many
	// were removed and, when any were, writes one audit entry. Counts are
	// unaffected (comments are not counted).
	PurgeComments(cutoff time.Time) (int, error)
	// ImportResponses stores the responses of a CSV file with the columns
	// submitted_at,unit,channel,survey, one column per criterion key (a score,
	// empty = not answered, "na" or 0 = not applicable), and optionally
	// counter,staff,procedure,reasons (separated by '|'),comment. Each row
	// answers the current version of its survey. All or nothing, streaming: the
	// file is read twice and never held in memory. submitted_at is not held to
	// the window of live submissions (imports are historical by nature).
	// The rows are recorded as an ImportBatch by actor (ImportService), its
	// id in ImportStats.Batch; a file without rows records none. Errors:
	// *ImportError (EINVALID) with line-numbered problems, EINVALID (field
	// "actor") without an actor, or an I/O error.
	ImportResponses(path, actor string) (ImportStats, error)
}

// ImportService keeps the batches of responses imported from CSV files and
// withdraws them. A batch and its withdrawal are each a change of what
// counts (survey.Change), noted in the transaction that makes it.
type ImportService interface {
	// Batches returns every import batch, newest first.
	Batches() ([]ImportBatch, error)
	// Batch returns one batch. Errors: ENOTFOUND.
	Batch(id string) (*ImportBatch, error)
	// WithdrawBatch deletes every response of batch id and takes it out of
	// the counts, and keeps the batch marked withdrawn by actor, now, for
	// reason. Counts equal a rebuild afterwards. Large batches are deleted in
	// several transactions: the first marks the batch withdrawing (and notes
	// the change), each deletes responses with their counts, the last marks
	// it withdrawn; a withdrawal cut short (crash) stays BatchWithdrawing and
	// calling WithdrawBatch again finishes it. A batch left BatchImporting by
	// a crash can be withdrawn. Errors: ENOTFOUND (unknown batch), EINVALID
	// (field "reason": empty or over MaxReason characters; field "actor"
	// empty), ECONFLICT (already withdrawn, or being imported right now),
	// EUNAVAILABLE while closing.
	WithdrawBatch(id, actor, reason string) (*ImportBatch, error)
}

// ProposalService keeps the proposals to change a response's counting flags
// (FlagProposal): managers propose, administrators confirm or refuse.
type ProposalService interface {
	// ProposeFlags stores a new open proposal for the response p.Response
	// and returns it as stored (ID, Unit from the response, At now, State
	// open), with an audit entry. Errors: EINVALID (FlagProposal.Validate;
	// field "flag" when the response already has the flags proposed),
	// ENOTFOUND (no such response).
	ProposeFlags(p FlagProposal) (FlagProposal, error)
	// FlagProposal returns one proposal. Errors: ENOTFOUND.
	FlagProposal(id string) (*FlagProposal, error)
	// FlagProposals returns the proposals in state ("" = every state), the
	// newest first.
	FlagProposals(state string) []FlagProposal
	// DecideFlagProposal confirms or refuses an open proposal as actor,
	// with an optional note, and returns it as stored. Confirming changes
	// the response's flags as SetResponseFlags does (counts, audit record,
	// change log), in the same transaction as the decision, with the
	// proposal's reason, who proposed it and the note as the reason; a
	// proposal whose change the response already has is confirmed without
	// a flag change. Errors: ENOTFOUND, ECONFLICT (decided already),
	// EINVALID (note too long or not one line, field "note").
	DecideFlagProposal(id string, confirm bool, actor, note string) (FlagProposal, error)
}

// CountService answers from the pre-aggregated counts, never from raw
// responses, and rebuilds them.
type CountService interface {
	// Count sums the pre-aggregated blocks matching q; it never reads raw
	// responses. The result is keyed by the dimension member's name: "" for
	// DimBase, the counter, staff or procedure id, or "D-HH" (weekday 0 = Sunday,
	// hour) for DimHour. Errors: EINVALID for a bad range.
	Count(q CountQuery) (map[string]*Tally, error)
	// CountMany answers several queries at once, in order, each as Count
	// would (a summary's periods and peers: one round trip on PostgreSQL
	// instead of one per query). Errors: Count's, for any query.
	CountMany(qs []CountQuery) ([]map[string]*Tally, error)
	// Reindex rebuilds the pre-aggregated counts from the raw responses, in one
	// transaction: readers see the old counts or the new, never a mix.
	Reindex() (int, error)
	// CheckAgg rebuilds the counts into a scratch bucket and reports whether
	// they equal the stored ones; nothing is changed.
	CheckAgg() (bool, error)
}

// DossierService keeps dossiers, their single-use receipt tokens and outcomes.
type DossierService interface {
	// IssueReceipt stores dossier d (created, or looked up by code) with a new
	// survey token valid until expires (zero: ReceiptExpiry of its received
	// time) and returns the token, shown once. actor is who asks (for the audit
	// log).
	// Issuing again for a dossier that exists and is not answered yet (a
	// reprinted slip) replaces its token: the old one stops working. A re-issue
	// never changes the dossier's record: unit, received and due times are
	// identity and must equal the stored ones, procedure and staff must equal
	// them or be empty (then the stored ones are kept); finish date and
	// supplement days are always kept. Each re-issue writes an audit entry
	// receipt.reissue in the same transaction. Errors: EINVALID (with the
	// field), ECONFLICT (with the field) when the code belongs to another unit,
	// its receipt was already answered, or the request differs from the stored
	// record, EUNAVAILABLE while closing.
	IssueReceipt(actor string, d *Dossier, expires time.Time) (string, error)
	// ReceiptByToken returns the dossier whose current survey token is token,
	// answered or not, expired or not (see Dossier.Answerable). Errors:
	// ENOTFOUND for anything else (malformed, unknown, replaced).
	ReceiptByToken(token string) (*Dossier, error)
	// AnswerReceipt stores r as the one response to the receipt with token and
	// marks the dossier answered, in one transaction: never a second response
	// for a receipt, and never an answered flag without its response. r gets
	// the dossier's code, unit, procedure and staff (when the staff member still
	// belongs there), the qr channel and the sipas survey unless one is set.
	// Errors: ENOTFOUND, ECONFLICT (already answered), EGONE (expired),
	// EINVALID (from Prepare), EUNAVAILABLE while closing.
	AnswerReceipt(token string, r *Response) error
	// FinishDossier records that the result of dossier code was returned at
	// finished, with supplement days (nil keeps the stored number). Errors:
	// ENOTFOUND, EINVALID (finish before receipt, supplement days out of range).
	FinishDossier(code string, finished time.Time, supplement *int) (*Dossier, error)
	// PutDossiers creates or updates dossiers by code in one transaction: all or
	// nothing. Errors: EINVALID with Field "dossiers[i].field".
	PutDossiers(ds []Dossier) error
	// Dossier returns the dossier with code, or ENOTFOUND.
	Dossier(code string) (*Dossier, error)
	// CountDossiers returns the timeliness counts of dossiers of the given units
	// received from..to (days in the installation's zone, inclusive).
	CountDossiers(units []string, from, to time.Time) (Timeliness, error)
	// EachDossier calls fn for every dossier of the given units received from..to
	// (calendar days in the installation's zone, inclusive), unit by unit in
	// received order, within one read transaction. fn must not keep d.
	EachDossier(units []string, from, to time.Time, fn func(d *Dossier) error) error
	// ReceiptExpiry returns when a token issued for a dossier received at
	// received expires by default: the end of the day, in the installation's
	// zone, Settings().Receipts.ExpiryDays days later.
	ReceiptExpiry(received time.Time) time.Time
	// ImportDossiers creates or updates dossiers by code from a CSV file with
	// the columns code,unit,procedure,received_at,due_at,finished_at,
	// supplement_days (finished_at and supplement_days may be empty; an optional
	// staff column names the staff member). A date alone means 00:00 that day in
	// the installation's zone, except that a due or finish date alone on the day
	// of a receipt time means that time (not a moment before the receipt).
	// Re-importing a code updates it (e.g. to fill finished_at) and keeps its
	// receipt's survey token; within one file the last row of a code wins. All
	// or nothing; the file is read into memory. Errors: *ImportError
	// (EINVALID), or a read error.
	ImportDossiers(r io.Reader) (ImportStats, error)
}

// UserService keeps the logins. It never leaves the installation without an
// enabled administrator.
type UserService interface {
	// CheckPassword returns the enabled user whose password matches, or nil.
	CheckPassword(username, password string) *User
	// Users returns every login, by username.
	Users() []User
	// User returns the login username, or nil.
	User(username string) *User
	// CreateUser adds a login with a bcrypt-hashed password; it never replaces
	// one.
	// Errors: EINVALID; ECONFLICT when the username is taken.
	CreateUser(u User, password string) error
	// UpdateUser changes a login's role, unit and disabled state and ends its
	// sessions. It refuses to disable or demote the last enabled administrator
	// (an installation that has none yet is not blocked).
	// Errors: ENOTFOUND, EINVALID, ECONFLICT (ErrLastAdmin).
	UpdateUser(username, role, unit string, disabled bool) error
	// SetPassword replaces a login's password and ends its other sessions
	// (keepSession is the id of the one to keep, or ""). Errors: ENOTFOUND, EINVALID.
	SetPassword(username, password, keepSession string) error
	// DeleteUser deletes a login and its sessions, refusing to delete the last
	// enabled administrator. Errors: ENOTFOUND, ECONFLICT (ErrLastAdmin).
	DeleteUser(username string) error
}

// TokenService keeps the API tokens, stored as hashes of their secrets.
type TokenService interface {
	// AddToken creates an API token and returns its secret (shown once).
	// Errors: EINVALID.
	AddToken(t Token) (string, error)
	// TokenBySecret returns the unrevoked token with this secret, or nil. An
	// error means the store could not be asked.
	TokenBySecret(secret string) (*Token, error)
	// Tokens returns every API token (hashes included, never secrets), by id.
	Tokens() []Token
	// RevokeToken revokes the token with this id; every later request with it
	// gets 401 (tokens are looked up on each request). Errors: ENOTFOUND.
	RevokeToken(id string) error
}

// SessionService keeps the server-side login sessions.
type SessionService interface {
	// CreateSession starts a session for username and returns its secret id
	// (for the cookie) and the session. Errors: ENOTFOUND for an unknown or
	// disabled user.
	CreateSession(username string) (string, *Session, error)
	// SessionUser returns the live session with this id and its user, touching
	// its idle clock. It returns nil when the session is unknown, expired, or
	// its user is gone or disabled; an expired session is deleted. An error
	// means the store could not be asked (never "unknown": a database that
	// is away must not log anyone out).
	SessionUser(id string, p SessionPolicy) (*Session, *User, error)
	// DeleteSession ends the session with this id (logout).
	DeleteSession(id string) error
	// PruneSessions deletes every expired session and returns how many.
	PruneSessions(p SessionPolicy) (int, error)
}

// AuditService keeps the audit log: who changed what, when.
type AuditService interface {
	// Audit appends an entry to the audit log (its time is set here).
	Audit(e AuditEntry) error
	// AuditLog returns up to limit entries, newest first, older than before
	// (zero: from the newest). No two entries have the same At, so paging by
	// the last entry's At never skips one.
	AuditLog(limit int, before time.Time) []AuditEntry
}

// ActionService keeps the improvement actions, with their audit.
type ActionService interface {
	// CreateAction stores a new action and returns it as stored. An empty ID
	// gets the bucket's next sequence number ("1", "2" …); a zero CreatedAt is
	// now (the demo backdates its story). Errors: EINVALID (a field, an unknown
	// unit or criterion, a done date in the future), ECONFLICT (id taken).
	CreateAction(a Action, actor string) (Action, error)
	// UpdateAction replaces an action's fields (not its id or creation) and
	// returns it as stored; the audit entry names what changed. Errors:
	// ENOTFOUND, EINVALID as CreateAction.
	UpdateAction(a Action, actor string) (Action, error)
	// CloseAction marks an action done on day done (YYYY-MM-DD), appending note
	// (if any) to its notes. Errors: ENOTFOUND; EINVALID (done_date missing,
	// malformed or in the future; notes too long); ECONFLICT when it is done
	// already.
	CloseAction(id, done, note, actor string) (Action, error)
	// CheckAction validates an action against the organisation and the
	// surveys: its fields (Action.Validate), an existing unit, criteria that
	// some survey asks, a done date not after today. Errors: EINVALID.
	CheckAction(a *Action) error
	// Action returns one action. Errors: ENOTFOUND.
	Action(id string) (*Action, error)
	// Actions lists the actions q selects, by id (numbers in numeric order).
	Actions(q ActionQuery) ([]Action, error)
}

// SettingsService keeps the installation's settings (Settings: every one
// typed, with its stored key, default and bounds in survey) and the
// key that hashes client addresses.
type SettingsService interface {
	// Settings returns the settings in force: a copy of a cached value, cheap
	// enough to call at every request. A stored value that is missing,
	// malformed or out of bounds reads as its default, so the result always
	// passes Validate.
	Settings() Settings
	// SaveSettings validates s and stores it in one transaction: all or
	// nothing. A caller changing some settings starts from Settings() and
	// changes only those. Only the values that differ from the stored ones
	// are written (a value stored in an older text form keeps it).
	// Everything takes effect with the commit (the misuse interval of the
	// writer included). Errors: EINVALID with the field (the first of
	// Settings.Problems), and then nothing is stored.
	SaveSettings(s Settings) error
	// ClientKey returns the installation's secret key for hashing client
	// addresses (rate limits keep no raw address), creating a random one on
	// first use.
	ClientKey() (string, error)
}

// Clock is the installation's time: days are cut in Loc, and Now is
// injectable so that tests can move time.
type Clock interface {
	// Loc returns the installation's time zone.
	Loc() *time.Location
	// Now returns the store's clock.
	Now() time.Time
}

// Maintainer is the store as a whole: backups, size and life cycle.
type Maintainer interface {
	// Close stops the writer after the queued submissions and closes the file.
	Close() error
	// Closing reports whether Close has begun.
	Closing() bool
	// Backup writes a consistent copy of the database to w while the server
	// keeps running (a read transaction sees one snapshot).
	Backup(w io.Writer) (int64, error)
	// BackupFile writes a consistent copy to path (via a temporary file, synced,
	// then renamed, so a crash never leaves a half-written backup under path).
	BackupFile(path string) (int64, error)
	// Snapshot begins a backup.
	Snapshot() (Snapshot, error)
	// Size returns the database file size in bytes.
	Size() int64
	// Location says where the data lives, for the administrator: a file
	// path, or a database address without its password.
	Location() string
	// BucketBytes returns the bytes allocated to each top-level bucket's pages.
	BucketBytes() map[string]int
	// IdemCount returns the number of stored idempotency keys.
	IdemCount() int
}

// CaseService keeps the PAKN cases and their contacts (survey/case.go). Every
// step writes an audit entry and an event (EventCaseOpened,
// EventCaseUpdated) in the transaction that makes it; the event becomes
// outbox deliveries for the webhooks that want it and, for openings and
// escalations, an alert to the managers of the unit's subtree.
type CaseService interface {
	// OpenCaseFromResponse opens a case for the stored response with UUID
	// responseID, with the citizen's contact (required for CaseAskReply,
	// optional for CasePetition) stored apart. The response must have a
	// negative answer (Negative) unless kind is CasePetition. The case gets
	// the response's unit, channel, dossier and comment as summary, status
	// new, opened by "citizen", due Settings().Cases.DeadlineDays working
	// days later. Errors: ENOTFOUND (no such response), EINVALID (kind;
	// contact: CheckContact's fields; field "response" when no answer is
	// negative), ECONFLICT (a case exists for that response already).
	OpenCaseFromResponse(responseID, kind string, contact *Contact) (Case, error)
	// OpenCase opens a case by hand (reception: a call, a letter). c.Unit,
	// Kind, Source and Summary come from the caller; ID, status, dates and
	// OpenedBy (actor) are set here. Errors: EINVALID (Case.Validate, unknown
	// unit, contact), ENOTFOUND (dossier given but unknown).
	OpenCase(c Case, contact *Contact, actor string) (Case, error)
	// InsertCases stores complete cases as given, in one transaction, all
	// or nothing (demo data; cases brought from another system): ids,
	// dates, steps, replies and ratings kept, contacts[i] (nil = none) with
	// case i, one case per response; the year's sequence moves past the
	// ids; no events, one audit entry (actor). Errors: EINVALID (field
	// "cases[i].<field>": Case.Validate, a malformed id, an unknown unit or
	// status, a contact), ECONFLICT (id or response taken).
	InsertCases(cs []Case, contacts []*Contact, actor string) error
	// Case returns one case. Errors: ENOTFOUND.
	Case(id string) (*Case, error)
	// Cases returns the cases q selects: overdue first (oldest deadline
	// first), then the others newest first.
	Cases(q CaseQuery) ([]Case, error)
	// CaseContact returns the contact of a case, nil when it has none or it
	// was purged; the read is audited (actor). Errors: ENOTFOUND.
	CaseContact(id, actor string) (*Contact, error)
	// UpdateCase applies u as actor and returns the case as stored. Status
	// replied needs a reply (ReplyCase); closed is final (a closed case
	// cannot be reopened or changed: ECONFLICT). An assignee must be an
	// enabled user, not a viewer, whose subtree covers the case's unit;
	// assigning a new case without a status puts it in progress. An update
	// that changes nothing stores nothing. Errors: ENOTFOUND, EINVALID
	// (field "status", "assignee", "note"), ECONFLICT.
	UpdateCase(id string, u CaseUpdate, actor string) (Case, error)
	// ReplyCase records the office's reply (status replied) and stores the
	// hash of ratingToken, the citizen's one-time link to rate the handling
	// ("" = no link). mail, when not nil, is queued in the outbox in the
	// same transaction (a reply by e-mail needs it). A second reply replaces
	// the first and its link, until the citizen has rated. Errors:
	// ENOTFOUND, EINVALID (field "text", "via"), ECONFLICT (closed, or
	// rated already).
	ReplyCase(id string, r CaseReply, ratingToken string, mail *Mail, actor string) (Case, error)
	// CaseByRatingToken returns the case whose unused rating link is token.
	// Errors: ENOTFOUND for anything else (forged, used, malformed).
	CaseByRatingToken(token string) (*Case, error)
	// RateCase records the citizen's rating (RatingGood or RatingBad) once
	// and invalidates the link. Errors: ENOTFOUND as CaseByRatingToken,
	// EINVALID (field "rating").
	RateCase(token, rating string) (Case, error)
	// EscalateOverdue escalates every case overdue at now and not yet
	// escalated to the parent of its unit (a top-level unit: to itself),
	// with an audit entry and an event each; it returns how many.
	EscalateOverdue(now time.Time) (int, error)
	// PurgeContacts deletes the contacts of cases closed more than
	// Settings().Retention.ContactDays days before now, marks the cases
	// ContactPurged and writes one audit entry when any were; it returns
	// how many.
	PurgeContacts(now time.Time) (int, error)
}

// CalendarService keeps the holidays of the working-day calendar. A new
// store holds DefaultHolidays.
type CalendarService interface {
	// Holidays returns the holidays, by day.
	Holidays() []Holiday
	// PutHoliday adds or renames a holiday, audited. Errors: EINVALID.
	PutHoliday(h Holiday, actor string) error
	// DeleteHoliday removes a holiday, audited. Errors: ENOTFOUND.
	DeleteHoliday(day, actor string) error
	// Calendar returns the working-day calendar in force.
	Calendar() Calendar
}

// OutboxService keeps the webhooks and the outbox of deliveries
// (survey/outbox.go).
type OutboxService interface {
	// Webhooks returns every webhook, by id.
	Webhooks() []Webhook
	// Webhook returns one webhook. Errors: ENOTFOUND.
	Webhook(id string) (*Webhook, error)
	// PutWebhook creates (empty ID: a new id and, if empty, a new secret) or
	// updates a webhook, audited, and returns it as stored. The URL check
	// (scheme, private addresses) is the caller's. Errors: EINVALID.
	PutWebhook(w Webhook, actor string) (Webhook, error)
	// DeleteWebhook deletes a webhook; its pending deliveries fail. Audited.
	// Errors: ENOTFOUND.
	DeleteWebhook(id, actor string) error
	// Enqueue stores deliveries of kind mail (or alert) in one transaction.
	// A delivery whose ID exists already is skipped (idempotent, so that a
	// job run twice or a retried alert sends nothing twice); an empty ID gets
	// a new one. Errors: EINVALID.
	Enqueue(ds ...Delivery) error
	// Due returns up to limit pending deliveries whose NextAt is not after
	// now, the oldest first.
	Due(now time.Time, limit int) ([]Delivery, error)
	// Attempted records an attempt: delivered, or else the next try at
	// a.At+Backoff(attempts), or failed after MaxAttempts. Errors: ENOTFOUND.
	Attempted(id string, a Attempt, delivered bool) error
	// Delivery returns one delivery. Errors: ENOTFOUND.
	Delivery(id string) (*Delivery, error)
	// Deliveries returns the deliveries q selects, newest first.
	Deliveries(q DeliveryQuery) ([]Delivery, error)
	// Redeliver puts a delivery back to pending, due now ("send again"),
	// audited. Errors: ENOTFOUND.
	Redeliver(id, actor string) error
	// PendingCount returns how many deliveries wait (pending), by kind.
	PendingCount() map[string]int
	// PruneDeliveries deletes the deliveries delivered or failed that were
	// created before before (the history the admin page lists), and
	// returns how many. Pending ones stay.
	PruneDeliveries(before time.Time) (int, error)
}

// NotifyService keeps who receives the managers' e-mails.
type NotifyService interface {
	// SetNotify sets a login's e-mail address and whether it receives the
	// alerts of new cases and the weekly digest, audited (actor).
	// Errors: ENOTFOUND, EINVALID (field "email").
	SetNotify(username, email string, alerts, digest bool, actor string) error
}
