package survey

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// ncrit returns the number of criteria of a survey version by interned ids.
func (db *DB) ncrit(survey, version uint32) int {
	if sv := db.Survey(db.dict.name(kindSurvey, survey), int(version)); sv != nil {
		return len(sv.Criteria)
	}
	return 0
}

// Response returns the stored response with key, or ENOTFOUND.
func (db *DB) Response(key uint64) (*Response, error) {
	var out *Response
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bResponses).Get(u64(key))
		if v == nil {
			return Errorf(ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		var err error
		out, err = db.decodeResponse(u64(key), v)
		return err
	})
	return out, err
}

// ResponseByID returns the response stored under idempotency key id.
func (db *DB) ResponseByID(id string) (*Response, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, FieldError("id", "id must be a UUID")
	}
	var key []byte
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if k := tx.Bucket(bIdem).Get(u[:]); k != nil {
			key = append([]byte(nil), k...)
		}
		return nil
	})
	if key == nil {
		return nil, Errorf(ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
	}
	r, err := db.Response(binary.BigEndian.Uint64(key))
	if r != nil {
		r.ID = u.String()
	}
	return r, err
}

func (db *DB) decodeResponse(k, v []byte) (*Response, error) {
	r, err := decodeRec(k, v, db.ncrit)
	if err != nil {
		return nil, fmt.Errorf("response %x: %w", k, err)
	}
	sv := db.Survey(db.dict.name(kindSurvey, r.survey), int(r.version))
	return db.toResponse(binary.BigEndian.Uint64(k), r, sv), nil
}

// EachResponse calls fn for every response submitted in [from, to), in time
// order, within one read transaction. A zero to means no upper bound.
func (db *DB) EachResponse(from, to time.Time, fn func(*Response) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bResponses).Cursor()
		start := uint64(0) // zero from: the beginning (UnixNano of the zero time overflows)
		if !from.IsZero() {
			start = uint64(from.UnixNano())
		}
		for k, v := c.Seek(u64(start)); k != nil; k, v = c.Next() {
			if !to.IsZero() && binary.BigEndian.Uint64(k) >= uint64(to.UnixNano()) {
				break
			}
			r, err := db.decodeResponse(k, v)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// ResponseCount returns the number of stored responses.
func (db *DB) ResponseCount() int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bResponses).Stats().KeyN
		return nil
	})
	return n
}

// IdemCount returns the number of stored idempotency keys.
func (db *DB) IdemCount() int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bIdem).Stats().KeyN
		return nil
	})
	return n
}

// BucketBytes returns the bytes allocated to each top-level bucket's pages.
func (db *DB) BucketBytes() map[string]int {
	out := map[string]int{}
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			st := b.Stats()
			out[string(name)] = st.BranchAlloc + st.LeafAlloc
			return nil
		})
	})
	return out
}

// Reindex rebuilds the pre-aggregated counts from the raw responses, in one
// transaction: readers see the old counts or the new, never a mix.
func (db *DB) Reindex() (int, error) {
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		var err error
		n, err = db.rebuildAgg(tx, bAgg)
		return err
	})
	return n, err
}

// CheckAgg rebuilds the counts into a scratch bucket and reports whether
// they equal the stored ones; nothing is changed.
func (db *DB) CheckAgg() (bool, error) {
	equal := false
	err := db.update(func(tx *bolt.Tx) error {
		scratch := []byte("agg-check")
		if _, err := db.rebuildAgg(tx, scratch); err != nil {
			return err
		}
		equal = aggEqual(tx.Bucket(bAgg), tx.Bucket(scratch))
		return errRollback
	})
	if err == errRollback {
		err = nil
	}
	return equal, err
}

var errRollback = fmt.Errorf("rollback")

func (db *DB) rebuildAgg(tx *bolt.Tx, name []byte) (int, error) {
	if tx.Bucket(name) != nil {
		if err := tx.DeleteBucket(name); err != nil {
			return 0, err
		}
	}
	if _, err := tx.CreateBucket(name); err != nil {
		return 0, err
	}
	w := db.newTxWriter(tx)
	n := 0
	c := tx.Bucket(bResponses).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r, err := decodeRec(k, v, db.ncrit)
		if err != nil {
			return n, fmt.Errorf("response %x: %w", k, err)
		}
		sv := db.Survey(db.dict.name(kindSurvey, r.survey), int(r.version))
		crits, err := w.critIDs(sv)
		if err != nil {
			return n, err
		}
		w.agg.add(r, sv, crits, db.opts.Loc, 1)
		n++
	}
	if string(name) == string(bAgg) {
		db.blocks.clear()
		tx.OnCommit(db.blocks.clear)
	}
	return n, w.agg.flush(tx, tx.Bucket(name), nil, false)
}

// Backup writes a consistent copy of the database to w while the server
// keeps running (a read transaction sees one snapshot).
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to path (via a temporary file, synced,
// then renamed, so a crash never leaves a half-written backup under path).
func (db *DB) BackupFile(path string) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := db.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return n, err
}

// FirstResponseAt returns when the earliest stored response was submitted
// (the zero time when there is none): a period that begins before it has
// data for part of its span only.
func (db *DB) FirstResponseAt() time.Time {
	var t time.Time
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bResponses).Cursor().First(); k != nil {
			t = time.Unix(0, int64(binary.BigEndian.Uint64(k)))
		}
		return nil
	})
	return t
}
