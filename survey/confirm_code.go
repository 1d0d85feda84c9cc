package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// Confirmation codes: a response's log sequence number and a 24-bit MAC of
// it under the installation's secret, N = seq<<24 | mac, written in
// Crockford's base32 (no I, L, O, U), at least 10 characters, in groups of
// five from the right ("00K7Q-2M9XA"). No index is needed to look one up,
// and a code cannot be made up: a guess is right once in 16.7 million. Both
// stores use these, so that a code reads the same whichever wrote it.

// ConfirmCodes makes and reads the codes under one installation's secret
// (its log key).
type ConfirmCodes struct{ Key []byte }

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeMinLen is the shortest code: 50 bits, seq < 2^26 (67 million).
const codeMinLen = 10

// ErrNoCode answers a malformed, forged or unknown code, always alike.
var ErrNoCode = Errorf(ENOTFOUND, "Không tìm thấy mã xác nhận này. Xin kiểm tra lại từng ký tự. / This confirmation code was not found. Please check each character.")

func (c ConfirmCodes) mac(seq uint64) uint64 {
	m := hmac.New(sha256.New, c.Key)
	m.Write([]byte("hailong-confirm"))
	m.Write(be64(seq))
	s := m.Sum(nil)
	return uint64(s[0])<<16 | uint64(s[1])<<8 | uint64(s[2])
}

func be64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// Code returns the code of log entry seq ("" for none: 0, or beyond 2^40).
func (c ConfirmCodes) Code(seq uint64) string {
	if seq == 0 || seq >= 1<<40 {
		return ""
	}
	n := seq<<24 | c.mac(seq)
	var digits []byte
	for n > 0 || len(digits) < codeMinLen {
		digits = append(digits, crockford[n&31])
		n >>= 5
	}
	var b strings.Builder
	for i := len(digits) - 1; i >= 0; i-- {
		b.WriteByte(digits[i])
		if i > 0 && i%5 == 0 {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Parse reads a code as people type it (any case, with or without dashes
// and spaces, O for 0 and I or L for 1) and returns its entry's sequence
// number when its MAC is right.
func (c ConfirmCodes) Parse(code string) (uint64, bool) {
	var n uint64
	digits := 0
	for _, r := range strings.ToUpper(code) {
		switch r {
		case '-', ' ':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		i := strings.IndexRune(crockford, r)
		if i < 0 || digits >= 13 {
			return 0, false
		}
		n = n<<5 | uint64(i)
		digits++
	}
	if digits < codeMinLen {
		return 0, false
	}
	seq := n >> 24
	if seq == 0 || !hmac.Equal(be64(n&0xFFFFFF), be64(c.mac(seq))) {
		return 0, false
	}
	return seq, true
}

// SetCounted says in out whether a stored response counts, from its flags
// now and when it was logged; changed is called (and may fill ChangedBy)
// when an exclusion comes from a later flag change.
func (out *Confirmation) SetCounted(now, logged Flags, changed func()) {
	switch {
	case now&(FlagMisuse|FlagUnverified) == 0:
		out.Counted = true
	case now != logged:
		out.Excluded = ExcludedFlagsChanged
		changed()
	case now&FlagMisuse != 0:
		out.Excluded = ExcludedMisuse
	default:
		out.Excluded = ExcludedUnverified
	}
}

// Withdraws matches a withdrawal entry that lists log entry seq.
func Withdraws(seq uint64) func(*LogEntry) bool {
	return func(e *LogEntry) bool {
		for _, w := range e.Withdraw {
			if w.Seq == seq {
				return true
			}
		}
		return false
	}
}
