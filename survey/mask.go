package survey

import "regexp"

var (
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}`)
	// digits possibly split by single spaces, dots or dashes: phone numbers
	// written as 0905 123 456 or +84 905.123.456, and ID card numbers.
	numberRe = regexp.MustCompile(`\+?\d(?:[ .\-]?\d){7,14}`)
)

// MaskPII hides e-mail addresses, phone numbers and 9–12-digit ID numbers in
// a comment (SPEC: masked in dashboards and exports by default). Shorter
// numbers (a counter, an amount, a date) are left alone.
func MaskPII(s string) string {
	if s == "" {
		return s
	}
	s = emailRe.ReplaceAllString(s, "[email ẩn]")
	return numberRe.ReplaceAllStringFunc(s, func(m string) string {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 9 || digits > 13 {
			return m
		}
		return "[số ẩn]"
	})
}
