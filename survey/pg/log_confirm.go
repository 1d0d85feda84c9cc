package pg

import (
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Confirmation codes (survey/confirm_code.go) under the installation's
// secret (meta log_key), and their lookup.

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
	err := db.view(func(tx pgx.Tx) error {
		var kind string
		var key int64
		var flags int16
		err := tx.QueryRow(ctx(), "SELECT change_kind, key, flags FROM log WHERE seq = $1", int64(seq)).Scan(&kind, &key, &flags)
		if isNoRows(err) || err == nil && kind != "" {
			return survey.ErrNoCode
		} else if err != nil {
			return err
		}
		var day int32
		var entries int64
		var h []byte
		err = tx.QueryRow(ctx(), "SELECT day, entries, hash FROM heads WHERE entries >= $1 ORDER BY day LIMIT 1", int64(seq)).Scan(&day, &entries, &h)
		if isNoRows(err) {
			return survey.ErrNoCode
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
		if c := changeAfter(tx, seq, survey.ChangeWithdraw, survey.Withdraws(seq)); c != nil {
			out.Excluded, out.ChangedBy = survey.ExcludedWithdrawn, c.Reason
		}
		return nil
	} else if err != nil {
		return err
	}
	out.SetCounted(survey.Flags(flags), logged, func() {
		if c := changeAfter(tx, seq, survey.ChangeFlags, func(e *survey.LogEntry) bool { return e.Key == key }); c != nil {
			out.ChangedBy = c.Reason
		}
	})
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
