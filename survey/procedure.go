package survey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Procedure is an administrative procedure (thủ tục hành chính) of the
// catalogue: its code, as the one-stop system and the receipts use it, and
// its name. Slips, the mobile form, the dashboard's breakdown by procedure
// and the report show the name; a code without a catalogue entry shows as
// the code. Stored in the meta bucket as "procedure:<code>" = name.
type Procedure struct {
	Code, Name string
}

// MaxProcedureName bounds a procedure's name (the longest official names
// are about 250 characters).
const MaxProcedureName = 400

// Validate checks a catalogue entry: a code as responses and dossiers
// accept it (non-empty), and a name.
func (p Procedure) Validate() error {
	if p.Code == "" {
		return FieldError("code", "Thiếu mã thủ tục. / The procedure code is missing.")
	}
	if err := checkCode("code", p.Code); err != nil {
		return err
	}
	switch {
	case p.Name == "":
		return FieldError("name", "Thiếu tên thủ tục. / The procedure name is missing.")
	case !utf8.ValidString(p.Name) || utf8.RuneCountInString(p.Name) > MaxProcedureName:
		return FieldError("name", "Tên thủ tục dài quá %d ký tự hoặc không hợp lệ. / Name invalid or longer than %d characters.", MaxProcedureName, MaxProcedureName)
	case strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
		return FieldError("name", "Tên thủ tục chứa ký tự điều khiển. / The name contains control characters.")
	}
	return nil
}
