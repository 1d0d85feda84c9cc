package pg

import (
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The outbox (survey/outbox.go): the outbox table, delivery id → JSON
// Delivery with its state and next attempt (indexed while pending), and
// the webhooks table. Events are written in the transaction of the change
// they report, as survey/bolt/outbox.go does.

// emit records an event in tx: one webhook delivery for each enabled
// webhook that wants its type and, for alerts, one alert delivery.
// Nothing is written when nobody wants the event.
func (tx *wtx) emit(typ string, data any, alert bool) error {
	now := tx.db.opts.Now().UTC()
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
	hooks, err := tx.webhooks()
	if err != nil {
		return err
	}
	for _, w := range hooks {
		if !w.Wants(typ) {
			continue
		}
		e, err := event()
		if err != nil {
			return err
		}
		if err := tx.enqueue(&survey.Delivery{ID: e.ID + "." + w.ID, Kind: survey.DeliverWebhook, Webhook: w.ID, Event: e, CreatedAt: now, NextAt: now}); err != nil {
			return err
		}
	}
	if !alert {
		return nil
	}
	e, err := event()
	if err != nil {
		return err
	}
	return tx.enqueue(&survey.Delivery{ID: e.ID + ".alert", Kind: survey.DeliverAlert, Event: e, CreatedAt: now, NextAt: now})
}

func (tx *wtx) webhooks() ([]survey.Webhook, error) {
	rows, err := tx.Query(tx.c, "SELECT doc FROM webhooks ORDER BY id")
	if err != nil {
		return nil, err
	}
	var out []survey.Webhook
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
		var w survey.Webhook
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
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
