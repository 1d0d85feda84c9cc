package pg

import (
	"bytes"
	"fmt"
	"time"

	"hailong/survey"
)

// Receipts: a dossier's single-use survey token, as survey/bolt/receipts.go.

// ReceiptExpiry returns when a token issued for a dossier received at
// received expires by default: the end of the day, in the zone,
// Settings().Receipts.ExpiryDays days later.
func (db *DB) ReceiptExpiry(received time.Time) time.Time {
	loc := db.opts.Loc
	return survey.DayStart(survey.DayOf(received, loc)+int32(db.Settings().Receipts.ExpiryDays)+1, loc)
}

// IssueReceipt stores dossier d with a new survey token and returns the
// token (see survey.DossierService). Errors: EINVALID, ECONFLICT,
// EUNAVAILABLE while closing.
func (db *DB) IssueReceipt(actor string, d *survey.Dossier, expires time.Time) (string, error) {
	if err := db.checkReceipt(d, &expires); err != nil {
		return "", err
	}
	if db.Closing() {
		return "", survey.ErrClosed
	}
	token := survey.NewSecret()
	d.TokenHash, d.TokenExpires, d.Answered = survey.HashSecret(token), expires.UTC(), false
	err := db.update(func(tx *wtx) error {
		old, err := tx.dossier(d.Code)
		if err != nil {
			return err
		}
		if old != nil {
			if err := db.reissue(tx, actor, old, d); err != nil {
				return err
			}
			if old.TokenHash != nil {
				if _, err := tx.exec("DELETE FROM receipts WHERE hash = $1", old.TokenHash); err != nil {
					return err
				}
			}
		}
		if err := tx.putDossier(d); err != nil {
			return err
		}
		_, err = tx.exec("INSERT INTO receipts (hash, code) VALUES ($1, $2)", d.TokenHash, d.Code)
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// reissue checks a new receipt d for the stored dossier old, completes d
// from it and writes the audit entry. A re-issue is a reprint: the dates
// and who/what of a dossier decide the official timeliness figures, so a
// slip may never move them (corrections go through the dossiers import).
func (db *DB) reissue(tx *wtx, actor string, old, d *survey.Dossier) error {
	conflict := func(field, msg string) error {
		return &survey.Error{Code: survey.ECONFLICT, Field: field, Message: msg}
	}
	loc := db.opts.Loc
	switch {
	case old.Unit != d.Unit:
		return conflict("dossier_code", "Mã hồ sơ này đã được dùng cho một đơn vị khác. / This dossier code belongs to another unit.")
	case old.Answered:
		return conflict("dossier_code", "Hồ sơ này đã được người dân đánh giá; không cấp lại mã. / This dossier was already rated; no new code is issued.")
	case !old.ReceivedAt.Equal(d.ReceivedAt):
		at := old.ReceivedAt.In(loc).Format("02/01/2006 15:04")
		return conflict("received_at", fmt.Sprintf("Hồ sơ %s đã được tiếp nhận lúc %s; cấp lại giấy không đổi ngày tiếp nhận. / Dossier %s was received at %s; a re-issued receipt cannot change received_at.",
			d.Code, at, d.Code, old.ReceivedAt.In(loc).Format("2006-01-02 15:04")))
	case !old.DueAt.Equal(d.DueAt):
		return conflict("due_at", fmt.Sprintf("Hồ sơ %s có ngày hẹn trả %s; cấp lại giấy không đổi ngày hẹn trả. / Dossier %s is due on %s; a re-issued receipt cannot change due_at.",
			d.Code, old.DueAt.In(loc).Format("02/01/2006 15:04"), d.Code, old.DueAt.In(loc).Format("2006-01-02 15:04")))
	case d.Procedure != "" && d.Procedure != old.Procedure:
		return conflict("procedure", fmt.Sprintf("Hồ sơ %s thuộc thủ tục %q; cấp lại giấy không đổi thủ tục. / Dossier %s is for procedure %q; a re-issued receipt cannot change it.", d.Code, old.Procedure, d.Code, old.Procedure))
	case d.Staff != "" && d.Staff != old.Staff:
		return conflict("staff", fmt.Sprintf("Hồ sơ %s do công chức %q tiếp nhận; cấp lại giấy không đổi người tiếp nhận. / Dossier %s was received by %q; a re-issued receipt cannot change it.", d.Code, old.Staff, d.Code, old.Staff))
	}
	d.Procedure, d.Staff = old.Procedure, old.Staff
	d.FinishedAt, d.SupplementDays = old.FinishedAt, old.SupplementDays
	detail := "no earlier token (imported dossier)"
	if old.TokenHash != nil {
		detail = "old token revoked (valid until " + old.TokenExpires.In(loc).Format(time.DateOnly) + ")"
	}
	if !old.FinishedAt.IsZero() {
		detail += "; finished " + old.Outcome(loc).String()
	}
	return tx.audit(survey.AuditEntry{Actor: actor, Action: "receipt.reissue", Target: d.Code, Detail: detail})
}

// checkReceipt validates a dossier for a receipt and settles its expiry.
func (db *DB) checkReceipt(d *survey.Dossier, expires *time.Time) error {
	s := db.snap()
	if err := s.checkDossier(d); err != nil {
		return err
	}
	if d.Staff != "" {
		if st := s.staff[d.Staff]; st == nil || !s.related(st.Unit, d.Unit) {
			return survey.FieldError("staff", "Công chức %q không thuộc đơn vị %q. / Staff member %q does not belong to unit %q.", d.Staff, d.Unit, d.Staff, d.Unit)
		}
	}
	if expires.IsZero() {
		*expires = db.ReceiptExpiry(d.ReceivedAt)
	}
	switch {
	case !expires.After(d.ReceivedAt):
		return survey.FieldError("expires_at", "Hạn đánh giá phải sau ngày tiếp nhận. / expires_at must be after received_at.")
	case !expires.After(db.opts.Now()):
		return survey.FieldError("expires_at", "Hạn đánh giá đã qua. / expires_at is in the past.")
	case expires.Sub(d.ReceivedAt) > survey.MaxReceiptDays*24*time.Hour:
		return survey.FieldError("expires_at", "Hạn đánh giá dài quá %d ngày. / expires_at is more than %d days after received_at.", survey.MaxReceiptDays, survey.MaxReceiptDays)
	}
	return nil
}

var errNoReceipt = &survey.Error{Code: survey.ENOTFOUND, Message: "Mã đánh giá không đúng. / Unknown survey link."}

// receipt finds the dossier whose current token hashes to h.
func receipt(q querier, h []byte) (*survey.Dossier, error) {
	d, err := scanDossier(q.QueryRow(ctx(), "SELECT d.doc FROM receipts r JOIN dossiers d ON d.code = r.code WHERE r.hash = $1", h))
	if err != nil {
		return nil, err
	}
	if d == nil || !bytes.Equal(d.TokenHash, h) {
		return nil, errNoReceipt // unknown, or a replaced token
	}
	return d, nil
}

// ReceiptByToken returns the dossier whose current survey token is token.
// Errors: ENOTFOUND for anything else.
func (db *DB) ReceiptByToken(token string) (*survey.Dossier, error) {
	if !survey.ValidToken(token) {
		return nil, errNoReceipt
	}
	if db.Closing() {
		return nil, survey.ErrClosed
	}
	return receipt(db.pool, survey.HashSecret(token))
}

// AnswerReceipt stores r as the one response to the receipt with token and
// marks the dossier answered, in one transaction. Errors: ENOTFOUND,
// ECONFLICT, EGONE, EINVALID, EUNAVAILABLE while closing.
func (db *DB) AnswerReceipt(token string, r *survey.Response) error {
	d, err := db.ReceiptByToken(token)
	if err != nil {
		return err
	}
	if err := d.Answerable(db.opts.Now()); err != nil {
		return err
	}
	db.fromDossier(r, d)
	if err := db.Prepare(r); err != nil {
		return err
	}
	if db.Closing() {
		return survey.ErrClosed
	}
	h := survey.HashSecret(token)
	return db.update(func(tx *wtx) error {
		d, err := receipt(tx, h) // again: another submission may have won
		if err != nil {
			return err
		}
		if err := d.Answerable(db.opts.Now()); err != nil {
			return err
		}
		w := newTxWriter(tx)
		if _, err := w.insert(r); err != nil {
			return err
		}
		if err := w.agg.flush(tx); err != nil {
			return err
		}
		d.Answered = true
		return tx.putDossier(d)
	})
}

// fromDossier fills what a receipt's response takes from its dossier.
func (db *DB) fromDossier(r *survey.Response, d *survey.Dossier) {
	r.Dossier, r.Unit, r.Procedure, r.Staff, r.Channel = d.Code, d.Unit, d.Procedure, "", survey.ChannelQR
	if r.Survey == "" {
		r.Survey = survey.SurveySipas
	}
	if d.Staff != "" {
		s := db.snap()
		if st := s.staff[d.Staff]; st != nil && s.related(st.Unit, d.Unit) {
			r.Staff = d.Staff
		}
	}
}
