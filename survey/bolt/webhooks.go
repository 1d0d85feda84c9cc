package bolt

import (
	"encoding/json"
	"fmt"
	"hailong/survey"
	"strings"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"
)

// Webhooks: bucket "webhooks", webhook id → JSON Webhook. The enabled ones
// are also kept in memory (db.hooks), replaced at the commit of every
// change, so that emit — called for every response stored — decodes
// nothing.

// Webhooks returns every webhook, by id.
func (db *DB) Webhooks() []survey.Webhook {
	var out []survey.Webhook
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		out, err = webhooksTx(tx)
		return err
	})
	return out
}

func webhooksTx(tx *bbolt.Tx) ([]survey.Webhook, error) {
	var out []survey.Webhook
	err := tx.Bucket(bWebhooks).ForEach(func(_, v []byte) error {
		var w survey.Webhook
		if err := json.Unmarshal(v, &w); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
}

// Webhook returns one webhook. Errors: ENOTFOUND.
func (db *DB) Webhook(id string) (*survey.Webhook, error) {
	var w *survey.Webhook
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		w, err = webhookTx(tx, id)
		return err
	})
	return w, err
}

func webhookTx(tx *bbolt.Tx, id string) (*survey.Webhook, error) {
	v := tx.Bucket(bWebhooks).Get([]byte(id))
	if v == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy webhook %q. / Webhook %q not found.", id, id)
	}
	w := &survey.Webhook{}
	return w, json.Unmarshal(v, w)
}

// PutWebhook creates (empty ID: a new id and, if empty, a new secret) or
// updates a webhook, audited, and returns it as stored. The URL check
// (scheme, private addresses) is the caller's. Errors: EINVALID, ENOTFOUND
// (an ID that is not stored).
func (db *DB) PutWebhook(w survey.Webhook, actor string) (survey.Webhook, error) {
	if err := w.Validate(); err != nil {
		return survey.Webhook{}, err
	}
	err := db.update(func(tx *bbolt.Tx) error {
		action := "webhook.update"
		if w.ID == "" {
			action, w.ID, w.CreatedAt = "webhook.create", uuid.NewString(), db.opts.Now().UTC()
		} else {
			old, err := webhookTx(tx, w.ID)
			if err != nil {
				return err
			}
			w.CreatedAt = old.CreatedAt
			if w.Secret == "" {
				w.Secret = old.Secret
			}
		}
		if w.Secret == "" {
			w.Secret = survey.NewSecret() // 32 random bytes, base64url
		}
		if err := putJSON(tx, bWebhooks, w.ID, w); err != nil {
			return err
		}
		if err := db.refreshHooks(tx); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: action, Target: w.ID, Detail: webhookDetail(&w)})
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
	return db.update(func(tx *bbolt.Tx) error {
		w, err := webhookTx(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bWebhooks).Delete([]byte(id)); err != nil {
			return err
		}
		if err := db.refreshHooks(tx); err != nil {
			return err
		}
		n, err := db.failPending(tx, id)
		if err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "webhook.delete", Target: id,
			Detail: fmt.Sprintf("%s %s; %d pending deliveries failed", w.Name, w.URL, n)})
	})
}

// failPending fails the pending deliveries of webhook id, with an attempt
// saying why, and returns how many.
func (db *DB) failPending(tx *bbolt.Tx, id string) (int, error) {
	q := tx.Bucket(bOutQueue)
	var keys [][]byte
	var ds []*survey.Delivery
	err := q.ForEach(func(k, _ []byte) error {
		d, err := deliveryTx(tx, string(k[8:]))
		if err != nil {
			return err
		}
		if d.Webhook == id {
			keys, ds = append(keys, append([]byte(nil), k...)), append(ds, d)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	now := db.opts.Now().UTC()
	for i, d := range ds {
		if err := q.Delete(keys[i]); err != nil {
			return 0, err
		}
		d.State = survey.DeliveryFailed
		d.Attempts = append(d.Attempts, survey.Attempt{At: now, Error: "Webhook đã bị xoá. / The webhook was deleted."})
		if err := putJSON(tx, bOutbox, d.ID, d); err != nil {
			return 0, err
		}
	}
	return len(ds), nil
}

// refreshHooks rereads the enabled webhooks in tx and publishes them to
// emit when tx commits (before the next write transaction starts: update
// holds the write mutex until the commit handlers have run).
func (db *DB) refreshHooks(tx *bbolt.Tx) error {
	on, err := enabledHooks(tx)
	if err != nil {
		return err
	}
	tx.OnCommit(func() { db.hooks.Store(&on) })
	return nil
}

// loadHooks fills the in-memory list of enabled webhooks at open.
func (db *DB) loadHooks() error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		on, err := enabledHooks(tx)
		db.hooks.Store(&on)
		return err
	})
}

func enabledHooks(tx *bbolt.Tx) ([]survey.Webhook, error) {
	all, err := webhooksTx(tx)
	var on []survey.Webhook
	for _, w := range all {
		if !w.Disabled {
			on = append(on, w)
		}
	}
	return on, err
}
