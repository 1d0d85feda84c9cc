package pg

import (
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// The write path, as in survey/bolt: submissions are queued to one writer
// goroutine per server, which takes whatever is queued (up to MaxBatch) and
// stores it in one transaction: concurrent submissions share one commit
// (one WAL flush), and a lone submission is committed at once. Submit
// returns after the commit (synchronous_commit on), so a 2xx is durable.
// Servers sharing a database serialise on the log tip's row lock.

type writeReq struct {
	resp    *survey.Response
	created bool
	err     error
	done    chan struct{}
}

// anyAge is the window of imports: any age.
const anyAge = time.Duration(math.MaxInt64)

// Prepare fills server-side fields of r and validates it (see
// survey.ResponseService). It returns EINVALID errors.
func (db *DB) Prepare(r *survey.Response) error {
	window := db.Settings().Submissions.Window()
	if r.Channel == survey.ChannelPaper {
		window = anyAge
	}
	return db.prepare(r, window)
}

func (db *DB) prepare(r *survey.Response, window time.Duration) error {
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = db.opts.Now()
	}
	if r.SubmittedAt.IsZero() {
		r.SubmittedAt = r.ReceivedAt
	}
	if err := survey.CheckSubmittedAt(r.SubmittedAt, r.ReceivedAt, window); err != nil {
		return err
	}
	if r.SubmittedAt.After(r.ReceivedAt) {
		r.SubmittedAt = r.ReceivedAt
	}
	if r.ID != "" {
		if _, err := uuid.Parse(r.ID); err != nil {
			return survey.FieldError("id", "Mã định danh (id) phải là UUID. / id must be a UUID.")
		}
	}
	s := db.snap()
	sv := s.survey(r.Survey, r.Version)
	if sv == nil {
		return survey.FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", r.Survey, r.Survey)
	}
	r.Version = sv.Version
	if err := r.Validate(sv); err != nil {
		return err
	}
	return s.checkPlace(r)
}

// checkPlace checks the unit, counter, staff member and kiosk of r.
func (s *snapshot) checkPlace(r *survey.Response) error {
	if s.units[r.Unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", r.Unit, r.Unit)
	}
	if r.Counter != "" {
		if c := s.counters[r.Counter]; c == nil || c.Unit != r.Unit {
			return survey.FieldError("counter", "Quầy %q không thuộc đơn vị %q. / Counter %q is not a counter of unit %q.", r.Counter, r.Unit, r.Counter, r.Unit)
		}
	}
	if r.Staff != "" {
		st := s.staff[r.Staff]
		if st == nil {
			return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", r.Staff, r.Staff)
		}
		if !s.related(st.Unit, r.Unit) {
			return survey.FieldError("staff", "Công chức %q không thuộc đơn vị %q. / Staff member %q does not belong to unit %q.", r.Staff, r.Unit, r.Staff, r.Unit)
		}
	}
	if r.Kiosk != "" && s.kiosks[r.Kiosk] == nil {
		return survey.FieldError("kiosk", "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", r.Kiosk, r.Kiosk)
	}
	return nil
}

// related reports whether a and b lie on one branch of the tree.
func (s *snapshot) related(a, b string) bool {
	up := func(x, root string) bool {
		for i := 0; x != "" && i < 64; i++ {
			if x == root {
				return true
			}
			u := s.units[x]
			if u == nil {
				return false
			}
			x = u.Parent
		}
		return false
	}
	return up(a, b) || up(b, a)
}

// Submit validates and durably stores one response (see
// survey.ResponseService). Errors: EINVALID, EUNAVAILABLE while closing.
func (db *DB) Submit(r *survey.Response) (created bool, err error) {
	if db.Closing() {
		return false, survey.ErrClosed
	}
	if err := db.Prepare(r); err != nil {
		return false, err
	}
	if db.Closing() {
		return false, survey.ErrClosed
	}
	req := &writeReq{resp: r, done: make(chan struct{})}
	select {
	case db.writes <- req:
	case <-db.closing:
		return false, survey.ErrClosed
	}
	<-req.done
	if req.err == nil && !req.created {
		r.Seq = db.seqOf(r.Key)
	}
	return req.created, req.err
}

