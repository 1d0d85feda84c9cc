package pg

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Confirmation codes, as survey/bolt/log_confirm.go: a response's log
// sequence number and a 24-bit MAC of it under the installation's secret
// (meta log_key), in Crockford's base32.

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

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
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
	err := db.view(func(tx pgx.Tx) error {
		var kind string
		var key int64
		var flags int16
		err := tx.QueryRow(ctx(), "SELECT change_kind, key, flags FROM log WHERE seq = $1", int64(seq)).Scan(&kind, &key, &flags)
		if isNoRows(err) || err == nil && kind != "" {
			return errNoCode
		} else if err != nil {
			return err
		}
		var day int32
		var entries int64
		var h []byte
		err = tx.QueryRow(ctx(), "SELECT day, entries, hash FROM heads WHERE entries >= $1 ORDER BY day LIMIT 1", int64(seq)).Scan(&day, &entries, &h)
		if isNoRows(err) {
			return errNoCode
		} else if err != nil {
			return err
		}
		out = &survey.Confirmation{Day: survey.DayStart(day, time.UTC).Format(time.DateOnly)}
		if day < survey.DayOf(db.opts.Now(), db.opts.Loc) {
			hd := headOf(day, entries, h)
			out.Head = &hd
		}
		return db.confirmState(tx, out, seq, uint64(key), survey.Flags(flags))
	})
	return out, err
}

// confirmState says whether the response of entry seq counts, and why not.
func (db *DB) confirmState(tx pgx.Tx, out *survey.Confirmation, seq, key uint64, logged survey.Flags) error {
	var flags int16
	err := tx.QueryRow(ctx(), "SELECT unit, flags FROM responses WHERE key = $1", int64(key)).Scan(&out.Unit, &flags)
	if isNoRows(err) {
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
	} else if err != nil {
		return err
	}
	f := survey.Flags(flags)
	switch {
	case f&(survey.FlagMisuse|survey.FlagUnverified) == 0:
		out.Counted = true
	case f != logged:
		out.Excluded = survey.ExcludedFlagsChanged
		if c := changeAfter(tx, seq, survey.ChangeFlags, func(e *survey.LogEntry) bool { return e.Key == key }); c != nil {
			out.ChangedBy = c.Reason
		}
	case f&survey.FlagMisuse != 0:
		out.Excluded = survey.ExcludedMisuse
	default:
		out.Excluded = survey.ExcludedUnverified
	}
	return nil
}

// changeAfter returns the last change of kind after entry seq that match
// accepts.
func changeAfter(tx pgx.Tx, seq uint64, kind string, match func(*survey.LogEntry) bool) *survey.Change {
	rows, err := tx.Query(ctx(), "SELECT seq, canon FROM log WHERE seq > $1 AND change_kind = $2 ORDER BY seq", int64(seq), kind)
	if err != nil {
		return nil
	}
	var out *survey.Change
	var s int64
	var canon []byte
	_, _ = pgx.ForEachRow(rows, []any{&s, &canon}, func() error {
		if e, err := survey.DecodeChange(uint64(s), canon); err == nil && match(e) {
			out = e.Change
		}
		return nil
	})
	return out
}
