package bolt

import (
	"encoding/json"

	bbolt "go.etcd.io/bbolt"

	"hailong/survey"
)

// The records of issue 16 for the Exporter and Importer (export.go):
// cases with their contacts, holidays, webhooks and the outbox.

// exportCases emits every case with its contact (bucket "contacts").
func exportCases(tx *bbolt.Tx, emit func([]byte) error) error {
	contacts := tx.Bucket(bContacts)
	return tx.Bucket(bCases).ForEach(func(k, v []byte) error {
		var cr survey.CaseRecord
		if err := json.Unmarshal(v, &cr.Case); err != nil {
			return err
		}
		if ct := contacts.Get(k); ct != nil {
			cr.Contact = &survey.Contact{}
			if err := json.Unmarshal(ct, cr.Contact); err != nil {
				return err
			}
		}
		return marshalTo(&cr, emit)
	})
}

// importCaseKinds stores a holiday, webhook, case or delivery record.
func (db *DB) importCaseKinds(tx *bbolt.Tx, rec survey.Record) error {
	switch rec.Kind {
	case survey.RecHoliday:
		var h survey.Holiday
		// Replaced when present: a new store holds the default holidays.
		return decodeThen(rec, &h, func() error { return tx.Bucket(bHolidays).Put([]byte(h.Day), rec.Value) })
	case survey.RecWebhook:
		var w survey.Webhook
		return decodeThen(rec, &w, func() error {
			if err := putNew(tx, bWebhooks, []byte(w.ID), rec.Value); err != nil {
				return err
			}
			return db.refreshHooks(tx)
		})
	case survey.RecCase:
		var cr survey.CaseRecord
		return decodeThen(rec, &cr, func() error { return importCase(tx, &cr) })
	case survey.RecDelivery:
		var d survey.Delivery
		return decodeThen(rec, &d, func() error { return importDelivery(tx, &d, rec.Value) })
	}
	return survey.FieldError("kind", "unknown record kind %q", rec.Kind)
}

// importCase stores a case as it was, its contact, its response's index
// entry and its unused rating link, and moves its year's sequence past it.
func importCase(tx *bbolt.Tx, cr *survey.CaseRecord) error {
	c := &cr.Case
	if !caseIDPattern.MatchString(c.ID) {
		return survey.FieldError("id", "case id %q is not YYYY-NNNN", c.ID)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := putNew(tx, bCases, []byte(c.ID), b); err != nil {
		return err
	}
	if err := bumpCaseSeq(tx, c.ID); err != nil {
		return err
	}
	if c.Response != "" {
		if err := putNew(tx, bCaseResp, []byte(c.Response), []byte(c.ID)); err != nil {
			return err
		}
	}
	if cr.Contact != nil {
		if err := putJSON(tx, bContacts, c.ID, cr.Contact); err != nil {
			return err
		}
	}
	if c.RatingHash != nil {
		return tx.Bucket(bSecrets).Put(c.RatingHash, []byte(secretRating+c.ID))
	}
	return nil
}

// importDelivery stores a delivery as it was; a pending one is queued at
// its next attempt.
func importDelivery(tx *bbolt.Tx, d *survey.Delivery, v []byte) error {
	if err := putNew(tx, bOutbox, []byte(d.ID), v); err != nil {
		return err
	}
	if d.State == survey.DeliveryPending {
		return tx.Bucket(bOutQueue).Put(outQueueKey(d.NextAt, d.ID), nil)
	}
	return nil
}
