package pg

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// Events: written in the transaction of the change they report, as
// survey/bolt/outbox.go does. The enabled webhooks come from the cached
// snapshot (a webhook change notifies every server), so that a response
// stored when no webhook wants it costs nothing here.

// emit records an event in tx: one webhook delivery for each enabled
// webhook that wants its type and, for alerts (case openings and
// escalations), one alert delivery. Nothing is written when nobody wants
// the event.
func (tx *wtx) emit(typ string, data any, alert bool) error {
	hooks := tx.db.snap().hooks
	if !alert && !wanted(hooks, typ) {
		return nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	now := tx.db.opts.Now().UTC()
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
		if err := tx.enqueue(d); err != nil {
			return err
		}
	}
	if !alert {
		return nil
	}
	return tx.enqueue(&survey.Delivery{ID: ev.ID + ".alert", Kind: survey.DeliverAlert, Event: ev, CreatedAt: now, NextAt: now})
}

func wanted(hooks []survey.Webhook, typ string) bool {
	for i := range hooks {
		if hooks[i].Wants(typ) {
			return true
		}
	}
	return false
}

// enqueue stores a pending delivery; one whose id exists already is left
// as it is (idempotent).
func (tx *wtx) enqueue(d *survey.Delivery) error {
	d.State = survey.DeliveryPending
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO outbox (id, state, next_at, doc) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
		d.ID, d.State, d.NextAt, b)
	return err
}

// emitResponse emits response.created for a response just stored.
func (tx *wtx) emitResponse(r *survey.Response) error {
	if !wanted(tx.db.snap().hooks, survey.EventResponseCreated) {
		return nil // the hot path: nothing when no webhook wants it
	}
	return tx.emit(survey.EventResponseCreated, survey.ResponseEvent(r), false)
}

// emitFinished emits dossier.finished when d gets a finish time it did not
// have (was: the stored one), or another one.
func (tx *wtx) emitFinished(d *survey.Dossier, was time.Time) error {
	if d.FinishedAt.IsZero() || d.FinishedAt.Equal(was) {
		return nil
	}
	return tx.emit(survey.EventDossierFinished, survey.FinishedEvent(d, tx.db.opts.Loc), false)
}
