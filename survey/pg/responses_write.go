package pg

import (
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
		rs := make([]*survey.Response, len(batch))
		for i, r := range batch {
			rs[i] = r.resp
		}
		w := newTxWriter(tx)
		created, err := w.insertAll(rs)
		if err != nil {
			return err
		}
		for i, r := range batch {
			if r.created = created[i]; r.created {
				if err := tx.emitResponse(r.resp); err != nil {
					return err
				}
			}
		}
		if db.commits.Load()%pruneEvery == 0 {
			if err := tx.pruneDevices(); err != nil {
				return err
			}
		}
		return w.flush()
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
		if _, err := w.insertAll(rs); err != nil {
			return err
		}
		return w.flush()
	})
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
