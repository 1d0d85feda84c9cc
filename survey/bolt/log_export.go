package bolt

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hailong/survey"
	"io"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// responseEntry is a response entry with its content re-derived from the
// record (rc, of survey version sv).
func (db *DB) responseEntry(seq uint64, ent *logRec, rc *rec, sv *survey.Survey) *survey.LogEntry {
	n := namesFrom(db.dict, rc)
	e := &survey.LogEntry{Seq: seq, Kind: survey.EntryResponse, Key: ent.key, Flags: survey.Flags(ent.flags),
		Survey: n.survey, Version: int(rc.version), Channel: survey.Channel(rc.channel).String(),
		Unit: n.unit, Counter: n.counter, Staff: n.staff, Procedure: n.procedure, Kiosk: n.kiosk,
		ReceivedMs: (rc.received - int64(ent.key)) / int64(time.Millisecond), Answers: map[string]int{},
		DossierHash: survey.HashText(rc.dossier)}
	if ent.comment != nil {
		e.CommentHash = hex.EncodeToString(ent.comment[:])
	}
	for i, a := range rc.answers {
		if a != unanswered && i < len(sv.Criteria) {
			e.Answers[sv.Criteria[i].Key] = int(a)
		}
	}
	for i := range sv.Reasons {
		if rc.reasons&(1<<uint(i)) != 0 {
			e.Reasons = append(e.Reasons, sv.Reasons[i].Key)
		}
	}
	for _, f := range rc.facts {
		if i := int(f >> 4); i < len(sv.Facts) {
			if e.Facts == nil {
				e.Facts = map[string]int{}
			}
			e.Facts[sv.Facts[i].Key] = int(f & 0xF)
		}
	}
	return e
}

// withdrawals maps every withdrawn entry to its hash, from the change
// entries (read through the change index).
func withdrawals(tx *bbolt.Tx) map[uint64]string {
	out := map[uint64]string{}
	c := tx.Bucket(bLogX).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if string(v) != survey.ChangeWithdraw {
			continue
		}
		seq := binary.BigEndian.Uint64(k)
		if r := getEntry(tx, seq); r != nil && r.change {
			if e, err := survey.DecodeChange(seq, r.canon); err == nil {
				for _, w := range e.Withdraw {
					out[w.Seq] = w.Hash
				}
			}
		}
	}
	return out
}

// ExportLog writes the log as JSON lines: a header (LogHeader) then one
// LogEntry per line, in order, without personal data.
func (db *DB) ExportLog(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if err := enc.Encode(db.logHeader(tx)); err != nil {
			return err
		}
		gone := withdrawals(tx)
		resp := tx.Bucket(bResponses)
		var ferr error
		err := eachEntry(tx, func(r *logRec) bool {
			var e *survey.LogEntry
			if e, ferr = db.exportEntry(r, resp, gone); ferr != nil {
				ferr = fmt.Errorf("log entry %d: %w", r.seq, ferr)
				return false
			}
			ferr = enc.Encode(e)
			return ferr == nil
		})
		if ferr != nil {
			return ferr
		}
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func (db *DB) exportEntry(ent *logRec, resp *bbolt.Bucket, gone map[uint64]string) (*survey.LogEntry, error) {
	if ent.change {
		return survey.DecodeChange(ent.seq, ent.canon)
	}
	if h, ok := gone[ent.seq]; ok {
		return &survey.LogEntry{Seq: ent.seq, Kind: survey.EntryResponse, Key: ent.key, Flags: survey.Flags(ent.flags), Withdrawn: true, EntryHash: h}, nil
	}
	rv := resp.Get(u64(ent.key))
	if rv == nil {
		return nil, fmt.Errorf("response %d missing (run hailong verify)", ent.key)
	}
	rc, err := decodeRec(u64(ent.key), rv, db.ncrit)
	if err != nil {
		return nil, err
	}
	_, sv := db.recNames(rc)
	if sv == nil {
		return nil, errors.New("survey version missing")
	}
	return db.responseEntry(ent.seq, ent, rc, sv), nil
}

// logHeader is what recomputing the published figures needs besides the
// entries.
func (db *DB) logHeader(tx *bbolt.Tx) *survey.LogHeader {
	st := db.Settings()
	h := &survey.LogHeader{Format: survey.LogFormat, Zone: db.opts.Loc.String(), ExportedAt: db.opts.Now().UTC(),
		Analytics: st.Analytics, Publish: st.Publish, Groups: db.Groups(), Units: db.Units(),
		Counters: []survey.Counter{}, Staff: []survey.Staff{}, Heads: []survey.Head{}}
	h.Publish.Origins = nil
	h.Entries = lastSeq(tx)
	c := tx.Bucket(bHeads).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if hd, ok := headOf(k, v); ok {
			h.Heads = append(h.Heads, hd)
		}
	}
	for _, key := range db.SurveyKeys() {
		for v := 1; ; v++ {
			s := db.Survey(key, v)
			if s == nil || s.Version != v {
				break
			}
			h.Surveys = append(h.Surveys, *s)
		}
	}
	for _, x := range db.Counters("") {
		if !st.Publish.Staff {
			x.Name = x.ID
		}
		h.Counters = append(h.Counters, x)
	}
	for _, x := range db.StaffOf("") {
		s := survey.Staff{ID: x.ID, Unit: x.Unit, Name: x.ID}
		if st.Publish.Staff {
			s.Name = x.Name
		}
		h.Staff = append(h.Staff, s)
	}
	return h
}

// entryHash returns the entry hash of an exported entry: its canonical
// bytes' SHA-256, or for a withdrawn response the hash its withdrawal
// carries.
func entryHash(e *survey.LogEntry) ([32]byte, error) {
	var h [32]byte
	if e.Kind == survey.EntryResponse && e.Withdrawn {
		b, err := hex.DecodeString(e.EntryHash)
		if err != nil || len(b) != 32 {
			return h, fmt.Errorf("entry %d: bad entry_sha256", e.Seq)
		}
		copy(h[:], b)
		return h, nil
	}
	c, err := e.Canonical()
	if err != nil {
		return h, err
	}
	return sha256.Sum256(c), nil
}
