package bolt

import (
	"encoding/binary"
	"fmt"
	"hailong/survey"
	"strconv"
	"time"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"
)

// ncrit returns the number of criteria of a survey version by interned ids.
func (db *DB) ncrit(svy, version uint32) int {
	if sv := db.Survey(db.dict.name(kindSurvey, svy), int(version)); sv != nil {
		return len(sv.Criteria)
	}
	return 0
}

// Response returns the stored response with key, or ENOTFOUND.
func (db *DB) Response(key uint64) (*survey.Response, error) {
	var out *survey.Response
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bResponses).Get(u64(key))
		if v == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		var err error
		out, err = db.decodeResponse(u64(key), v)
		return err
	})
	return out, err
}

// ResponseByID returns the response stored under idempotency key id.
// Errors: ENOTFOUND, EINVALID when id is not a UUID.
func (db *DB) ResponseByID(id string) (*survey.Response, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, survey.FieldError("id", "id must be a UUID")
	}
	var key []byte
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if k := tx.Bucket(bIdem).Get(u[:]); k != nil {
			key = append([]byte(nil), k...)
		}
		return nil
	})
	if key == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
	}
	r, err := db.Response(binary.BigEndian.Uint64(key))
	if r != nil {
		r.ID = u.String()
	}
	return r, err
}

func (db *DB) decodeResponse(k, v []byte) (*survey.Response, error) {
	r, err := decodeRec(k, v, db.ncrit)
	if err != nil {
		return nil, fmt.Errorf("response %x: %w", k, err)
	}
	sv := db.Survey(db.dict.name(kindSurvey, r.svy), int(r.version))
	return db.toResponse(binary.BigEndian.Uint64(k), r, sv), nil
}

// EachResponse calls fn for every response submitted in [from, to), in time
// order, within one read transaction. A zero to means no upper bound.
func (db *DB) EachResponse(from, to time.Time, fn func(*survey.Response) error) error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bResponses).Cursor()
		start := uint64(0) // zero from: the beginning (UnixNano of the zero time overflows)
		if !from.IsZero() {
			start = uint64(from.UnixNano())
		}
		for k, v := c.Seek(u64(start)); k != nil; k, v = c.Next() {
			if !to.IsZero() && binary.BigEndian.Uint64(k) >= uint64(to.UnixNano()) {
				break
			}
			r, err := db.decodeResponse(k, v)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// ResponseCount returns the number of stored responses.
func (db *DB) ResponseCount() int {
	n := 0
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bResponses).Stats().KeyN
		return nil
	})
	return n
}

// IdemCount returns the number of stored idempotency keys.
func (db *DB) IdemCount() int {
	n := 0
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bIdem).Stats().KeyN
		return nil
	})
	return n
}

// FirstResponseAt returns when the earliest stored response was submitted
// (the zero time when there is none): a period that begins before it has
// data for part of its span only.
func (db *DB) FirstResponseAt() time.Time {
	var t time.Time
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bResponses).Cursor().First(); k != nil {
			t = time.Unix(0, int64(binary.BigEndian.Uint64(k)))
		}
		return nil
	})
	return t
}

// SetResponseFlags replaces the counting flags of one response (ref: its
// UUID or its decimal storage key) for reason. Responses are never edited
// otherwise; a change marks the response FlagReclassified, moves its counts
// to the new flag class, writes an audit record and notes the change in the
// change log, all in one transaction. Setting the flags it already has
// changes nothing. Errors: EINVALID (bad ref or flags; reason empty or too
// long, field "reason"), ENOTFOUND.
func (db *DB) SetResponseFlags(ref string, flags survey.Flags, actor, reason string) error {
	reason, err := checkFlagChange(flags, reason)
	if err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx) error {
		key, err := responseKey(tx, ref)
		if err != nil {
			return err
		}
		_, err = db.setFlags(tx, key, func(survey.Flags) survey.Flags { return flags }, actor, reason)
		return err
	})
}

// checkFlagChange validates the flags and the reason of a flag change and
// returns the reason trimmed.
func checkFlagChange(flags survey.Flags, reason string) (string, error) {
	if flags&^survey.FlagsAll != 0 {
		return "", survey.FieldError("flags", "Cờ không hợp lệ. / Unknown flags.")
	}
	return survey.CheckReason("reason", reason, true)
}

