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
// sender turns into mails to the managers. Nothing is written, and data is
// not even encoded, when nobody wants the event: the enabled webhooks are
// read from memory (db.hooks), which every webhook change replaces at its
// commit, before the next write transaction starts.
func (db *DB) emit(tx *bbolt.Tx, typ string, data any, alert bool) error {
	var hooks []survey.Webhook
	if p := db.hooks.Load(); p != nil {
		hooks = *p
	}
	if !alert && !wanted(hooks, typ) {
		return nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	now := db.opts.Now().UTC()
	// A time-ordered UUID (version 7): the outbox's keys, which begin with
	// it, then append instead of splitting pages all over the bucket.
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	ev := &survey.Event{ID: id.String(), Type: typ, At: now, Data: b}
	for _, w := range hooks {
		if !w.Wants(typ) {
			continue
		}
		d := &survey.Delivery{ID: ev.ID + "." + w.ID, Kind: survey.DeliverWebhook, Webhook: w.ID, Event: ev, CreatedAt: now, NextAt: now}
		if err := enqueue(tx, d); err != nil {
			return err
		}
	}
	if !alert {
		return nil
	}
	return enqueue(tx, &survey.Delivery{ID: ev.ID + ".alert", Kind: survey.DeliverAlert, Event: ev, CreatedAt: now, NextAt: now})
}

func wanted(hooks []survey.Webhook, typ string) bool {
	for i := range hooks {
		if hooks[i].Wants(typ) {
			return true
		}
	}
	return false
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

// emitResponse emits response.created for a response just stored.
func (db *DB) emitResponse(tx *bbolt.Tx, r *survey.Response) error {
	if p := db.hooks.Load(); p == nil || !wanted(*p, survey.EventResponseCreated) {
		return nil // the hot path: no allocation when no webhook wants it
	}
	return db.emit(tx, survey.EventResponseCreated, survey.ResponseEvent(r), false)
}

// emitFinished emits dossier.finished when d gets a finish time it did
// not have (was: the stored one), or another one.
func (db *DB) emitFinished(tx *bbolt.Tx, d *survey.Dossier, was time.Time) error {
	if d.FinishedAt.IsZero() || d.FinishedAt.Equal(was) {
		return nil
	}
	return db.emit(tx, survey.EventDossierFinished, survey.FinishedEvent(d, db.opts.Loc), false)
}
