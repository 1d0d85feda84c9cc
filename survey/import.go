package survey

import (
	"fmt"
	"strings"
	"time"
)

// CSV imports (SPEC "Public contract"): UTF-8 with an optional BOM, a header
// row whose columns are matched by name, RFC 3339 or YYYY-MM-DD dates, times
// without an offset in the installation's zone. Every import is all or
// nothing and reports problems by file line (the header is line 1).

// ImportStats reports what an import did.
type ImportStats struct {
	Rows     int
	Duration time.Duration
	Batch    string // the import batch of responses ("" for other kinds, or no row)
}

// ImportBatch is one import of a CSV file of responses: who, when, which
// file (its SHA-256), how many rows over which days, and, once withdrawn,
// who withdrew it, when and why. Every response of the batch is listed
// under it, so that the batch can be withdrawn as a whole.
type ImportBatch struct {
	ID       string    `json:"id"`
	Actor    string    `json:"actor"`     // who imported it (a username, or the CLI's --actor / OS user)
	At       time.Time `json:"at"`        // when the import began
	File     string    `json:"file"`      // the file's base name, as given
	SHA256   string    `json:"sha256"`    // of the file's bytes, hex
	Rows     int       `json:"rows"`      // responses stored
	FirstDay string    `json:"first_day"` // earliest submitted day, YYYY-MM-DD in the installation's zone
	LastDay  string    `json:"last_day"`  // latest submitted day
	Status   string    `json:"status"`    // one of the Batch* statuses
	// Withdrawal, when Status is BatchWithdrawing or BatchWithdrawn.
	WithdrawnBy string    `json:"withdrawn_by,omitempty"`
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero"`
	Reason      string    `json:"reason,omitempty"`
}

// Statuses of an ImportBatch.
const (
	BatchImporting   = "importing"   // being stored, or an import cut short by a crash (withdraw it)
	BatchStored      = "stored"      // every row stored and counted
	BatchWithdrawing = "withdrawing" // a withdrawal cut short: WithdrawBatch again finishes it
	BatchWithdrawn   = "withdrawn"   // every row deleted and un-counted
)

// MaxReason is the longest reason (CheckReason) a change of what counts
// takes, in characters.
const MaxReason = 500

// ImportProblem is one problem of an import file. Column is "" when the
// problem concerns the whole line.
type ImportProblem struct {
	Line    int
	Column  string
	Message string
}

// ImportError lists the problems that stopped an import; nothing was stored.
type ImportError struct {
	Problems []ImportProblem
}

const (
	MaxImportProblems = 100 // problems collected before an import stops reading
	shownProblems     = 20  // problems listed by Error
)

// Error lists the first problems, one per line.
func (e *ImportError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == shownProblems {
			fmt.Fprintf(&b, "\n… và %d lỗi khác. / … and %d more problems.", len(e.Problems)-i, len(e.Problems)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "line %d", p.Line)
		if p.Column != "" {
			fmt.Fprintf(&b, ", column %s", p.Column)
		}
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	if len(e.Problems) >= MaxImportProblems {
		fmt.Fprintf(&b, "\nĐã dừng kiểm tra sau %d lỗi. / Stopped checking after %d problems.", MaxImportProblems, MaxImportProblems)
	}
	return b.String()
}

// Unwrap makes an ImportError an EINVALID *Error (for ErrorCode and the
// HTTP error mapping) whose message is the list; it names no one field.
func (e *ImportError) Unwrap() error {
	return &Error{Code: EINVALID, Message: e.Error()}
}
