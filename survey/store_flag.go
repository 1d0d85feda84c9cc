package survey

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// SetResponseFlags replaces the flags of one response (ref: its UUID or its
// decimal storage key). Responses are never edited otherwise; the counts move
// from the old flag class to the new one and an audit record is written, all
// in one transaction. Setting the flags it already has changes nothing.
// Errors: EINVALID (bad ref or flags), ENOTFOUND.
func (db *DB) SetResponseFlags(ref string, flags Flags, actor string) error {
	if flags&^(FlagMisuse|FlagUnverified) != 0 {
		return FieldError("flags", "Cờ không hợp lệ. / Unknown flags.")
	}
	return db.update(func(tx *bolt.Tx) error {
		key, err := responseKey(tx, ref)
		if err != nil {
			return err
		}
		k := u64(key)
		v := tx.Bucket(bResponses).Get(k)
		if v == nil {
			return Errorf(ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		rc, err := decodeRec(k, v, db.ncrit)
		if err != nil {
			return fmt.Errorf("response %x: %w", k, err)
		}
		old := Flags(rc.flags)
		if old == flags {
			return nil
		}
		w := db.newTxWriter(tx)
		sv := db.Survey(db.dict.name(kindSurvey, rc.survey), int(rc.version))
		if sv == nil {
			return fmt.Errorf("response %x: survey version missing", k)
		}
		crits, err := w.critIDs(sv)
		if err != nil {
			return err
		}
		w.agg.add(rc, sv, crits, db.opts.Loc, -1)
		rc.flags = byte(flags)
		w.agg.add(rc, sv, crits, db.opts.Loc, +1)
		if err := w.responses.Put(k, rc.encode(nil)); err != nil {
			return err
		}
		if err := w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, true); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), AuditEntry{Actor: actor, Action: "response.flags", Target: strconv.FormatUint(key, 10),
			Detail: fmt.Sprintf("%s → %s", old, flags)})
	})
}

// responseKey resolves a response reference: a UUID (idempotency key) or the
// decimal storage key.
func responseKey(tx *bolt.Tx, ref string) (uint64, error) {
	if u, err := uuid.Parse(ref); err == nil {
		k := tx.Bucket(bIdem).Get(u[:])
		if k == nil {
			return 0, Errorf(ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		return binary.BigEndian.Uint64(k), nil
	}
	key, err := strconv.ParseUint(ref, 10, 64)
	if err != nil {
		return 0, FieldError("id", "Mã phiếu không hợp lệ. / Invalid response reference.")
	}
	return key, nil
}

// String names the flags for people: "misuse,unverified", or "none".
func (f Flags) String() string {
	s := ""
	if f&FlagMisuse != 0 {
		s = "misuse"
	}
	if f&FlagUnverified != 0 {
		if s != "" {
			s += ","
		}
		s += "unverified"
	}
	if s == "" {
		return "none"
	}
	return s
}
