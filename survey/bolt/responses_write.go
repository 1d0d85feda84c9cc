package bolt

import (
	"encoding/binary"
	"errors"
	"hailong/survey"
	"time"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"
)

// The write path. Submissions are queued to one writer goroutine, which
// takes whatever is queued (up to MaxBatch) and stores it in a single
// transaction: concurrent submissions share one fsync, and a lone submission
// is committed at once — no batch timer. A submission returns only after its
// transaction has committed (bbolt fsyncs on commit), so a 2xx is durable.

type writeReq struct {
	resp    *survey.Response
	created bool
	err     error
	done    chan struct{}
}

// Prepare fills server-side fields of r (version, times) and validates it
// against the survey and the organisation. submitted_at must lie within the
// window of live submissions before the receive time (Settings.Submissions;
// not for the paper channel, which only imports use) and at most
// survey.MaxFutureSkew after it; a time ahead by less is taken as the
// receive time. It returns EINVALID errors.
func (db *DB) Prepare(r *survey.Response) error {
	window := db.settings.Load().Submissions.Window()
	if r.Channel == survey.ChannelPaper {
		window = anyAge // paper forms come only by import (and the demo): historical
	}
	return db.prepare(r, window)
}

// prepare is Prepare with the window submitted_at must lie in before the
// receive time: the setting for live submissions, unbounded for imports.
func (db *DB) prepare(r *survey.Response, window time.Duration) error {
	now := db.opts.Now()
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
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
	sv := db.Survey(r.Survey, r.Version)
	if sv == nil {
		return survey.FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", r.Survey, r.Survey)
	}
	r.Version = sv.Version
	if err := r.Validate(sv); err != nil {
		return err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.units[r.Unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", r.Unit, r.Unit)
	}
	if r.Counter != "" {
		if c := db.counters[r.Counter]; c == nil || c.Unit != r.Unit {
			return survey.FieldError("counter", "Quầy %q không thuộc đơn vị %q. / Counter %q is not a counter of unit %q.", r.Counter, r.Unit, r.Counter, r.Unit)
		}
	}
	if r.Staff != "" {
		s := db.staff[r.Staff]
		if s == nil {
			return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", r.Staff, r.Staff)
		}
		if !db.related(s.Unit, r.Unit) {
			return survey.FieldError("staff", "Công chức %q không thuộc đơn vị %q. / Staff member %q does not belong to unit %q.", r.Staff, r.Unit, r.Staff, r.Unit)
		}
	}
	if r.Kiosk != "" && db.kiosks[r.Kiosk] == nil {
		return survey.FieldError("kiosk", "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", r.Kiosk, r.Kiosk)
	}
	return nil
}

// related reports whether a and b lie on one branch of the tree (one is an
// ancestor of the other, or they are equal). The caller holds db.mu.
func (db *DB) related(a, b string) bool {
	up := func(x, root string) bool {
		for i := 0; x != "" && i < 64; i++ {
			if x == root {
				return true
			}
			u := db.units[x]
			if u == nil {
				return false
			}
			x = u.Parent
		}
		return false
	}
	return up(a, b) || up(b, a)
}

// Submit validates and durably stores one response. A response whose ID was
// stored before is not stored again: Submit returns created=false and fills
// r.Key with the stored one. A response is stored with FlagMisuse when it
// was received less than the misuse interval before or after the previous
// one from the same r.Device, whatever their submitted_at, or, on the kiosk
// channel, submitted less than the interval after the previous one from the
// same kiosk; other flags are stored as given. Errors: EINVALID,
// EUNAVAILABLE while closing, or an internal error.
func (db *DB) Submit(r *survey.Response) (created bool, err error) {
	if err := db.Prepare(r); err != nil {
		return false, err
	}
	req := &writeReq{resp: r, done: make(chan struct{})}
	if db.Closing() {
		return false, survey.ErrClosed
	}
	select {
	case db.writes <- req:
	case <-db.closing:
		return false, survey.ErrClosed
	}
	<-req.done
	if req.err == nil && !req.created {
		r.Seq = db.seqOf(r.Key) // a repeat: the entry of the stored one, for its confirmation code
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
			// Serve what is already queued, then stop.
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

// commit stores a batch in one transaction. If the transaction fails, each
// request is retried alone so that one bad request cannot fail the others.
func (db *DB) commit(batch []*writeReq) {
	err := db.commitOnce(batch)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			db.commit([]*writeReq{r})
		}
		return
	}
	for _, r := range batch {
		if err != nil {
			r.err = err
		}
		close(r.done)
	}
}

func (db *DB) commitOnce(batch []*writeReq) error {
	return db.update(func(tx *bbolt.Tx) error {
		w := db.newTxWriter(tx)
		for _, r := range batch {
			created, err := w.insert(r.resp)
			if err != nil {
				return err
			}
			r.created = created
			if created {
				if err := db.emitResponse(tx, r.resp); err != nil {
					return err
				}
			}
		}
		return w.agg.flush(tx, tx.Bucket(bAgg), &w.db.blocks, true)
	})
}

// InsertMany stores prepared responses in one transaction, without
// idempotency keys of their own (imports and demo data). Call Prepare first.
func (db *DB) InsertMany(rs []*survey.Response) error {
	return db.insertMany(rs, nil)
}

// insertMany is InsertMany; then, if not nil, runs in the same transaction
// after the inserts (an import lists the keys under its batch).
func (db *DB) insertMany(rs []*survey.Response, then func(tx *bbolt.Tx) error) error {
	return db.update(func(tx *bbolt.Tx) error {
		w := db.newTxWriter(tx)
		for _, r := range rs {
			if _, err := w.insert(r); err != nil {
				return err
			}
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		// Bulk loads touch old blocks once: caching them would only hold memory.
		return w.agg.flush(tx, tx.Bucket(bAgg), &w.db.blocks, false)
	})
}

// txWriter inserts responses within one write transaction.
type txWriter struct {
	db        *DB
	tx        *bbolt.Tx
	responses *bbolt.Bucket
	idem      *bbolt.Bucket
	td        *txDict
	agg       *aggDelta
	kioskLast map[uint32]int64
	devLast   map[string]int64
	crits     map[*survey.Survey]*svIDs
	buf       []byte
	exact     bool // store flags as given, no misuse rule (a replayed log)
}

func (db *DB) newTxWriter(tx *bbolt.Tx) *txWriter {
	w := &txWriter{db: db, tx: tx, responses: tx.Bucket(bResponses), idem: tx.Bucket(bIdem),
		td: newTxDict(db.dict, tx), agg: newAggDelta(), kioskLast: map[uint32]int64{}, devLast: map[string]int64{}, crits: map[*survey.Survey]*svIDs{}}
	// Keys are time-ordered and mostly appended: fill pages nearly full.
	w.responses.FillPercent = 0.95
	tx.OnCommit(w.publish)
	return w
}

func (w *txWriter) insert(r *survey.Response) (created bool, err error) {
	var id uuid.UUID
	if r.ID != "" {
		if id, err = uuid.Parse(r.ID); err != nil {
			return false, survey.FieldError("id", "id must be a UUID")
		}
		if k := w.idem.Get(id[:]); k != nil {
			r.Key = binary.BigEndian.Uint64(k)
			return false, nil
		}
	}
	sv := w.db.Survey(r.Survey, r.Version)
	if sv == nil {
		return false, errors.New("survey vanished between prepare and insert")
	}
	rc, err := toRec(r, sv, w.td)
	if err != nil {
		return false, err
	}
	if r.Channel == survey.ChannelKiosk && rc.kiosk != 0 && !w.exact {
		last, ok := w.kioskLast[rc.kiosk]
		if !ok {
			w.db.kioskMu.Lock()
			last, ok = w.db.kioskLast[rc.kiosk]
			w.db.kioskMu.Unlock()
		}
		if ok && rc.submitted >= last && rc.submitted-last < int64(w.db.misuse) {
			rc.flags |= byte(survey.FlagMisuse)
			r.Flags |= survey.FlagMisuse
		}
		if !ok || rc.submitted > last {
			w.kioskLast[rc.kiosk] = rc.submitted
		}
	}
	if r.Device != "" && w.burst(r.Device, rc.received) {
		rc.flags |= byte(survey.FlagMisuse)
		r.Flags |= survey.FlagMisuse
	}
	key := uint64(rc.submitted)
	if w.responses.Get(u64(key)) != nil {
		// Same nanosecond as a stored response (clients often send whole
		// seconds): take the next key after the last one stored in the
		// following millisecond, so that such inserts still append.
		c := w.responses.Cursor()
		c.Seek(u64(key + uint64(time.Millisecond)))
		if k, _ := c.Prev(); k != nil && binary.BigEndian.Uint64(k) >= key {
			key = binary.BigEndian.Uint64(k) + 1
		}
		for w.responses.Get(u64(key)) != nil {
			key++
		}
	}
	rc.submitted = int64(key)
	r.Key = key
	w.buf = rc.encode(w.buf[:0])
	if err := w.responses.Put(u64(key), append([]byte(nil), w.buf...)); err != nil {
		return false, err
	}
	if r.ID != "" {
		if err := w.idem.Put(id[:], u64(key)); err != nil {
			return false, err
		}
	}
	lg := w.db.lg
	if lg == nil || lg.tx != w.tx {
		return false, errors.New("response stored outside a store transaction")
	}
	n := &recNames{survey: r.Survey, unit: r.Unit, counter: r.Counter, staff: r.Staff, procedure: r.Procedure, kiosk: r.Kiosk}
	if r.Seq, err = lg.appendResponse(key, rc, sv, n); err != nil {
		return false, err
	}
	crits, err := w.critIDs(sv)
	if err != nil {
		return false, err
	}
	w.agg.add(rc, sv, crits, w.db.opts.Loc, 1)
	if rc.dossier != "" {
		if err := markAnswered(w.tx, rc.dossier, recNegative(rc, sv)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// recNegative is survey.Survey.NegativeVerdict on the stored record: a
// response's verdict is negative when its overall
// question answered ≤ 2 of 5 (1 of 3); when the overall question has no
// valid answer, any criterion answered so. (Any negative answer among the
// 22 criteria of a receipt form would count most dossiers against the
// agency: one low mark is not a dissatisfied citizen; docs/METHODOLOGY.md
// section 16.)
func recNegative(rc *rec, sv *survey.Survey) bool {
	some := false
	for i, v := range rc.answers {
		if i >= len(sv.Criteria) || v == unanswered || v == survey.NA {
			continue
		}
		neg := survey.Negative(sv.Criteria[i].Scale, int(v))
		if sv.Criteria[i].Key == survey.OverallKey {
			return neg
		}
		some = some || neg
	}
	return some
}

// markAnswered marks the dossier with code answered and, when its response
// has a negative answer, Negative (derived data for the 766 per-dossier
// rate, kept in the response's transaction). An unknown code changes
// nothing: a response may name a dossier that was never stored.
func markAnswered(tx *bbolt.Tx, code string, negative bool) error {
	d, key, err := dossierByCode(tx, code)
	if err != nil || d == nil || (d.Answered && (d.Negative || !negative)) {
		return err
	}
	d.Answered, d.Negative = true, d.Negative || negative
	return tx.Bucket(bDossiers).Put(key, encodeDossier(d))
}

// svIDs are the interned ids of a survey version's criteria and reasons.
type svIDs struct {
	crit   []uint32
	reason []uint32
}

func (w *txWriter) critIDs(sv *survey.Survey) (*svIDs, error) {
	if ids, ok := w.crits[sv]; ok {
		return ids, nil
	}
	ids := &svIDs{crit: make([]uint32, len(sv.Criteria)), reason: make([]uint32, len(sv.Reasons))}
	for i, c := range sv.Criteria {
		id, err := w.td.id(kindCriterion, c.Key)
		if err != nil {
			return nil, err
		}
		ids.crit[i] = id
	}
	for i, r := range sv.Reasons {
		id, err := w.td.id(kindReason, r.Key)
		if err != nil {
			return nil, err
		}
		ids.reason[i] = id
	}
	w.crits[sv] = ids
	return ids, nil
}

// publish runs at commit (under db.wmu): new names and kiosk times become
// visible before the next write transaction.
func (w *txWriter) publish() {
	w.td.publish()
	w.db.kioskMu.Lock()
	defer w.db.kioskMu.Unlock()
	for k, v := range w.kioskLast {
		if v > w.db.kioskLast[k] {
			w.db.kioskLast[k] = v
		}
	}
	var newest int64
	for k, v := range w.devLast {
		if v > w.db.devLast[k] {
			w.db.devLast[k] = v
		}
		newest = max(newest, v)
	}
	if len(w.db.devLast) > maxDevices {
		// Times older than the longest interval can flag nothing: forget
		// them, so that poster clients cannot grow the map without bound.
		for k, v := range w.db.devLast {
			if newest-v > int64(survey.MaxMisuseInterval) {
				delete(w.db.devLast, k)
			}
		}
	}
}

// maxDevices is how many devices' last receive times are kept before the
// stale ones are dropped.
const maxDevices = 4096

// burst reports whether device delivered another response less than the
// misuse interval before or after received (ns, the receive time: a client
// sets submitted_at as it likes), and notes received as its last time.
func (w *txWriter) burst(device string, received int64) bool {
	last, ok := w.devLast[device]
	if !ok {
		w.db.kioskMu.Lock()
		last, ok = w.db.devLast[device]
		w.db.kioskMu.Unlock()
	}
	if !ok || received > last {
		w.devLast[device] = received
	}
	gap := received - last
	if gap < 0 { // received in one order, written in another
		gap = -gap
	}
	return ok && gap < int64(w.db.misuse)
}
