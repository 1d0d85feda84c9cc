package survey

import "encoding/json"

// Exporter and Importer carry a whole installation from one store to
// another (`hailong migrate`, e.g. bbolt → PostgreSQL) where the services
// have no path that keeps an item as it is: the services' writes create
// (new ids, new secrets, now as the time, an audit entry), while a
// migration must copy — password and token hashes, kiosk key hashes,
// receipt token hashes, audit times, survey version numbers, responses
// with their storage keys and final flags, cases with their ids, steps and
// rating link hashes, webhooks with their secrets, deliveries with their
// attempts and state. Everything else (units, groups,
// counters, staff and photos, who is on duty, procedures, which survey a
// unit uses, settings) goes through the services. Nothing else may call
// them: they skip validation of references the source store guaranteed.

// Kinds of Record, in the order an Importer needs them (a response's
// survey version before the response, its batch after it; webhooks after
// the responses, so that no copied item emits an event).
const (
	RecSurvey   = "survey"   // Value: Survey, one version (its number kept)
	RecKiosk    = "kiosk"    // Value: Kiosk, with its pairing and device key hashes
	RecUser     = "user"     // Value: User, with its password hash
	RecToken    = "token"    // Value: Token, with its hash
	RecDossier  = "dossier"  // Value: Dossier, with its receipt token hash, expiry and answered mark
	RecResponse = "response" // Value: Response, with Key, ID and Flags as stored
	RecBatch    = "batch"    // Value: BatchRecord
	RecAudit    = "audit"    // Value: AuditEntry, At as stored
	RecAction   = "action"   // Value: Action as stored
	RecProposal = "proposal" // Value: FlagProposal as stored
	RecHoliday  = "holiday"  // Value: Holiday
	RecWebhook  = "webhook"  // Value: Webhook, with its id, secret and creation time
	RecCase     = "case"     // Value: CaseRecord: the case as stored (steps, reply, rating link hash) and its contact
	RecDelivery = "delivery" // Value: Delivery, with its state, attempts and next attempt
)

// RecordKinds lists the kinds in import order.
var RecordKinds = []string{RecSurvey, RecKiosk, RecUser, RecToken, RecDossier, RecResponse, RecBatch, RecAudit, RecAction, RecProposal,
	RecHoliday, RecWebhook, RecCase, RecDelivery}

// Record is one stored item: its kind and the JSON of its survey type.
type Record struct {
	Kind  string          `json:"kind"`
	Value json.RawMessage `json:"value"`
}

// CaseRecord is a case with its contact, which the stores keep apart (nil:
// none, or purged). The importer moves the year's case sequence past the
// id, indexes the response and keeps an unused rating link working.
type CaseRecord struct {
	Case    Case     `json:"case"`
	Contact *Contact `json:"contact,omitempty"`
}

// BatchRecord is an import batch and the storage keys of its responses
// (what a withdrawal deletes).
type BatchRecord struct {
	Batch ImportBatch `json:"batch"`
	Keys  []uint64    `json:"keys"`
}

// Exporter reads every item of the kinds above.
type Exporter interface {
	// Export calls fn for every record of kind, in the store's order
	// (responses by key), within one read transaction or snapshot.
	Export(kind string, fn func(Record) error) error
}

// Importer writes records exported from another store.
type Importer interface {
	// Import stores recs (all of one kind) in one transaction, as they are:
	// responses keep their key, id and flags (no misuse rule runs) and go
	// into the counts and the tamper-evident log of this store; a survey
	// version the store holds is replaced (a new store holds the built-in
	// surveys, which the source's versions replace); so is a holiday (a new
	// store holds the default holidays). Errors:
	// EINVALID for an unknown kind or a value that does not decode,
	// ECONFLICT when an item exists already.
	Import(kind string, recs []Record) error
}
