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
}

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
