package pg

import (
	"hailong/survey"
)

// The records of issue 16 for the Exporter and Importer (export.go):
// cases with their contacts, holidays, webhooks and the outbox.

// importCaseKinds stores a holiday, webhook, case or delivery record.
func (tx *wtx) importCaseKinds(rec survey.Record, decode func(any) error) error {
	switch rec.Kind {
	case survey.RecHoliday:
		var h survey.Holiday
		if err := decode(&h); err != nil {
			return err
		}
		// Replaced when present: a new store holds the default holidays.
		_, err := tx.exec("INSERT INTO holidays (day, doc) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET doc = excluded.doc", h.Day, rec.Value)
		return err
	case survey.RecWebhook:
		var w survey.Webhook
		if err := decode(&w); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO webhooks (id, doc) VALUES ($1, $2)", w.ID, rec.Value)
		return err
	case survey.RecCase:
		var cr survey.CaseRecord
		if err := decode(&cr); err != nil {
			return err
		}
		return tx.importCase(&cr)
	case survey.RecDelivery:
		var d survey.Delivery
		if err := decode(&d); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO outbox (id, state, next_at, doc) VALUES ($1, $2, $3, $4)", d.ID, d.State, d.NextAt, rec.Value)
		return err
	}
	return survey.FieldError("kind", "unknown record kind %q", rec.Kind)
}

// importCase stores a case as it was with its contact and its unused
// rating link, and moves its year's sequence past it.
func (tx *wtx) importCase(cr *survey.CaseRecord) error {
	c := &cr.Case
	if !caseIDPattern.MatchString(c.ID) {
		return survey.FieldError("id", "case id %q is not YYYY-NNNN", c.ID)
	}
	var exists bool
	if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)", c.ID).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return survey.Errorf(survey.ECONFLICT, "case %q exists already", c.ID)
	}
	if err := tx.putCaseDoc(c); err != nil { // a response with a case already: a unique violation
		return err
	}
	if err := tx.bumpCaseSeq(c.ID); err != nil {
		return err
	}
	if cr.Contact != nil {
		if err := tx.putContact(c.ID, cr.Contact); err != nil {
			return err
		}
	}
	if c.RatingHash != nil {
		return tx.putSecret(c.RatingHash, secretRating, c.ID)
	}
	return nil
}
