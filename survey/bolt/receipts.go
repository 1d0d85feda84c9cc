package bolt

import (
	"bytes"
	"fmt"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// ReceiptExpiry returns when a token issued for a dossier received at
// received expires by default: the end of the day, in the installation's
// zone, Settings().Receipts.ExpiryDays days later.
func (db *DB) ReceiptExpiry(received time.Time) time.Time {
	loc := db.opts.Loc
	return survey.DayStart(survey.DayOf(received, loc)+int32(db.settings.Load().Receipts.ExpiryDays)+1, loc)
}

// IssueReceipt stores dossier d (created, or looked up by code) with a new
// survey token valid until expires (zero: ReceiptExpiry of its received
// time) and returns the token, shown once. actor is who asks (for the audit
// log).
//
// Issuing again for a dossier that exists and is not answered yet (a
// reprinted slip) replaces its token: the old one stops working. A re-issue
// never changes the dossier's record: unit, received and due times are
// identity and must equal the stored ones, procedure and staff must equal
// them or be empty (then the stored ones are kept); finish date and
// supplement days are always kept. Each re-issue writes an audit entry
// receipt.reissue in the same transaction. Errors: EINVALID (with the
// field), ECONFLICT (with the field) when the code belongs to another unit,
// its receipt was already answered, or the request differs from the stored
// record, EUNAVAILABLE while closing.
func (db *DB) IssueReceipt(actor string, d *survey.Dossier, expires time.Time) (string, error) {
	if err := db.checkReceipt(d, &expires); err != nil {
		return "", err
	}
	if db.Closing() {
		return "", survey.ErrClosed
	}
	token := survey.NewSecret()
	d.TokenHash, d.TokenExpires, d.Answered = survey.HashSecret(token), expires.UTC(), false
	err := db.update(func(tx *bbolt.Tx) error {
		rec := tx.Bucket(bReceipts)
		old, _, err := dossierByCode(tx, d.Code)
		if err != nil {
			return err
		}
		if old != nil {
			if err := db.reissue(tx, actor, old, d); err != nil {
				return err
			}
			if old.TokenHash != nil {
				if err := rec.Delete(old.TokenHash); err != nil {
					return err
				}
			}
		}
		td := newTxDict(db.dict, tx)
		tx.OnCommit(td.publish)
		if err := db.putDossier(tx, td, d); err != nil {
			return err
		}
		return rec.Put(d.TokenHash, []byte(d.Code))
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
func (db *DB) reissue(tx *bbolt.Tx, actor string, old, d *survey.Dossier) error {
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
	return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "receipt.reissue", Target: d.Code, Detail: detail})
}

// checkReceipt validates a dossier for a receipt and settles its expiry.
func (db *DB) checkReceipt(d *survey.Dossier, expires *time.Time) error {
	if err := db.checkDossier(d); err != nil {
		return err
	}
	if d.Staff != "" {
		db.mu.RLock()
		s := db.staff[d.Staff]
		ok := s != nil && db.related(s.Unit, d.Unit)
		db.mu.RUnlock()
		if !ok {
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

// dossierByCode reads the dossier with code and its key (nil, nil when none).
func dossierByCode(tx *bbolt.Tx, code string) (*survey.Dossier, []byte, error) {
	k := tx.Bucket(bDossCodes).Get([]byte(code))
	if k == nil {
		return nil, nil, nil
	}
	v := tx.Bucket(bDossiers).Get(k)
	if v == nil {
		return nil, nil, nil
	}
	d := &survey.Dossier{}
	if err := decodeDossier(v, d); err != nil {
		return nil, nil, err
	}
	return d, append([]byte(nil), k...), nil
}

var errNoReceipt = &survey.Error{Code: survey.ENOTFOUND, Message: "Mã đánh giá không đúng. / Unknown survey link."}

// receiptTx finds the dossier whose current token hashes to h.
func receiptTx(tx *bbolt.Tx, h []byte) (*survey.Dossier, []byte, error) {
	code := tx.Bucket(bReceipts).Get(h)
	if code == nil {
		return nil, nil, errNoReceipt
	}
	d, key, err := dossierByCode(tx, string(code))
	if err != nil {
		return nil, nil, err
	}
	if d == nil || !bytes.Equal(d.TokenHash, h) {
		return nil, nil, errNoReceipt // a replaced token, or a dossier re-keyed without it
	}
	return d, key, nil
}

// ReceiptByToken returns the dossier whose current survey token is token,
// answered or not, expired or not (see Dossier.Answerable). Errors:
// ENOTFOUND for anything else (malformed, unknown, replaced).
func (db *DB) ReceiptByToken(token string) (*survey.Dossier, error) {
	if !survey.ValidToken(token) {
		return nil, errNoReceipt
	}
	if db.Closing() {
		return nil, survey.ErrClosed
	}
	var d *survey.Dossier
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		d, _, err = receiptTx(tx, survey.HashSecret(token))
		return err
	})
	return d, err
}

// AnswerReceipt stores r as the one response to the receipt with token and
// marks the dossier answered, in one transaction: never a second response
// for a receipt, and never an answered flag without its response. r gets
// the dossier's code, unit, procedure and staff (when the staff member still
// belongs there), the qr channel and the sipas survey unless one is set.
// Errors: ENOTFOUND, ECONFLICT (already answered), EGONE (expired),
// EINVALID (from Prepare), EUNAVAILABLE while closing.
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
	return db.update(func(tx *bbolt.Tx) error {
		d, _, err := receiptTx(tx, h) // again: another submission may have won
		if err != nil {
			return err
		}
		if err := d.Answerable(db.opts.Now()); err != nil {
			return err
		}
		w := db.newTxWriter(tx)
		if _, err := w.insert(r); err != nil {
			return err
		}
		if err := db.emitResponse(tx, r); err != nil {
			return err
		}
		// w.insert marked the dossier answered (markAnswered).
		return w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, true)
	})
}

// fromDossier fills what a receipt's response takes from its dossier.
func (db *DB) fromDossier(r *survey.Response, d *survey.Dossier) {
	r.Dossier, r.Unit, r.Procedure, r.Staff, r.Channel = d.Code, d.Unit, d.Procedure, "", survey.ChannelQR
	if r.Survey == "" {
		r.Survey = survey.SurveySipas
	}
	if d.Staff != "" {
		// A staff member moved to another unit since: the rating stays the
		// unit's rather than be refused.
		db.mu.RLock()
		if s := db.staff[d.Staff]; s != nil && db.related(s.Unit, d.Unit) {
			r.Staff = d.Staff
		}
		db.mu.RUnlock()
	}
}

// FinishDossier records that the result of dossier code was returned at
// finished, with supplement days (nil keeps the stored number). Errors:
// ENOTFOUND, EINVALID (finish before receipt, supplement days out of range).
func (db *DB) FinishDossier(code string, finished time.Time, supplement *int) (*survey.Dossier, error) {
	if db.Closing() {
		return nil, survey.ErrClosed
	}
	var out *survey.Dossier
	err := db.update(func(tx *bbolt.Tx) error {
		d, key, err := dossierByCode(tx, code)
		if err != nil {
			return err
		}
		if d == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hồ sơ %q. / Dossier %q not found.", code, code)
		}
		was := d.FinishedAt
		d.FinishedAt = finished
		if supplement != nil {
			d.SupplementDays = *supplement
		}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := db.emitFinished(tx, d, was); err != nil {
			return err
		}
		out = d
		return tx.Bucket(bDossiers).Put(key, encodeDossier(d))
	})
	return out, err
}
