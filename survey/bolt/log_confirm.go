package bolt

import (
	"encoding/binary"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Confirmation codes (survey/confirm_code.go) under the installation's
// secret, and their lookup.

// ConfirmationCode returns the citizen's confirmation code of a stored
// response (r.Seq set by the store), "" when it has none.
func (db *DB) ConfirmationCode(r *survey.Response) string {
	if r == nil {
		return ""
	}
	return survey.ConfirmCodes{Key: db.logKey}.Code(r.Seq)
}

// Confirmation looks a code up. A malformed, forged or unknown code is
// ENOTFOUND, always with the same message.
func (db *DB) Confirmation(code string) (*survey.Confirmation, error) {
	seq, ok := survey.ConfirmCodes{Key: db.logKey}.Parse(code)
	if !ok {
		return nil, survey.ErrNoCode
	}
	var out *survey.Confirmation
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		ent := getEntry(tx, seq)
		if ent == nil || ent.change {
			return survey.ErrNoCode
		}
		out = &survey.Confirmation{}
		day, head := dayOfSeq(tx, seq)
		if day < 0 {
			return survey.ErrNoCode
		}
		out.Day = survey.DayStart(day, time.UTC).Format(time.DateOnly)
		if day < survey.DayOf(db.opts.Now(), db.opts.Loc) {
			out.Head = head
		}
		v := tx.Bucket(bResponses).Get(u64(ent.key))
		if v == nil {
			out.Excluded = survey.ExcludedMissing
			if c := changeAfter(tx, seq, survey.ChangeWithdraw, survey.Withdraws(seq)); c != nil {
				out.Excluded, out.ChangedBy = survey.ExcludedWithdrawn, c.Reason
			}
			return nil
		}
		rc, err := decodeRec(u64(ent.key), v, db.ncrit)
		if err != nil {
			return err
		}
		out.Unit = db.dict.name(kindUnit, rc.unit)
		out.SetCounted(survey.Flags(rc.flags), survey.Flags(ent.flags), func() {
			if c := changeAfter(tx, seq, survey.ChangeFlags, func(e *survey.LogEntry) bool { return e.Key == ent.key }); c != nil {
				out.ChangedBy = c.Reason
			}
		})
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
