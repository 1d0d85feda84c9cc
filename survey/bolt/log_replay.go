package bolt

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hailong/survey"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// An exported log (ExportLog) checked and replayed without the database:
// `hailong verify --log FILE`. The first pass recomputes the chain and
// compares it with the heads the file carries and the published ones; the
// second stores the organisation, surveys, settings and every response not
// withdrawn, with its final flags, into a new store, so that the same
// publication code recomputes the published figures from it.

// VerifyExport checks the exported log at path against its own heads and
// published (may be nil). With dir set and the chain intact, it replays the
// log into a new store in dir (clock now) and returns it open; the caller
// closes it.
func VerifyExport(path string, published []survey.Head, dir string, now func() time.Time) (*survey.LogReport, *DB, error) {
	start := time.Now()
	rep := &survey.LogReport{}
	final, h, err := checkExport(path, published, rep)
	rep.Duration = time.Since(start)
	rep.OK = err == nil && rep.Problem == ""
	if err != nil || !rep.OK || dir == "" {
		return rep, nil, err
	}
	loc, err := time.LoadLocation(h.Zone)
	if err != nil {
		return rep, nil, err
	}
	db, err := Open(filepath.Join(dir, "hailong.db"), Options{Loc: loc, Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return rep, nil, err
	}
	if err := db.replay(path, h, final); err != nil {
		db.Close()
		return rep, nil, err
	}
	return rep, db, nil
}

// readExport calls fn with the header and then every entry of the file.
func readExport(path string, header func(*survey.LogHeader) error, entry func(*survey.LogEntry) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	var h survey.LogHeader
	if err := dec.Decode(&h); err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	if h.Format != survey.LogFormat {
		return fmt.Errorf("%s: not an exported log (format %q, want %q)", path, h.Format, survey.LogFormat)
	}
	if err := header(&h); err != nil {
		return err
	}
	for {
		var e survey.LogEntry
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: entry: %w", path, err)
		}
		if err := entry(&e); err != nil {
			return err
		}
	}
}