// setFlags changes the counting flags of the response with key to
// change(old) inside tx: counts, record, audit entry and change log. It
// reports whether anything changed.
func (db *DB) setFlags(tx *bbolt.Tx, key uint64, change func(survey.Flags) survey.Flags, actor, reason string) (bool, error) {
	k := u64(key)
	v := tx.Bucket(bResponses).Get(k)
	if v == nil {
		return false, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
	}
	rc, err := decodeRec(k, v, db.ncrit)
	if err != nil {
		return false, fmt.Errorf("response %x: %w", k, err)
	}
	old := survey.Flags(rc.flags)
	flags := change(old) & survey.FlagsCounting
	if old&survey.FlagsCounting == flags {
		return false, nil
	}
	flags |= survey.FlagReclassified
	w := db.newTxWriter(tx)
	sv := db.Survey(db.dict.name(kindSurvey, rc.svy), int(rc.version))
	if sv == nil {
		return false, fmt.Errorf("response %x: survey version missing", k)
	}
	crits, err := w.critIDs(sv)
	if err != nil {
		return false, err
	}
	w.agg.add(rc, sv, crits, db.opts.Loc, -1)
	rc.flags = byte(flags)
	w.agg.add(rc, sv, crits, db.opts.Loc, +1)
	if err := w.responses.Put(k, rc.encode(nil)); err != nil {
		return false, err
	}
	if err := w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, true); err != nil {
		return false, err
	}
	now, target := db.opts.Now(), strconv.FormatUint(key, 10)
	if err := putAudit(tx, now, survey.AuditEntry{Actor: actor, Action: "response.flags", Target: target,
		Detail: fmt.Sprintf("%s → %s: %s", old, flags, reason)}); err != nil {
		return false, err
	}
	return true, db.noteChange(tx, survey.Change{Kind: survey.ChangeFlags, Actor: actor, Reason: reason, Target: target,
		Detail: survey.FlagChangeDetail(old, flags), At: now})
}

// responseKey resolves a response reference: a UUID (idempotency key) or the
// decimal storage key.
func responseKey(tx *bbolt.Tx, ref string) (uint64, error) {
	if u, err := uuid.Parse(ref); err == nil {
		k := tx.Bucket(bIdem).Get(u[:])
		if k == nil {
			return 0, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		return binary.BigEndian.Uint64(k), nil
	}
	key, err := strconv.ParseUint(ref, 10, 64)
	if err != nil {
		return 0, survey.FieldError("id", "Mã phiếu không hợp lệ. / Invalid response reference.")
	}
	return key, nil
}

// PurgeComments removes the comment of every response submitted before
// cutoff, whenever it was stored, in transactions of at most 5,000
// rewritten records so that submissions are not held up; it returns how many
// were removed and, when any were, writes one audit entry. Counts are
// unaffected (comments are not counted).
func (db *DB) PurgeComments(cutoff time.Time) (int, error) {
	// Always from the first response: an import may store old responses, with
	// comments, after an earlier purge. Records without a comment are skipped
	// by one flag byte, so the scan is cheap.
	from, end := int64(0), cutoff.UnixNano()
	total := 0
	// The first transaction that removes a comment logs the change (a purge
	// cut short by a crash is still covered).
	note := &survey.Change{Kind: survey.ChangeRetention, Actor: "system",
		Target: cutoff.In(db.opts.Loc).Format(time.DateOnly), Detail: "comments submitted before " + cutoff.UTC().Format(time.RFC3339Nano)}
	for from < end {
		n, next, err := db.purgeChunk(from, end, 5000, note)
		if n > 0 {
			note = nil
		}
		if err != nil {
			return total, err
		}
		total += n
		from = next
	}
	if total == 0 {
		return 0, nil
	}
	err := db.update(func(tx *bbolt.Tx) error {
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: "system", Action: "comments.purge",
			Detail: fmt.Sprintf("%d comments before %s", total, cutoff.In(db.opts.Loc).Format(time.DateOnly))})
	})
	return total, err
}

// purgeChunk rewrites up to max records with a comment in [from, end) and
// returns the key to continue from.
func (db *DB) purgeChunk(from, end int64, max int, note *survey.Change) (n int, next int64, err error) {
	next = end
	err = db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bResponses)
		c := b.Cursor()
		type kv struct{ k, v []byte }
		var out []kv
		for k, v := c.Seek(u64(uint64(from))); k != nil && int64(binary.BigEndian.Uint64(k)) < end; k, v = c.Next() {
			if len(v) < 4 || v[3]&hasComment == 0 {
				continue
			}
			r, err := decodeRec(k, v, db.ncrit)
			if err != nil {
				return fmt.Errorf("response %x: %w", k, err)
			}
			r.comment = ""
			out = append(out, kv{append([]byte(nil), k...), r.encode(nil)})
			if len(out) == max {
				next = int64(binary.BigEndian.Uint64(k)) + 1
				break
			}
		}
		for _, x := range out {
			if err := b.Put(x.k, x.v); err != nil {
				return err
			}
		}
		n = len(out)
		if n > 0 && note != nil {
			return db.noteChange(tx, *note)
		}
		return nil
	})
	return n, next, err
}