func (db *DB) writer() {
	defer db.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-db.writes:
		case <-db.closing:
			for {
				select {
				case r := <-db.writes:
					db.commit([]*writeReq{r})
				default:
					return
				}
			}
		}
		batch := []*writeReq{first}
	drain:
		for len(batch) < db.opts.MaxBatch {
			select {
			case r := <-db.writes:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.commit(batch)
	}
}

// WriterStats says how well submissions share commits: the transactions
// the writer committed and the submissions they stored.
func (db *DB) WriterStats() (commits, submissions uint64) {
	return db.commits.Load(), db.submitted.Load()
}

// commit stores a batch in one transaction; if it fails, each request is
// retried alone so that one bad request cannot fail the others.
func (db *DB) commit(batch []*writeReq) {
	err := db.update(func(tx *wtx) error {
		w := newTxWriter(tx)
		for _, r := range batch {
			created, err := w.insert(r.resp)
			if err != nil {
				return err
			}
			r.created = created
		}
		if db.commits.Load()%pruneEvery == 0 {
			if err := tx.pruneDevices(); err != nil {
				return err
			}
		}
		return w.agg.flush(tx)
	})
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			db.commit([]*writeReq{r})
		}
		return
	}
	if err == nil {
		db.commits.Add(1)
		db.submitted.Add(uint64(len(batch)))
	}
	for _, r := range batch {
		if err != nil {
			r.err = err
		}
		close(r.done)
	}
}

// InsertMany stores prepared responses in one transaction, without
// idempotency keys of their own (imports and demo data).
func (db *DB) InsertMany(rs []*survey.Response) error {
	return db.update(func(tx *wtx) error {
		w := newTxWriter(tx)
		for _, r := range rs {
			if _, err := w.insert(r); err != nil {
				return err
			}
		}
		return w.agg.flush(tx)
	})
}

// txWriter inserts responses within one write transaction.
type txWriter struct {
	tx    *wtx
	snap  *snapshot
	agg   *aggDelta
	exact bool // store flags as given, no misuse rule
	batch int64
}

func newTxWriter(tx *wtx) *txWriter {
	return &txWriter{tx: tx, snap: tx.db.snap(), agg: newAggDelta()}
}

// normalised returns r's answers, facts and reasons limited to what sv
// asks, reasons in the survey's order (what bbolt's record keeps).
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
	if len(r.Facts) > 0 {
		facts := map[string]int{}
		for _, f := range sv.Facts {
			if v, ok := r.Facts[f.Key]; ok {
				facts[f.Key] = v
			}
		}
		r.Facts = facts
	} else {
		r.Facts = nil
	}
}

func (w *txWriter) insert(r *survey.Response) (created bool, err error) {
	var id *uuid.UUID
	if r.ID != "" {
		u, err := uuid.Parse(r.ID)
		if err != nil {
			return false, survey.FieldError("id", "id must be a UUID")
		}
		id = &u
		var k int64
		err = w.tx.queryRow("SELECT key FROM responses WHERE id = $1", u).Scan(&k)
		if err == nil {
			r.Key = uint64(k)
			return false, nil
		} else if !isNoRows(err) {
			return false, err
		}
	}
	sv := w.snap.survey(r.Survey, r.Version)
	if sv == nil {
		return false, errors.New("survey vanished between prepare and insert")
	}
	normalised(r, sv)
	if err := w.misuse(r); err != nil {
		return false, err
	}
	key, err := w.freeKey(r.SubmittedAt.UnixNano())
	if err != nil {
		return false, err
	}
	r.Key, r.SubmittedAt = uint64(key), time.Unix(0, key)
	if r.Seq, err = w.tx.lg.appendResponse(r, r.Key, r.Flags); err != nil {
		return false, err
	}
	if err := w.store(r, id); err != nil {
		return false, err
	}
	w.agg.add(r, sv, w.tx.db.opts.Loc, 1)
	return true, nil
}

