package pg

import (
	"fmt"
	"time"

	"hailong/survey"
)

// SetResponseFlags replaces the counting flags of one response (see
// survey.ResponseService). Errors: EINVALID, ENOTFOUND.
func (db *DB) SetResponseFlags(ref string, flags survey.Flags, actor, reason string) error {
	if flags&^survey.FlagsAll != 0 {
		return survey.FieldError("flags", "Cờ không hợp lệ. / Unknown flags.")
	}
	reason, err := survey.CheckReason("reason", reason, true)
	if err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		key, err := responseKey(tx, ref)
		if err != nil {
			return err
		}
		_, err = tx.setFlags(key, func(survey.Flags) survey.Flags { return flags }, actor, reason)
		return err
	})
}

// setFlags changes the counting flags of the response with key to
// change(old): counts, record, audit entry and change log. It reports
// whether anything changed.
func (tx *wtx) setFlags(key uint64, change func(survey.Flags) survey.Flags, actor, reason string) (bool, error) {
	r, err := scanResponse(tx.queryRow("SELECT "+responseCols+" FROM responses WHERE key = $1 FOR UPDATE", int64(key)))
	if isNoRows(err) {
		return false, errNoResponse
	} else if err != nil {
		return false, err
	}
	old := r.Flags
	flags := change(old) & survey.FlagsCounting
	if old&survey.FlagsCounting == flags {
		return false, nil
	}
	flags |= survey.FlagReclassified
	sv := tx.db.Survey(r.Survey, r.Version)
	if sv == nil {
		return false, fmt.Errorf("response %d: survey version missing", key)
	}
	agg := newAggDelta()
	agg.add(r, sv, tx.db.opts.Loc, -1)
	r.Flags = flags
	agg.add(r, sv, tx.db.opts.Loc, +1)
	if _, err := tx.exec("UPDATE responses SET flags = $2 WHERE key = $1", int64(key), int16(flags)); err != nil {
		return false, err
	}
	if err := agg.flush(tx); err != nil {
		return false, err
	}
	now, target := tx.db.opts.Now(), keyText(key)
	if err := tx.audit(survey.AuditEntry{Actor: actor, Action: "response.flags", Target: target,
		Detail: fmt.Sprintf("%s → %s: %s", old, flags, reason)}); err != nil {
		return false, err
	}
	return true, tx.noteChange(survey.Change{Kind: survey.ChangeFlags, Actor: actor, Reason: reason, Target: target,
		Detail: survey.FlagChangeDetail(old, flags), At: now})
}

// PurgeComments removes the comment of every response submitted before
// cutoff, in transactions of at most 5,000 rows, and writes one audit
// entry when any were removed. Counts are unaffected.
func (db *DB) PurgeComments(cutoff time.Time) (int, error) {
	end := cutoff.UnixNano()
	total := 0
	note := &survey.Change{Kind: survey.ChangeRetention, Actor: "system",
		Target: cutoff.In(db.opts.Loc).Format(time.DateOnly), Detail: "comments submitted before " + cutoff.UTC().Format(time.RFC3339Nano)}
	for {
		n := 0
		err := db.update(func(tx *wtx) error {
			tag, err := tx.exec(`UPDATE responses SET comment = '' WHERE key IN (
				SELECT key FROM responses WHERE key < $1 AND comment <> '' ORDER BY key LIMIT 5000)`, end)
			if err != nil {
				return err
			}
			n = int(tag.RowsAffected())
			if n > 0 && note != nil {
				return tx.noteChange(*note)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		if n > 0 {
			note = nil
		}
		total += n
		if n < 5000 {
			break
		}
	}
	if total == 0 {
		return 0, nil
	}
	err := db.Audit(survey.AuditEntry{Actor: "system", Action: "comments.purge",
		Detail: fmt.Sprintf("%d comments before %s", total, cutoff.In(db.opts.Loc).Format(time.DateOnly))})
	return total, err
}
