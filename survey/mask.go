package survey

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Masks shown in place of what MaskPII hides.
const (
	maskEmail  = "[email ẩn]"
	maskNumber = "[số ẩn]"
)

// LongRun is the number of digits from which a number is always masked,
// whatever it is: a CMND has 9 digits, a phone number 10, a tax code 10 or
// 13, a CCCD 12.
const LongRun = 9

var emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}`)

// MaskPII hides e-mail addresses and personal numbers in a comment (SPEC:
// masked in dashboards and exports by default): phone numbers (0912 345 678,
// +84 912.345.678, (028) 3822 1234), CMND (9 digits) and CCCD (12) numbers,
// tax codes (10 or 13 digits, 0123456789-001) and any other run of LongRun
// or more digits, each number separately even when two are written side by
// side. Digits count as one run across single spaces, dots, dashes and
// parentheses. Shorter numbers (a counter, an amount, a date, a waiting time)
// are left alone.
func MaskPII(s string) string {
	if s == "" {
		return s
	}
	s = emailRe.ReplaceAllString(s, maskEmail)
	var b strings.Builder
	last := 0
	for _, ch := range digitChains(s) {
		for _, r := range numberRanges(ch) {
			start, end := maskSpan(s, ch, r)
			start = max(start, last)
			b.WriteString(s[last:start])
			b.WriteString(maskNumber)
			last = end
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// digitGroup is a maximal run of digits: s[start:end], n digits.
type digitGroup struct {
	start, end, n int
	digits        string
	sep           rune // what joins it to the previous group of its chain
}

// digitChains lists the digit groups of s, chained when only a joiner
// (see joiner) stands between them.
func digitChains(s string) [][]digitGroup {
	var chains [][]digitGroup
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			i += size
			continue
		}
		g := digitGroup{start: i}
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !unicode.IsDigit(r) {
				break
			}
			i += size
			g.n++
		}
		g.end, g.digits = i, s[g.start:i]
		if k := len(chains) - 1; k >= 0 {
			if sep, ok := joiner(s[chains[k][len(chains[k])-1].end:g.start]); ok {
				g.sep = sep
				chains[k] = append(chains[k], g)
				continue
			}
		}
		chains = append(chains, []digitGroup{g})
	}
	return chains
}

// joiner reports whether gap, the text between two digit groups, keeps them
// in one number: at most one separator (space, no-break space, dot, dash,
// en dash), with a closing parenthesis before it or an opening one after it,
// as in 0912 345 678, 0912.345.678, 091-234-5678 and (028) 3822 1234.
func joiner(gap string) (rune, bool) {
	gap = strings.TrimPrefix(gap, ")")
	gap = strings.TrimSuffix(gap, "(")
	if gap == "" {
		return ' ', true
	}
	r, size := utf8.DecodeRuneInString(gap)
	if size != len(gap) || !strings.ContainsRune(" \u00a0\u202f.-–", r) {
		return 0, false
	}
	return r, true
}

// numberRanges splits a chain into the group ranges [i, j) to mask: each
// number found by numberAt, and any other stretch of LongRun or more digits.
func numberRanges(ch []digitGroup) [][2]int {
	var out [][2]int
	free := 0 // first group of the current unmasked stretch
	for i := 0; i < len(ch); {
		k := numberAt(ch, i)
		if k == 0 {
			i++
			continue
		}
		out = appendLongRun(out, ch, free, i)
		out = append(out, [2]int{i, i + k})
		i += k
		free = i
	}
	return appendLongRun(out, ch, free, len(ch))
}

func appendLongRun(out [][2]int, ch []digitGroup, from, to int) [][2]int {
	n := 0
	for _, g := range ch[from:to] {
		n += g.n
	}
	if n >= LongRun {
		out = append(out, [2]int{from, to})
	}
	return out
}

// numberAt is how many groups from ch[i] make up one personal number, 0 if
// none does. A group of LongRun or more digits is a number by itself (two
// numbers written side by side stay two), extended only by a tax code's
// branch (0123456789-001); shorter groups are read together into the longest
// number they can make (when in doubt, mask more rather than less).
func numberAt(ch []digitGroup, i int) int {
	if ch[i].n >= LongRun {
		if ch[i].n == 10 && i+1 < len(ch) && ch[i+1].sep == '-' && ch[i+1].n == 3 {
			return 2
		}
		return 1
	}
	best, digits, n := 0, ch[i].digits, ch[i].n
	for j := i + 1; j < len(ch); j++ {
		g := ch[j]
		if n+g.n > 13 || (g.n >= LongRun && !(j == i+1 && digits == "84")) {
			break
		}
		digits, n = digits+g.digits, n+g.n
		if personalNumber(digits, n) {
			best = j - i + 1
		}
	}
	return best
}

// personalNumber reports whether n digits can be one number: a CMND (9), a
// mobile number or a tax code (10), a landline (028 3822 1234) or a mobile
// with the country code (84 912 345 678) (11), a CCCD or a landline with the
// country code (12), a tax code with its branch (13).
func personalNumber(digits string, n int) bool {
	switch n {
	case 9, 10, 12, 13:
		return true
	case 11:
		return strings.HasPrefix(digits, "02") || strings.HasPrefix(digits, "84")
	}
	return false
}

// maskSpan is the byte span of s that hides groups r of ch: from the first
// digit to the last, with a leading "+" or "(" and a closing ")".
func maskSpan(s string, ch []digitGroup, r [2]int) (start, end int) {
	start, end = ch[r[0]].start, ch[r[1]-1].end
	if start > 0 && s[start-1] == '(' {
		start--
	}
	if start > 0 && s[start-1] == '+' {
		start--
	}
	if strings.Count(s[start:end], "(") > strings.Count(s[start:end], ")") && end < len(s) && s[end] == ')' {
		end++
	}
	return start, end
}
