package pg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Responses are rows of the responses table keyed, as in bbolt, by the
// submitted time in ns made unique; answers and facts are JSON objects,
// reasons an array in the survey's order.

const responseCols = `key, id, survey, version, channel, unit, counter, staff, procedure, kiosk, dossier,
	answers, facts, reasons, comment, received_ns, flags, seq`

// respScan holds one scanned row of responseCols.
type respScan struct {
	r              survey.Response
	key, recv, seq int64
	id             *uuid.UUID
	ver            int32
	ch, fl         int16
	answers, facts []byte
	reasons        []string
}

// dest lists the scan targets of responseCols, in order.
func (x *respScan) dest() []any {
	r := &x.r
	return []any{&x.key, &x.id, &r.Survey, &x.ver, &x.ch, &r.Unit, &r.Counter, &r.Staff, &r.Procedure, &r.Kiosk,
		&r.Dossier, &x.answers, &x.facts, &x.reasons, &r.Comment, &x.recv, &x.fl, &x.seq}
}

// response builds the scanned response.
func (x *respScan) response() (*survey.Response, error) {
	r := x.r
	r.Key, r.Version, r.Channel, r.Flags = uint64(x.key), int(x.ver), survey.Channel(x.ch), survey.Flags(x.fl)
	if x.id != nil {
		r.ID = x.id.String()
	}
	r.SubmittedAt, r.ReceivedAt = time.Unix(0, x.key), time.Unix(0, x.recv)
	r.Answers = map[string]int{}
	if err := json.Unmarshal(x.answers, &r.Answers); err != nil {
		return nil, fmt.Errorf("response %d: answers: %w", x.key, err)
	}
	if len(x.facts) > 0 && string(x.facts) != "null" {
		if err := json.Unmarshal(x.facts, &r.Facts); err != nil {
			return nil, fmt.Errorf("response %d: facts: %w", x.key, err)
		}
	}
	if len(x.reasons) > 0 {
		r.Reasons = x.reasons
	}
	return &r, nil
}

// scanResponse reads one row of responseCols.
func scanResponse(row pgx.Row) (*survey.Response, error) {
	var x respScan
	if err := row.Scan(x.dest()...); err != nil {
		return nil, err
	}
	return x.response()
}

var errNoResponse = survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")

// Response returns the stored response with key, or ENOTFOUND.
func (db *DB) Response(key uint64) (*survey.Response, error) {
	r, err := scanResponse(db.pool.QueryRow(ctx(), "SELECT "+responseCols+" FROM responses WHERE key = $1", int64(key)))
	if isNoRows(err) {
		return nil, errNoResponse
	}
	return r, err
}

// ResponseByID returns the response stored under idempotency key id.
// Errors: ENOTFOUND, EINVALID when id is not a UUID.
func (db *DB) ResponseByID(id string) (*survey.Response, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, survey.FieldError("id", "id must be a UUID")
	}
	r, err := scanResponse(db.pool.QueryRow(ctx(), "SELECT "+responseCols+" FROM responses WHERE id = $1", u))
	if isNoRows(err) {
		return nil, errNoResponse
	}
	return r, err
}

// EachResponse calls fn for every response submitted in [from, to), in time
// order, within one read transaction. A zero to means no upper bound.
func (db *DB) EachResponse(from, to time.Time, fn func(*survey.Response) error) error {
	lo, hi := int64(0), int64(1<<63-1)
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
	}
	return db.view(func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), "SELECT "+responseCols+" FROM responses WHERE key >= $1 AND key < $2 ORDER BY key", lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanResponse(rows)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// ResponseCount returns the number of stored responses.
func (db *DB) ResponseCount() int { return db.countOf("SELECT count(*) FROM responses") }

// IdemCount returns the number of stored idempotency keys.
func (db *DB) IdemCount() int { return db.countOf("SELECT count(id) FROM responses") }

func (db *DB) countOf(sql string, args ...any) int {
	var n int64
	if err := db.pool.QueryRow(ctx(), sql, args...).Scan(&n); err != nil {
		db.log.Error("count", "sql", sql, "err", err)
	}
	return int(n)
}

// FirstResponseAt returns when the earliest stored response was submitted
// (the zero time when there is none).
func (db *DB) FirstResponseAt() time.Time {
	var k *int64
	if err := db.pool.QueryRow(ctx(), "SELECT min(key) FROM responses").Scan(&k); err != nil || k == nil {
		return time.Time{}
	}
	return time.Unix(0, *k)
}

// responseKey resolves a response reference: a UUID (idempotency key) or the
// decimal storage key.
func responseKey(tx *wtx, ref string) (uint64, error) {
	if u, err := uuid.Parse(ref); err == nil {
		var k int64
		if err := tx.queryRow("SELECT key FROM responses WHERE id = $1", u).Scan(&k); err != nil {
			if isNoRows(err) {
				return 0, errNoResponse
			}
			return 0, err
		}
		return uint64(k), nil
	}
	key, err := strconv.ParseUint(ref, 10, 64)
	if err != nil {
		return 0, survey.FieldError("id", "Mã phiếu không hợp lệ. / Invalid response reference.")
	}
	return key, nil
}
