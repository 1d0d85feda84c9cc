package pg

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// txWriter stores responses within one write transaction, a batch at a
// time and in a few statements whatever its size: one read of the
// idempotency keys, one of the misuse times, one of the keys taken, then
// (flush) one COPY of the rows, one of their log entries, one upsert of the
// misuse times and one of the counts. Round trips, not work, are what a
// batch costs on PostgreSQL.
type txWriter struct {
	tx    *wtx
	snap  *snapshot
	agg   *aggDelta
	exact bool  // store flags as given, no misuse rule
	batch int64 // import batch of the rows (0: none)

	rows    [][]any           // responses to COPY
	entries logRows           // their log entries
	last    map[lastKey]int64 // misuse times, read and updated
	dirty   map[lastKey]bool  // misuse times to write back
}

// lastKey names a misuse time: kind 'k' a kiosk (submitted), 'd' a device
// (received).
type lastKey struct{ kind, id string }

func newTxWriter(tx *wtx) *txWriter {
	return &txWriter{tx: tx, snap: tx.db.snap(), agg: newAggDelta(), last: map[lastKey]int64{}, dirty: map[lastKey]bool{}}
}

// insertAll stores prepared responses in order and reports which were
// created (a repeated idempotency key fills r.Key with the stored one).
func (w *txWriter) insertAll(rs []*survey.Response) ([]bool, error) {
	created := make([]bool, len(rs))
	// The three reads go in one round trip.
	b := &pgx.Batch{}
	stored := w.storedIDs(b, rs)
	w.loadLast(b, rs)
	taken, last := w.keyWindows(b, rs)
	if err := w.tx.SendBatch(w.tx.c, b).Close(); err != nil {
		return nil, err
	}
	for i, r := range rs {
		var id *uuid.UUID
		if r.ID != "" {
			u, err := uuid.Parse(r.ID)
			if err != nil {
				return nil, survey.FieldError("id", "id must be a UUID")
			}
			if k, ok := stored[u]; ok {
				r.Key = uint64(k)
				continue
			}
			id = &u
		}
		sv := w.snap.survey(r.Survey, r.Version)
		if sv == nil {
			return nil, errors.New("survey vanished between prepare and insert")
		}
		normalised(r, sv)
		w.misuse(r)
		key, err := w.freeKey(r.SubmittedAt.UnixNano(), taken, last)
		if err != nil {
			return nil, err
		}
		taken[key] = true
		if id != nil {
			stored[*id] = key
		}
		r.Key, r.SubmittedAt = uint64(key), time.Unix(0, key)
		if err := w.add(r, sv, id); err != nil {
			return nil, err
		}
		if r.Dossier != "" {
			if err := w.tx.markAnswered(r.Dossier, sv.NegativeVerdict(r)); err != nil {
				return nil, err
			}
		}
		created[i] = true
	}
	return created, nil
}

// add queues the row of r and its log entry, and counts it.
func (w *txWriter) add(r *survey.Response, sv *survey.Survey, id *uuid.UUID) error {
	lg := w.tx.lg
	e := responseEntry(r, r.Key, r.Flags, r.ReceivedAt.UnixNano())
	canon, err := e.Canonical()
	if err != nil {
		return err
	}
	h := sha256.Sum256(canon)
	var ch []byte
	if e.CommentHash != "" {
		ch, _ = hex.DecodeString(e.CommentHash)
	}
	lg.tip.seq++
	lg.tip.hash = survey.ChainNext(lg.tip.hash, h)
	r.Seq = lg.tip.seq
	w.entries.add(int64(r.Seq), int64(r.Key), int16(r.Flags), h[:], ch)
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return err
	}
	var facts []byte
	if r.Facts != nil {
		facts, _ = json.Marshal(r.Facts)
	}
	var batch *int64
	if w.batch != 0 {
		batch = &w.batch
	}
	var idText *string
	if id != nil {
		s := id.String()
		idText = &s
	}
	w.rows = append(w.rows, []any{int64(r.Key), idText, r.Survey, int32(r.Version), int16(r.Channel), r.Unit, r.Counter,
		r.Staff, r.Procedure, r.Kiosk, r.Dossier, answers, facts, r.Reasons, r.Comment, r.ReceivedAt.UnixNano(),
		int16(r.Flags), int64(r.Seq), batch})
	w.agg.add(r, sv, w.tx.db.opts.Loc, 1)
	return nil
}

