package bolt

import (
	"encoding/binary"
	"encoding/json"
	"hailong/survey"
	"time"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"
)

// emit records an event in the transaction of the change it reports: one
// webhook delivery for each enabled webhook that wants its type and, for
// case openings and escalations (alert true), one alert delivery that the
// sender turns into mails to the managers. Nothing is written when nobody
// wants the event.
func (db *DB) emit(tx *bbolt.Tx, typ string, data any, alert bool) error {
	now := db.opts.Now().UTC()
	var ev *survey.Event
	event := func() (*survey.Event, error) {
		if ev == nil {
			b, err := json.Marshal(data)
			if err != nil {
				return nil, err
			}
			ev = &survey.Event{ID: uuid.NewString(), Type: typ, At: now, Data: b}
		}
		return ev, nil
	}
	err := tx.Bucket(bWebhooks).ForEach(func(_, v []byte) error {
		var w survey.Webhook
		if err := json.Unmarshal(v, &w); err != nil {
			return err
		}
		if !w.Wants(typ) {
			return nil
		}
		e, err := event()
		if err != nil {
			return err
		}
		return enqueue(tx, &survey.Delivery{ID: e.ID + "." + w.ID, Kind: survey.DeliverWebhook, Webhook: w.ID, Event: e, CreatedAt: now, NextAt: now})
	})
	if err != nil || !alert {
		return err
	}
	e, err := event()
	if err != nil {
		return err
	}
	return enqueue(tx, &survey.Delivery{ID: e.ID + ".alert", Kind: survey.DeliverAlert, Event: e, CreatedAt: now, NextAt: now})
}

// enqueue stores a pending delivery and its queue entry; a delivery whose
// id exists already is left as it is (idempotent).
func enqueue(tx *bbolt.Tx, d *survey.Delivery) error {
	if tx.Bucket(bOutbox).Get([]byte(d.ID)) != nil {
		return nil
	}
	d.State = survey.DeliveryPending
	if err := putJSON(tx, bOutbox, d.ID, d); err != nil {
		return err
	}
	return tx.Bucket(bOutQueue).Put(outQueueKey(d.NextAt, d.ID), nil)
}

// outQueueKey orders pending deliveries by their next attempt.
func outQueueKey(at time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(at.UnixNano()))
	return append(k, id...)
}
