package survey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckReason validates why someone changes what counts (a flag change, a
// proposal, its decision, a batch withdrawal): one line of at most MaxReason
// characters, required unless required is false. It returns it trimmed.
// Errors: EINVALID with field.
func CheckReason(field, reason string, required bool) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "" && required:
		return "", FieldError(field, "Cần ghi lý do. / A reason is required.")
	case !utf8.ValidString(reason):
		return "", FieldError(field, "Lý do không phải văn bản UTF-8. / The reason is not UTF-8 text.")
	case utf8.RuneCountInString(reason) > MaxReason:
		return "", FieldError(field, "Lý do dài quá %d ký tự. / The reason is over %d characters.", MaxReason, MaxReason)
	case strings.IndexFunc(reason, unicode.IsControl) >= 0:
		return "", FieldError(field, "Lý do phải nằm trên một dòng. / The reason must be one line.")
	}
	return reason, nil
}

// FlagChangeDetail is a flag change in the stable text form of
// Change.Detail: "misuse: set", "unverified: cleared", comma-separated.
func FlagChangeDetail(old, now Flags) string {
	var out []string
	for _, x := range []struct {
		bit  Flags
		name string
	}{{FlagMisuse, "misuse"}, {FlagUnverified, "unverified"}} {
		switch {
		case old&x.bit == 0 && now&x.bit != 0:
			out = append(out, x.name+": set")
		case old&x.bit != 0 && now&x.bit == 0:
			out = append(out, x.name+": cleared")
		}
	}
	return strings.Join(out, ", ")
}

// ParseFlagChange reads a flag change as forms and the API name it: flag
// "misuse" or "unverified", op "set" or "clear". It returns the bits to set
// and to clear. Errors: EINVALID with field "flag" or "op".
func ParseFlagChange(flag, op string) (set, clear Flags, err error) {
	var bit Flags
	switch flag {
	case "misuse":
		bit = FlagMisuse
	case "unverified":
		bit = FlagUnverified
	default:
		return 0, 0, FieldError("flag", "Cờ phải là misuse hoặc unverified. / flag must be misuse or unverified.")
	}
	switch op {
	case "set":
		return bit, 0, nil
	case "clear":
		return 0, bit, nil
	}
	return 0, 0, FieldError("op", "op phải là set hoặc clear. / op must be set or clear.")
}