var (
	copyResponseCols = []string{"key", "id", "survey", "version", "channel", "unit", "counter", "staff", "procedure",
		"kiosk", "dossier", "answers", "facts", "reasons", "comment", "received_ns", "flags", "seq", "batch"}
)

// logRows are response log entries as columns, inserted with one
// statement that can travel with others (a COPY cannot).
type logRows struct {
	seq, key      []int64
	flags         []int16
	hash, comment [][]byte
}

func (l *logRows) add(seq, key int64, flags int16, hash, comment []byte) {
	l.seq, l.key, l.flags = append(l.seq, seq), append(l.key, key), append(l.flags, flags)
	l.hash, l.comment = append(l.hash, hash), append(l.comment, comment)
}

// flush writes what insertAll queued: rows, log entries, misuse times and
// counts.
func (w *txWriter) flush() error {
	c, tx := w.tx.c, w.tx
	if len(w.rows) > 0 {
		if _, err := tx.CopyFrom(c, pgx.Identifier{"responses"}, copyResponseCols, pgx.CopyFromRows(w.rows)); err != nil {
			return err
		}
		tx.laterExec(`INSERT INTO log (seq, change_kind, key, flags, entry_hash, comment_hash)
			SELECT s, '', k, f, h, c FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::bytea[], $5::bytea[]) AS e(s, k, f, h, c)`,
			w.entries.seq, w.entries.key, w.entries.flags, w.entries.hash, w.entries.comment)
		w.rows, w.entries = nil, logRows{}
	}
	if len(w.dirty) > 0 {
		var kinds, ids []string
		var ats []int64
		for k := range w.dirty {
			kinds, ids, ats = append(kinds, k.kind), append(ids, k.id), append(ats, w.last[k])
		}
		tx.laterExec(`INSERT INTO misuse_last (kind, id, at_ns) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
			ON CONFLICT (kind, id) DO UPDATE SET at_ns = excluded.at_ns`, kinds, ids, ats)
		clear(w.dirty)
	}
	return w.agg.flush(tx)
}

// storedIDs queues the read of the keys of the batch's idempotency keys
// already stored, into the map it returns (filled when b is closed).
func (w *txWriter) storedIDs(b *pgx.Batch, rs []*survey.Response) map[uuid.UUID]int64 {
	out := map[uuid.UUID]int64{}
	var ids []uuid.UUID
	for _, r := range rs {
		if u, err := uuid.Parse(r.ID); err == nil {
			ids = append(ids, u)
		}
	}
	if len(ids) == 0 {
		return out
	}
	b.Queue("SELECT id, key FROM responses WHERE id = ANY($1)", ids).Query(func(rows pgx.Rows) error {
		var u uuid.UUID
		var k int64
		_, err := pgx.ForEachRow(rows, []any{&u, &k}, func() error { out[u] = k; return nil })
		return err
	})
	return out
}

// keyWindows queues the read, for each of the batch's submitted times t,
// of whether t is a stored key and of the last stored key within [t, t+1
// ms): one query, so that clients sending whole seconds (many answers on
// one time) cost no round trip each. The maps fill when b is closed.
func (w *txWriter) keyWindows(b *pgx.Batch, rs []*survey.Response) (taken map[int64]bool, last map[int64]int64) {
	keys := make([]int64, len(rs))
	for i, r := range rs {
		keys[i] = r.SubmittedAt.UnixNano()
	}
	taken, last = map[int64]bool{}, map[int64]int64{}
	b.Queue(`SELECT t, EXISTS (SELECT 1 FROM responses WHERE key = t),
		(SELECT coalesce(max(key), 0) FROM responses WHERE key >= t AND key < t + $2)
		FROM unnest($1::bigint[]) AS t`, keys, int64(time.Millisecond)).Query(func(rows pgx.Rows) error {
		var t, l int64
		var stored bool
		_, err := pgx.ForEachRow(rows, []any{&t, &stored, &l}, func() error {
			if stored {
				taken[t] = true
			}
			last[t] = l
			return nil
		})
		return err
	})
	return taken, last
}