// store writes the row of r.
func (w *txWriter) store(r *survey.Response, id *uuid.UUID) error {
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
	_, err = w.tx.exec("INSERT INTO responses ("+responseCols+`, batch)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		int64(r.Key), id, r.Survey, r.Version, int16(r.Channel), r.Unit, r.Counter, r.Staff, r.Procedure, r.Kiosk,
		r.Dossier, answers, facts, r.Reasons, r.Comment, r.ReceivedAt.UnixNano(), int16(r.Flags), int64(r.Seq), batch)
	return err
}

// freeKey returns key, or, when a response has it (clients often send whole
// seconds), the next free key after the last one stored within the
// following millisecond, so that such inserts still append.
func (w *txWriter) freeKey(key int64) (int64, error) {
	var last *int64
	if err := w.tx.queryRow("SELECT max(key) FROM responses WHERE key >= $1 AND key < $2",
		key, key+int64(time.Millisecond)).Scan(&last); err != nil {
		return 0, err
	}
	if last == nil {
		return key, nil
	}
	var taken bool
	if err := w.tx.queryRow("SELECT EXISTS (SELECT 1 FROM responses WHERE key = $1)", key).Scan(&taken); err != nil || !taken {
		return key, err
	}
	key = *last + 1
	for {
		if err := w.tx.queryRow("SELECT EXISTS (SELECT 1 FROM responses WHERE key = $1)", key).Scan(&taken); err != nil || !taken {
			return key, err
		}
		key++
	}
}

// misuse applies the misuse rules (a kiosk's answers too close by submitted
// time; any device's too close by receive time), from the last times kept
// in the misuse_last table: every server sees the same.
func (w *txWriter) misuse(r *survey.Response) error {
	if w.exact {
		return nil
	}
	interval := int64(w.snap.settings.Kiosk.MisuseInterval)
	if r.Channel == survey.ChannelKiosk && r.Kiosk != "" {
		sub := r.SubmittedAt.UnixNano()
		last, ok, err := w.last("k", r.Kiosk)
		if err != nil {
			return err
		}
		if ok && sub >= last && sub-last < interval {
			r.Flags |= survey.FlagMisuse
		}
		if !ok || sub > last {
			if err := w.setLast("k", r.Kiosk, sub); err != nil {
				return err
			}
		}
	}
	if r.Device != "" {
		recv := r.ReceivedAt.UnixNano()
		last, ok, err := w.last("d", r.Device)
		if err != nil {
			return err
		}
		if !ok || recv > last {
			if err := w.setLast("d", r.Device, recv); err != nil {
				return err
			}
		}
		gap := recv - last
		if gap < 0 {
			gap = -gap
		}
		if ok && gap < interval {
			r.Flags |= survey.FlagMisuse
		}
	}
	return nil
}

func (w *txWriter) last(kind, id string) (int64, bool, error) {
	var at int64
	err := w.tx.queryRow("SELECT at_ns FROM misuse_last WHERE kind = $1 AND id = $2", kind, id).Scan(&at)
	if isNoRows(err) {
		return 0, false, nil
	}
	return at, err == nil, err
}

func (w *txWriter) setLast(kind, id string, at int64) error {
	_, err := w.tx.exec(`INSERT INTO misuse_last (kind, id, at_ns) VALUES ($1, $2, $3)
		ON CONFLICT (kind, id) DO UPDATE SET at_ns = excluded.at_ns`, kind, id, at)
	return err
}

// pruneEvery is how many commits pass between prunings of the devices'
// last receive times.
const pruneEvery = 1024

// pruneDevices forgets receive times older than the longest misuse
// interval (they can flag nothing), so that poster clients cannot grow the
// table without bound. Kiosks' times stay (one row per kiosk).
func (tx *wtx) pruneDevices() error {
	_, err := tx.exec("DELETE FROM misuse_last WHERE kind = 'd' AND at_ns < $1",
		tx.db.opts.Now().Add(-2*survey.MaxMisuseInterval).UnixNano())
	return err
}

// seqOf returns the log entry of the response with key (0: none).
func (db *DB) seqOf(key uint64) uint64 {
	var seq int64
	_ = db.pool.QueryRow(ctx(), "SELECT seq FROM responses WHERE key = $1", int64(key)).Scan(&seq)
	return uint64(seq)
}
