package survey

import "time"

// Change kinds: what changes what counts, beside the responses themselves.
const (
	ChangeFlags     = "flags"     // a response's counting flags set or cleared (Target: response id)
	ChangeImport    = "import"    // a CSV import batch stored (Target: batch id)
	ChangeWithdraw  = "withdraw"  // an import batch withdrawn as a whole (Target: batch id)
	ChangeRetention = "retention" // comments removed by the retention setting (Target: cutoff day)
)

// Change is one change of what counts. Every change is appended, in the same
// transaction as the change itself, to the tamper-evident log (docs/
// INTEGRITY.md): who, why, what and when, so that an outsider can replay it.
type Change struct {
	Kind   string    // one of the Change* kinds
	Actor  string    // username, "system" for scheduled jobs
	Reason string    // why, as the administrator wrote it (required for flags)
	Target string    // what it applies to (response id, batch id, day)
	Detail string    // what changed, in a stable text form ("misuse: set", "rows=1200 sha256=…")
	At     time.Time // when (the store's clock)
}
