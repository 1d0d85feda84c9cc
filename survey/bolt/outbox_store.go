package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hailong/survey"
	"sort"
	"time"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"
)

// The outbox: bucket "outbox", delivery id → JSON Delivery; bucket "outq",
// next attempt (Unix ns, 8 bytes BE) · delivery id → nil, one entry per
// pending delivery, so that Due reads the head of a small index.

// Enqueue stores deliveries of kind mail (or alert) in one transaction.
// A delivery whose ID exists already is skipped (idempotent); an empty ID
// gets a new one; a zero CreatedAt or NextAt is now. Errors: EINVALID.
func (db *DB) Enqueue(ds ...survey.Delivery) error {
	now := db.opts.Now().UTC()
	for i := range ds {
		d := &ds[i]
		if err := d.Validate(); err != nil {
			return err
		}
		if d.ID == "" {
			d.ID = uuid.NewString()
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = now
		}
		if d.NextAt.IsZero() {
			d.NextAt = now
		}
		d.Attempts, d.RequeuedAt = nil, now
	}
	return db.update(func(tx *bbolt.Tx) error {
		for i := range ds {
			if err := enqueue(tx, &ds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Due returns up to limit pending deliveries whose NextAt is not after
// now, the oldest first.
func (db *DB) Due(now time.Time, limit int) ([]survey.Delivery, error) {
	var out []survey.Delivery
	end := uint64(now.UnixNano())
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutQueue).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			if binary.BigEndian.Uint64(k[:8]) > end {
				break
			}
			d, err := deliveryTx(tx, string(k[8:]))
			if err != nil {
				return err
			}
			out = append(out, *d)
		}
		return nil
	})
	return out, err
}

// NextDue returns when the earliest pending delivery is due (false when
// none is pending), so that the sender can sleep until then.
func (db *DB) NextDue() (time.Time, bool) {
	var at time.Time
	var ok bool
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bOutQueue).Cursor().First(); k != nil {
			at, ok = time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC(), true
		}
		return nil
	})
	return at, ok
}

// Attempted records an attempt: delivered, or else the next try at
// a.At+Backoff(tries), or failed after MaxAttempts. An attempt on a
// delivery that is no longer pending (its webhook deleted meanwhile) is
// recorded and changes its state only when it succeeded. Errors: ENOTFOUND.
func (db *DB) Attempted(id string, a survey.Attempt, delivered bool) error {
	a.At = a.At.UTC()
	return db.update(func(tx *bbolt.Tx) error {
		d, err := deliveryTx(tx, id)
		if err != nil {
			return err
		}
		q := tx.Bucket(bOutQueue)
		pending := d.State == survey.DeliveryPending
		if pending {
			if err := q.Delete(outQueueKey(d.NextAt, d.ID)); err != nil {
				return err
			}
		}
		d.Attempts = append(d.Attempts, a)
		switch {
		case delivered:
			d.State = survey.DeliveryDelivered
		case !pending:
		case d.Tries() >= survey.MaxAttempts:
			d.State = survey.DeliveryFailed
		default:
			d.NextAt = a.At.Add(survey.Backoff(d.Tries()))
			if err := q.Put(outQueueKey(d.NextAt, d.ID), nil); err != nil {
				return err
			}
		}
		return putJSON(tx, bOutbox, d.ID, d)
	})
}

// Delivery returns one delivery. Errors: ENOTFOUND.
func (db *DB) Delivery(id string) (*survey.Delivery, error) {
	var d *survey.Delivery
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		d, err = deliveryTx(tx, id)
		return err
	})
	return d, err
}

func deliveryTx(tx *bbolt.Tx, id string) (*survey.Delivery, error) {
	v := tx.Bucket(bOutbox).Get([]byte(id))
	if v == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy lần gửi %q. / Delivery %q not found.", id, id)
	}
	d := &survey.Delivery{}
	if err := json.Unmarshal(v, d); err != nil {
		return nil, fmt.Errorf("delivery %q: %w", id, err)
	}
	return d, nil
}

// Deliveries returns the deliveries q selects, newest first (by creation,
// then id). It reads the whole outbox: the admin page's list, not a hot path.
func (db *DB) Deliveries(q survey.DeliveryQuery) ([]survey.Delivery, error) {
	if q.Limit <= 0 {
		q.Limit = 200
	}
	var out []survey.Delivery
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bOutbox).ForEach(func(k, v []byte) error {
			var d survey.Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %q: %w", k, err)
			}
			if (q.Kind == "" || d.Kind == q.Kind) && (q.State == "" || d.State == q.State) && (q.Webhook == "" || d.Webhook == q.Webhook) {
				out = append(out, d)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, err
}

// Redeliver puts a delivery back to pending, due now ("send again"),
// audited; its backoff starts again. Errors: ENOTFOUND.
func (db *DB) Redeliver(id, actor string) error {
	now := db.opts.Now().UTC()
	return db.update(func(tx *bbolt.Tx) error {
		d, err := deliveryTx(tx, id)
		if err != nil {
			return err
		}
		q := tx.Bucket(bOutQueue)
		if d.State == survey.DeliveryPending {
			if err := q.Delete(outQueueKey(d.NextAt, d.ID)); err != nil {
				return err
			}
		}
		old := d.State
		d.State, d.NextAt, d.RequeuedAt = survey.DeliveryPending, now, now
		if err := q.Put(outQueueKey(d.NextAt, d.ID), nil); err != nil {
			return err
		}
		if err := putJSON(tx, bOutbox, d.ID, d); err != nil {
			return err
		}
		return putAudit(tx, now, survey.AuditEntry{Actor: actor, Action: "delivery.redeliver", Target: d.ID,
			Detail: fmt.Sprintf("%s %s (was %s)", d.Kind, deliveryTarget(d), old)})
	})
}

// deliveryTarget names where a delivery goes, for the audit log.
func deliveryTarget(d *survey.Delivery) string {
	switch {
	case d.Mail != nil:
		return d.Mail.To
	case d.Webhook != "":
		return "webhook " + d.Webhook
	case d.Event != nil:
		return d.Event.Type
	}
	return ""
}

// PendingCount returns how many deliveries wait (pending), by kind.
func (db *DB) PendingCount() map[string]int {
	out := map[string]int{}
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bOutQueue).ForEach(func(k, _ []byte) error {
			var d struct{ Kind string }
			if v := tx.Bucket(bOutbox).Get(k[8:]); v != nil && json.Unmarshal(v, &d) == nil {
				out[d.Kind]++
			}
			return nil
		})
	})
	return out
}

// PruneDeliveries deletes the deliveries delivered or failed that were
// created before before, and returns how many. Pending ones stay.
func (db *DB) PruneDeliveries(before time.Time) (int, error) {
	n := 0
	err := db.update(func(tx *bbolt.Tx) error {
		n = 0
		b := tx.Bucket(bOutbox)
		var old [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var d struct {
				State     string    `json:"state"`
				CreatedAt time.Time `json:"created_at"`
			}
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %q: %w", k, err)
			}
			if d.State != survey.DeliveryPending && d.CreatedAt.Before(before) {
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return n, err
}
