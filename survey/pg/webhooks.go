package pg

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"hailong/survey"
)

// Webhooks: the webhooks table, id → JSON Webhook, as survey/bolt/
// webhooks.go. The enabled ones are part of the cached snapshot (a change
// notifies every server), so that emit, called for every response stored,
// reads nothing.

// Webhooks returns every webhook, by id.
func (db *DB) Webhooks() []survey.Webhook {
	return docs[survey.Webhook](db, "SELECT doc FROM webhooks ORDER BY id")
}

// Webhook returns one webhook. Errors: ENOTFOUND.
func (db *DB) Webhook(id string) (*survey.Webhook, error) { return getWebhook(db.pool, id) }

func getWebhook(q querier, id string) (*survey.Webhook, error) {
	var b []byte
	err := q.QueryRow(ctx(), "SELECT doc FROM webhooks WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy webhook %q. / Webhook %q not found.", id, id)
	} else if err != nil {
		return nil, err
	}
	w := &survey.Webhook{}
	return w, json.Unmarshal(b, w)
}

// PutWebhook creates (empty ID: a new id and, if empty, a new secret) or
// updates a webhook, audited, and returns it as stored. Errors: EINVALID,
// ENOTFOUND (an ID that is not stored).
func (db *DB) PutWebhook(w survey.Webhook, actor string) (survey.Webhook, error) {
	if err := w.Validate(); err != nil {
		return survey.Webhook{}, err
	}
	err := db.update(func(tx *wtx) error {
		action := "webhook.update"
		if w.ID == "" {
			action, w.ID, w.CreatedAt = "webhook.create", uuid.NewString(), db.opts.Now().UTC()
		} else {
			old, err := getWebhook(tx, w.ID)
			if err != nil {
				return err
			}
			w.CreatedAt = old.CreatedAt
			if w.Secret == "" {
				w.Secret = old.Secret
			}
		}
		if w.Secret == "" {
			w.Secret = survey.NewSecret()
		}
		if err := tx.putDoc("webhooks", w.ID, w); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: action, Target: w.ID, Detail: webhookDetail(&w)})
	})
	if err != nil {
		return survey.Webhook{}, err
	}
	return w, nil
}

// webhookDetail describes a webhook for the audit log (never its secret).
func webhookDetail(w *survey.Webhook) string {
	s := fmt.Sprintf("%s %s events=%s", w.Name, w.URL, strings.Join(w.Events, ","))
	if w.AllowPrivate {
		s += " allow_private"
	}
	if w.Disabled {
		s += " disabled"
	}
	return s
}

// DeleteWebhook deletes a webhook; its pending deliveries fail. Audited.
// Errors: ENOTFOUND.
func (db *DB) DeleteWebhook(id, actor string) error {
	return db.update(func(tx *wtx) error {
		w, err := getWebhook(tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM webhooks WHERE id = $1", id); err != nil {
			return err
		}
		tx.changed()
		n, err := tx.failPending(id)
		if err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "webhook.delete", Target: id,
			Detail: fmt.Sprintf("%s %s; %d pending deliveries failed", w.Name, w.URL, n)})
	})
}

// failPending fails the pending deliveries of webhook id, with an attempt
// saying why, and returns how many.
func (tx *wtx) failPending(id string) (int, error) {
	ds, err := tx.deliveries("SELECT doc FROM outbox WHERE state = $1 AND doc->>'webhook' = $2", survey.DeliveryPending, id)
	if err != nil {
		return 0, err
	}
	now := tx.db.opts.Now().UTC()
	for i := range ds {
		d := &ds[i]
		d.State = survey.DeliveryFailed
		d.Attempts = append(d.Attempts, survey.Attempt{At: now, Error: "Webhook đã bị xoá. / The webhook was deleted."})
		if err := tx.putDelivery(d); err != nil {
			return 0, err
		}
	}
	return len(ds), nil
}
