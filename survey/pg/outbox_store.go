package pg

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The outbox's service (survey.OutboxService), as survey/bolt/
// outbox_store.go: the outbox table, one row per delivery with its state
// and next attempt, indexed while pending so that Due reads the head of a
// small index.

// Enqueue stores deliveries of kind mail (or alert) in one transaction; a
// delivery whose ID exists already is skipped (idempotent). Errors:
// EINVALID.
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
	return db.update(func(tx *wtx) error {
		for i := range ds {
			if err := tx.enqueue(&ds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// putDelivery stores a delivery's row.
func (tx *wtx) putDelivery(d *survey.Delivery) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO outbox (id, state, next_at, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, next_at = excluded.next_at, doc = excluded.doc`,
		d.ID, d.State, d.NextAt, b)
	return err
}

// deliveries decodes the deliveries a query returns.
func (tx *wtx) deliveries(sql string, args ...any) ([]survey.Delivery, error) {
	return scanDeliveries(tx.Query(tx.c, sql, args...))
}

func scanDeliveries(rows pgx.Rows, err error) ([]survey.Delivery, error) {
	if err != nil {
		return nil, err
	}
	var out []survey.Delivery
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
		var d survey.Delivery
		if err := json.Unmarshal(b, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// Due returns up to limit pending deliveries whose NextAt is not after
// now, the oldest first.
func (db *DB) Due(now time.Time, limit int) ([]survey.Delivery, error) {
	return scanDeliveries(db.pool.Query(ctx(), `SELECT doc FROM outbox WHERE state = $1 AND next_at <= $2
		ORDER BY next_at, id LIMIT $3`, survey.DeliveryPending, now, limit))
}

// NextDue returns when the earliest pending delivery is due (false when
// none is pending).
func (db *DB) NextDue() (time.Time, bool) {
	var at *time.Time
	if err := db.pool.QueryRow(ctx(), "SELECT min(next_at) FROM outbox WHERE state = $1", survey.DeliveryPending).Scan(&at); err != nil || at == nil {
		return time.Time{}, false
	}
	return at.UTC(), true
}

func getDelivery(q querier, id string) (*survey.Delivery, error) {
	var b []byte
	err := q.QueryRow(ctx(), "SELECT doc FROM outbox WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy lần gửi %q. / Delivery %q not found.", id, id)
	} else if err != nil {
		return nil, err
	}
	d := &survey.Delivery{}
	if err := json.Unmarshal(b, d); err != nil {
		return nil, fmt.Errorf("delivery %q: %w", id, err)
	}
	return d, nil
}

// Delivery returns one delivery. Errors: ENOTFOUND.
func (db *DB) Delivery(id string) (*survey.Delivery, error) { return getDelivery(db.pool, id) }

// Attempted records an attempt: delivered, or else the next try at
// a.At+Backoff(tries), or failed after MaxAttempts; on a delivery no longer
// pending it changes the state only when it succeeded. Errors: ENOTFOUND.
func (db *DB) Attempted(id string, a survey.Attempt, delivered bool) error {
	a.At = a.At.UTC()
	return db.update(func(tx *wtx) error {
		d, err := getDelivery(tx, id)
		if err != nil {
			return err
		}
		pending := d.State == survey.DeliveryPending
		d.Attempts = append(d.Attempts, a)
		switch {
		case delivered:
			d.State = survey.DeliveryDelivered
		case !pending:
		case d.Tries() >= survey.MaxAttempts:
			d.State = survey.DeliveryFailed
		default:
			d.NextAt = a.At.Add(survey.Backoff(d.Tries()))
		}
		return tx.putDelivery(d)
	})
}

// Deliveries returns the deliveries q selects, newest first (by creation,
// then id).
func (db *DB) Deliveries(q survey.DeliveryQuery) ([]survey.Delivery, error) {
	if q.Limit <= 0 {
		q.Limit = 200
	}
	return scanDeliveries(db.pool.Query(ctx(), `SELECT doc FROM outbox
		WHERE ($1 = '' OR doc->>'kind' = $1) AND ($2 = '' OR state = $2) AND ($3 = '' OR doc->>'webhook' = $3)
		ORDER BY (doc->>'created_at')::timestamptz DESC, id DESC LIMIT $4`, q.Kind, q.State, q.Webhook, q.Limit))
}

// Redeliver puts a delivery back to pending, due now ("send again"),
// audited; its backoff starts again. Errors: ENOTFOUND.
func (db *DB) Redeliver(id, actor string) error {
	now := db.opts.Now().UTC()
	return db.update(func(tx *wtx) error {
		d, err := getDelivery(tx, id)
		if err != nil {
			return err
		}
		old := d.State
		d.State, d.NextAt, d.RequeuedAt = survey.DeliveryPending, now, now
		if err := tx.putDelivery(d); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "delivery.redeliver", Target: d.ID,
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
	rows, err := db.pool.Query(ctx(), "SELECT doc->>'kind', count(*) FROM outbox WHERE state = $1 GROUP BY 1", survey.DeliveryPending)
	if err != nil {
		return out
	}
	var kind string
	var n int
	_, _ = pgx.ForEachRow(rows, []any{&kind, &n}, func() error { out[kind] = n; return nil })
	return out
}

// PruneDeliveries deletes the deliveries delivered or failed that were
// created before before, and returns how many. Pending ones stay.
func (db *DB) PruneDeliveries(before time.Time) (int, error) {
	n := 0
	err := db.update(func(tx *wtx) error {
		tag, err := tx.exec("DELETE FROM outbox WHERE state <> $1 AND (doc->>'created_at')::timestamptz < $2", survey.DeliveryPending, before)
		n = int(tag.RowsAffected())
		return err
	})
	return n, err
}