// checkExport is the first pass. It returns the final flags of every
// response a flags change touched (key → seq of the change, flags).
func checkExport(path string, published []survey.Head, rep *survey.LogReport) (map[uint64]flagChange, *survey.LogHeader, error) {
	final := map[uint64]flagChange{}
	checks := map[uint64][]headCheck{}
	pending := map[uint64]string{} // withdrawn entries not yet met in a withdrawal
	var hdr *survey.LogHeader
	var hash [32]byte
	fail := func(e *survey.LogEntry, format string, args ...any) error {
		rep.Problem, rep.Entry = fmt.Sprintf(format, args...), e
		return errStop
	}
	err := readExport(path, func(h *survey.LogHeader) error {
		hdr = h
		for _, hd := range h.Heads {
			checks[hd.Entries] = append(checks[hd.Entries], headCheck{hd, "stored"})
		}
		rep.StoredHeads = len(h.Heads)
		for _, hd := range published {
			checks[hd.Entries] = append(checks[hd.Entries], headCheck{hd, "published"})
		}
		rep.FileHeads = len(published)
		return nil
	}, func(e *survey.LogEntry) error {
		if e.Seq != rep.Entries+1 {
			return fail(e, "entry %d follows entry %d", e.Seq, rep.Entries)
		}
		eh, err := entryHash(e)
		if err != nil {
			return fail(e, "entry %d cannot be encoded: %v", e.Seq, err)
		}
		switch {
		case e.Kind == survey.EntryResponse && e.Withdrawn:
			pending[e.Seq] = e.EntryHash
			rep.Responses++
		case e.Kind == survey.EntryResponse:
			rep.Responses++
		case e.Change.Kind == survey.ChangeFlags:
			final[e.Key] = flagChange{e.Seq, byte(e.Flags)}
			rep.Changes++
		case e.Change.Kind == survey.ChangeWithdraw:
			for _, w := range e.Withdraw {
				if h, ok := pending[w.Seq]; ok && h == w.Hash {
					delete(pending, w.Seq)
				}
			}
			rep.Changes++
		default:
			rep.Changes++
		}
		hash = survey.ChainNext(hash, eh)
		rep.Entries = e.Seq
		for _, hc := range checks[e.Seq] {
			if hc.head.Hash != hex.EncodeToString(hash[:]) {
				return fail(e, "the %s head of %s (%d entries) does not match the recomputed chain", hc.source, hc.head.Date, hc.head.Entries)
			}
			delete(checks, e.Seq)
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil, hdr, nil
	}
	if err != nil {
		return nil, hdr, err
	}
	for n, cs := range checks {
		if n > rep.Entries {
			fail(nil, "the %s head of %s counts %d entries; the file has only %d", cs[0].source, cs[0].head.Date, n, rep.Entries)
			return final, hdr, nil
		}
	}
	for seq := range pending {
		fail(&survey.LogEntry{Seq: seq}, "entry %d is marked withdrawn but no withdrawal lists it with that hash", seq)
		return final, hdr, nil
	}
	return final, hdr, nil
}

var errStop = errors.New("stop")

// replay is the second pass.
func (db *DB) replay(path string, h *survey.LogHeader, final map[uint64]flagChange) error {
	if err := db.replaySetup(h); err != nil {
		return err
	}
	batch := make([]*survey.Response, 0, importChunk)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := db.update(func(tx *bbolt.Tx) error {
			w := db.newTxWriter(tx)
			w.exact = true
			for _, r := range batch {
				if _, err := w.insert(r); err != nil {
					return fmt.Errorf("entry %d: %w", r.Seq, err)
				}
			}
			return w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, false)
		})
		batch = batch[:0]
		return err
	}
	err := readExport(path, func(*survey.LogHeader) error { return nil }, func(e *survey.LogEntry) error {
		if e.Kind != survey.EntryResponse || e.Withdrawn {
			return nil
		}
		ch, _ := survey.ParseChannel(e.Channel)
		at := time.Unix(0, int64(e.Key))
		r := &survey.Response{Seq: e.Seq, Survey: e.Survey, Version: e.Version, Channel: ch, Unit: e.Unit, Counter: e.Counter,
			Staff: e.Staff, Procedure: e.Procedure, Kiosk: e.Kiosk, Answers: e.Answers, Reasons: e.Reasons, Facts: e.Facts,
			SubmittedAt: at, ReceivedAt: at.Add(time.Duration(e.ReceivedMs) * time.Millisecond), Flags: e.Flags}
		if fc, ok := final[e.Key]; ok && fc.seq > e.Seq {
			r.Flags = survey.Flags(fc.flags)
		}
		if r.Answers == nil {
			r.Answers = map[string]int{}
		}
		if db.Survey(r.Survey, r.Version) == nil {
			return fmt.Errorf("entry %d: survey %s version %d is not in the header", e.Seq, r.Survey, r.Version)
		}
		if batch = append(batch, r); len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// replaySetup stores the header's organisation, surveys (their exact
// versions) and settings.
func (db *DB) replaySetup(h *survey.LogHeader) error {
	for _, g := range h.Groups {
		if err := db.PutGroup(g); err != nil {
			return fmt.Errorf("group %s: %w", g.ID, err)
		}
	}
	if err := db.PutUnits(h.Units); err != nil {
		return fmt.Errorf("units: %w", err)
	}
	for _, c := range h.Counters {
		if err := db.PutCounter(c); err != nil {
			return fmt.Errorf("counter %s: %w", c.ID, err)
		}
	}
	for _, s := range h.Staff {
		if err := db.PutStaff(s); err != nil {
			return fmt.Errorf("staff %s: %w", s.ID, err)
		}
	}
	err := db.update(func(tx *bbolt.Tx) error {
		for i := range h.Surveys {
			if err := putSurvey(tx, &h.Surveys[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := db.loadCaches(); err != nil {
		return err
	}
	st := db.Settings()
	st.Analytics, st.Publish = h.Analytics, h.Publish
	return db.SaveSettings(st)
}
