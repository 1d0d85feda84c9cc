package survey

import (
	"strings"
	"unicode"
)

// Slug turns a Vietnamese name into an identifier: lower case, diacritics
// dropped, words joined by "-", anything else left out: "Nguyễn Thị Thu Hà"
// → "nguyen-thi-thu-ha", "Sở Văn hóa, Thể thao và Du lịch" →
// "so-van-hoa-the-thao-va-du-lich".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		r = foldVi(r)
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			dash = true
		}
	}
	return b.String()
}

var viFolds = []struct {
	base  rune
	marks string
}{
	{'a', "àáạảãâầấậẩẫăằắặẳẵ"}, {'e', "èéẹẻẽêềếệểễ"}, {'i', "ìíịỉĩ"},
	{'o', "òóọỏõôồốộổỗơờớợởỡ"}, {'u', "ùúụủũưừứựửữ"}, {'y', "ỳýỵỷỹ"}, {'d', "đ"},
}

// foldVi removes the Vietnamese diacritics of a lower-case letter.
func foldVi(r rune) rune {
	if r < 0x80 {
		return r
	}
	for _, g := range viFolds {
		if strings.ContainsRune(g.marks, r) {
			return g.base
		}
	}
	return r
}