// freeKey returns key, or, when a response has it (clients often send
// whole seconds), the next free key after the last one stored within the
// following millisecond, as survey/bolt does. taken holds the keys of the
// batch so far and the stored ones among the batch's times; last the last
// stored key of each time's millisecond (keyWindows).
func (w *txWriter) freeKey(key int64, taken map[int64]bool, last map[int64]int64) (int64, error) {
	if !taken[key] {
		return key, nil
	}
	end := key + int64(time.Millisecond)
	after := last[key]
	for k := range taken {
		if k >= key && k < end && k > after {
			after = k
		}
	}
	// Every stored key of the millisecond is at most after: the next one
	// is free unless it leaves the millisecond, where the table is asked.
	for key = max(key, after+1); ; key++ {
		if taken[key] {
			continue
		}
		if key < end {
			return key, nil
		}
		var stored bool
		if err := w.tx.queryRow("SELECT EXISTS (SELECT 1 FROM responses WHERE key = $1)", key).Scan(&stored); err != nil {
			return 0, err
		}
		if !stored {
			return key, nil
		}
	}
}

// loadLast queues the read of the misuse times of the batch's kiosks and
// devices (into w.last when b is closed).
func (w *txWriter) loadLast(b *pgx.Batch, rs []*survey.Response) {
	var kinds, ids []string
	for _, r := range rs {
		if r.Channel == survey.ChannelKiosk && r.Kiosk != "" {
			kinds, ids = append(kinds, "k"), append(ids, r.Kiosk)
		}
		if r.Device != "" {
			kinds, ids = append(kinds, "d"), append(ids, r.Device)
		}
	}
	if len(ids) == 0 || w.exact {
		return
	}
	b.Queue(`SELECT kind, id, at_ns FROM misuse_last
		WHERE (kind, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, kinds, ids).Query(func(rows pgx.Rows) error {
		var k lastKey
		var at int64
		_, err := pgx.ForEachRow(rows, []any{&k.kind, &k.id, &at}, func() error { w.last[k] = at; return nil })
		return err
	})
}

// misuse applies the misuse rules (a kiosk's answers too close by
// submitted time; any device's too close by receive time) from the last
// times kept in misuse_last: every server sees the same.
func (w *txWriter) misuse(r *survey.Response) {
	if w.exact {
		return
	}
	interval := int64(w.snap.settings.Kiosk.MisuseInterval)
	if r.Channel == survey.ChannelKiosk && r.Kiosk != "" {
		k, sub := lastKey{"k", r.Kiosk}, r.SubmittedAt.UnixNano()
		last, ok := w.last[k]
		if ok && sub >= last && sub-last < interval {
			r.Flags |= survey.FlagMisuse
		}
		if !ok || sub > last {
			w.last[k], w.dirty[k] = sub, true
		}
	}
	if r.Device != "" {
		k, recv := lastKey{"d", r.Device}, r.ReceivedAt.UnixNano()
		last, ok := w.last[k]
		if !ok || recv > last {
			w.last[k], w.dirty[k] = recv, true
		}
		gap := recv - last
		if gap < 0 {
			gap = -gap
		}
		if ok && gap < interval {
			r.Flags |= survey.FlagMisuse
		}
	}
}

// normalised limits r's answers, facts and reasons to what sv asks, the
// reasons in the survey's order (what bbolt's record keeps).
func normalised(r *survey.Response, sv *survey.Survey) {
	ans := map[string]int{}
	for _, c := range sv.Criteria {
		if v, ok := r.Answers[c.Key]; ok {
			ans[c.Key] = v
		}
	}
	r.Answers = ans
	var reasons []string
	for _, x := range sv.Reasons {
		for _, k := range r.Reasons {
			if k == x.Key {
				reasons = append(reasons, k)
				break
			}
		}
	}
	r.Reasons = reasons
	if len(r.Facts) == 0 {
		r.Facts = nil
		return
	}
	facts := map[string]int{}
	for _, f := range sv.Facts {
		if v, ok := r.Facts[f.Key]; ok {
			facts[f.Key] = v
		}
	}
	r.Facts = facts
}
