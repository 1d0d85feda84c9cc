package bolt

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Compaction. Keys that arrive out of order (an import grouped by agency,
// then by time, inserts into the middle of the time-keyed responses bucket)
// split pages that then stay partly empty, and every transaction that
// rewrites a page leaves the old one free inside the file, which never
// shrinks. Compact copies every bucket into a new file with full pages and
// swaps it in; it needs the file to itself, so it is for commands run with
// the server stopped (`hailong compact`, and `hailong import responses` when
// the import left enough slack to be worth it).

// compactTxSize bounds the bytes copied per transaction while compacting,
// so that memory stays flat however large the file is.
const compactTxSize = 32 << 20

// CompactStats describe a compaction.
type CompactStats struct {
	Before, After int64 // file sizes in bytes
	Responses     int   // responses in both files
	Duration      time.Duration
}

// Slack estimates the bytes a compaction would give back: the free pages
// inside the file (also those freed by the last commit), and the unused
// part of the pages of the buckets whose keys can arrive out of order
// (responses, idempotency keys), which split pages half empty. Count blocks are excluded: their pages' slack comes
// from the blocks' sizes, and a compaction keeps most of it.
func (db *DB) Slack() (size, slack int64) {
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		size = tx.Size()
		st := db.bolt.Stats()
		slack = int64((st.FreePageN + st.PendingPageN) * db.bolt.Info().PageSize)
		for _, name := range [][]byte{bResponses, bIdem} {
			st := tx.Bucket(name).Stats()
			slack += int64(st.BranchAlloc + st.LeafAlloc - st.BranchInuse - st.LeafInuse)
		}
		return nil
	})
	return size, min(slack, size)
}

// Compact rewrites the database file with every page full and closes db.
// Only for a DB that nothing else uses (a command holding the file with
// the server stopped): submissions still queued are stored first, later
// ones fail with ErrClosed.
//
// The copy is written to a temporary file in the same folder (bbolt's
// Compact, in transactions of at most 32 MiB, filling pages 100 %) and
// synced; it must then open as a database (schema, zone, names), hold
// exactly the same keys and values in every bucket as the original, and,
// with checkCounts, have counts equal to a rebuild from its responses
// (CheckAgg). Only then is it renamed over the original, and the folder
// synced. On any failure the temporary file is removed and the original is
// left as it was: it is never written to, and a crash at any point leaves
// either the old file or the new one under the name. db is closed (and its
// lock released) only after the rename, so a server started meanwhile finds
// the file in use; one that was already waiting for the lock notices at
// Open that the file was replaced and opens the new one.
func (db *DB) Compact(checkCounts bool) (st CompactStats, err error) {
	defer db.Close()
	start := time.Now()
	db.stopWriter()
	db.wmu.Lock() // no write transaction from here on
	defer db.wmu.Unlock()

	tmp := db.Path + ".compact"
	if err := os.Remove(tmp); err != nil && !os.IsNotExist(err) {
		return st, err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	fi, err := os.Stat(db.Path)
	if err != nil {
		return st, err
	}
	st.Before = fi.Size()
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType, NoSync: true})
	if err != nil {
		return st, err
	}
	var used int64 // bbolt grows a file 16 MiB ahead: the copy ends where its last page does
	err = bbolt.Compact(dst, db.bolt, compactTxSize)
	if err == nil {
		err = dst.View(func(tx *bbolt.Tx) error { used = tx.Size(); return nil })
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = truncateSync(tmp, used) // NoSync above: one fsync for the whole copy
	}
	if err != nil {
		return st, fmt.Errorf("compact: writing the copy: %w", err)
	}

	cp, err := Open(tmp, Options{Loc: db.opts.Loc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return st, fmt.Errorf("compact: the copy does not open: %w", err)
	}
	err = db.bolt.View(func(a *bbolt.Tx) error {
		return cp.bolt.View(func(b *bbolt.Tx) error {
			st.After = b.Size()
			var err error
			st.Responses, err = sameContent(a, b)
			return err
		})
	})
	if err == nil && checkCounts {
		var ok bool
		if ok, err = cp.CheckAgg(); err == nil && !ok {
			err = fmt.Errorf("the counts differ from a rebuild from the responses: run 'hailong reindex' first")
		}
	}
	if cerr := cp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return st, fmt.Errorf("compact: the copy was not kept, the database is unchanged: %w", err)
	}
	if err := os.Rename(tmp, db.Path); err != nil {
		return st, err
	}
	if err := syncDir(filepath.Dir(db.Path)); err != nil {
		return st, err
	}
	if fi, err := os.Stat(db.Path); err == nil {
		st.After = fi.Size()
	}
	st.Duration = time.Since(start)
	return st, nil
}

// sameContent reports an error unless the two transactions hold the same
// buckets, keys, values and sequences; it returns the number of responses.
func sameContent(a, b *bbolt.Tx) (int, error) {
	n := 0
	ca, cb := a.Cursor(), b.Cursor()
	ka, _ := ca.First()
	kb, _ := cb.First()
	for ; ka != nil || kb != nil; ka, kb = next(ca), next(cb) {
		if !bytes.Equal(ka, kb) {
			return 0, fmt.Errorf("bucket %q against %q", ka, kb)
		}
		keys, err := sameBucket(a.Bucket(ka), b.Bucket(kb), string(ka))
		if err != nil {
			return 0, err
		}
		if bytes.Equal(ka, bResponses) {
			n = keys
		}
	}
	return n, nil
}

func next(c *bbolt.Cursor) []byte { k, _ := c.Next(); return k }

func sameBucket(a, b *bbolt.Bucket, path string) (int, error) {
	if a.Sequence() != b.Sequence() {
		return 0, fmt.Errorf("bucket %s: sequence %d against %d", path, a.Sequence(), b.Sequence())
	}
	n := 0
	ca, cb := a.Cursor(), b.Cursor()
	ka, va := ca.First()
	kb, vb := cb.First()
	for ; ka != nil || kb != nil; ka, va = ca.Next() {
		if !bytes.Equal(ka, kb) || (va == nil) != (vb == nil) || !bytes.Equal(va, vb) {
			return 0, fmt.Errorf("bucket %s: key %x differs (or %x)", path, ka, kb)
		}
		if va == nil {
			if _, err := sameBucket(a.Bucket(ka), b.Bucket(kb), path+"/"+string(ka)); err != nil {
				return 0, err
			}
		}
		n++
		kb, vb = cb.Next()
	}
	return n, nil
}

// truncateSync cuts the file at size and syncs it.
func truncateSync(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Truncate(size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
