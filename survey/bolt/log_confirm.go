package bolt

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hailong/survey"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Confirmation codes: a response's log sequence number and a 24-bit MAC of
// it under the installation's secret, N = seq<<24 | mac, written in
// Crockford's base32 (no I, L, O, U), at least 10 characters, in groups of
// five from the right ("00K7Q-2M9XA"). No index is needed to look one up,
// and a code cannot be made up: a guess is right once in 16.7 million.

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeMinLen is the shortest code: 50 bits, seq < 2^26 (67 million).
const codeMinLen = 10

var errNoCode = survey.Errorf(survey.ENOTFOUND, "Không tìm thấy mã xác nhận này. Xin kiểm tra lại từng ký tự. / This confirmation code was not found. Please check each character.")

func (db *DB) codeMAC(seq uint64) uint64 {
	m := hmac.New(sha256.New, db.logKey)
	m.Write([]byte("hailong-confirm"))
	m.Write(u64(seq))
	s := m.Sum(nil)
	return uint64(s[0])<<16 | uint64(s[1])<<8 | uint64(s[2])
}

// ConfirmationCode returns the citizen's confirmation code of a stored
// response (r.Seq set by the store), "" when it has none.
func (db *DB) ConfirmationCode(r *survey.Response) string {
	if r == nil || r.Seq == 0 || r.Seq >= 1<<40 {
		return ""
	}
	n := r.Seq<<24 | db.codeMAC(r.Seq)
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

// parseCode reads a code as people type it: any case, with or without
// dashes and spaces, O for 0 and I or L for 1.
func (db *DB) parseCode(code string) (uint64, bool) {
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
	if seq == 0 || !hmac.Equal(u64(n&0xFFFFFF), u64(db.codeMAC(seq))) {
		return 0, false
	}
	return seq, true
}

// Confirmation looks a code up. A malformed, forged or unknown code is
// ENOTFOUND, always with the same message.
func (db *DB) Confirmation(code string) (*survey.Confirmation, error) {
	seq, ok := db.parseCode(code)
	if !ok {
		return nil, errNoCode
	}
	var out *survey.Confirmation
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		ent := getEntry(tx, seq)
		if ent == nil || ent.change {
			return errNoCode
		}
		out = &survey.Confirmation{}
		day, head := dayOfSeq(tx, seq)
		if day < 0 {
			return errNoCode
		}
		out.Day = survey.DayStart(day, time.UTC).Format(time.DateOnly)
		if day < survey.DayOf(db.opts.Now(), db.opts.Loc) {
			out.Head = head
		}
		v := tx.Bucket(bResponses).Get(u64(ent.key))
		if v == nil {
			out.Excluded = survey.ExcludedMissing
			if c := changeAfter(tx, seq, survey.ChangeWithdraw, func(e *survey.LogEntry) bool {
				for _, w := range e.Withdraw {
					if w.Seq == seq {
						return true
					}
				}
				return false
			}); c != nil {
				out.Excluded, out.ChangedBy = survey.ExcludedWithdrawn, c.Reason
			}
			return nil
		}
		rc, err := decodeRec(u64(ent.key), v, db.ncrit)
		if err != nil {
			return err
		}
		out.Unit = db.dict.name(kindUnit, rc.unit)
		flags := survey.Flags(rc.flags)
		switch {
		case flags&(survey.FlagMisuse|survey.FlagUnverified) == 0:
			out.Counted = true
		case rc.flags != ent.flags:
			out.Excluded = survey.ExcludedFlagsChanged
			if c := changeAfter(tx, seq, survey.ChangeFlags, func(e *survey.LogEntry) bool { return e.Key == ent.key }); c != nil {
				out.ChangedBy = c.Reason
			}
		case flags&survey.FlagMisuse != 0:
			out.Excluded = survey.ExcludedMisuse
		default:
			out.Excluded = survey.ExcludedUnverified
		}
		return nil
	})
	return out, err
}

// dayOfSeq returns the day whose head covers entry seq and that head
// (-1 when no head covers it). Heads are one per day: a short scan.
func dayOfSeq(tx *bbolt.Tx, seq uint64) (int32, *survey.Head) {
	c := tx.Bucket(bHeads).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if h, ok := headOf(k, v); ok && h.Entries >= seq {
			return int32(binary.BigEndian.Uint32(k)), &h
		}
	}
	return -1, nil
}

// changeAfter returns the last change of kind after entry seq that match
// accepts, read through the change index (changes are few).
func changeAfter(tx *bbolt.Tx, seq uint64, kind string, match func(*survey.LogEntry) bool) *survey.Change {
	var out *survey.Change
	c := tx.Bucket(bLogX).Cursor()
	for k, v := c.Seek(u64(seq + 1)); k != nil; k, v = c.Next() {
		if string(v) != kind {
			continue
		}
		s := binary.BigEndian.Uint64(k)
		if r := getEntry(tx, s); r != nil && r.change {
			if e, err := survey.DecodeChange(s, r.canon); err == nil && match(e) {
				out = e.Change
			}
		}
	}
	return out
}

// seqOf finds the entry of the response under key among the last
// logScanBack entries (0: not found).
func (db *DB) seqOf(key uint64) uint64 {
	var seq uint64
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		seq = seqsOf(tx, []uint64{key}, logScanBack)[key]
		return nil
	})
	return seq
}
