package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hailong/survey"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// VerifyLog recomputes the chain from the stored responses and changes and
// compares it with the stored entries, heads and tip, and with published
// (heads saved earlier; may be nil), and checks that every stored response
// is in the log and the other way round. The report names the first
// difference; err is for I/O failures only.
func (db *DB) VerifyLog(published []survey.Head, progress func(done, total uint64)) (*survey.LogReport, error) {
	start := time.Now()
	rep := &survey.LogReport{}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		v := &verifier{db: db, tx: tx, rep: rep, checks: map[uint64][]headCheck{}}
		return v.run(published, progress)
	})
	rep.Duration = time.Since(start)
	rep.OK = err == nil && rep.Problem == ""
	return rep, err
}

// headCheck is a head to compare with the chain after its entries.
type headCheck struct {
	head   survey.Head
	source string // "stored" or "published"
}

type flagChange struct {
	seq   uint64
	flags byte
}

type verifier struct {
	db        *DB
	tx        *bbolt.Tx
	rep       *survey.LogReport
	checks    map[uint64][]headCheck
	days      []survey.Head // stored heads, in order: the day of an entry
	gone      map[uint64]string
	flags     map[uint64]flagChange // response key → its last flags change
	retention []retention
	keys      []uint64 // keys of the live response entries
}

type retention struct {
	seq    uint64
	before int64 // comments of responses submitted before it (ns); 0 unknown
}

// fail records the first problem (at entry seq, 0 for none).
func (v *verifier) fail(seq uint64, e *survey.LogEntry, format string, args ...any) {
	if v.rep.Problem != "" {
		return
	}
	v.rep.Problem = fmt.Sprintf(format, args...)
	if e == nil && seq > 0 {
		e = &survey.LogEntry{Seq: seq}
	}
	v.rep.Entry = e
	if seq > 0 {
		for _, h := range v.days {
			if h.Entries >= seq {
				v.rep.Day = h.Date
				break
			}
		}
	}
}

func (v *verifier) run(published []survey.Head, progress func(done, total uint64)) error {
	var prev uint64
	c := v.tx.Bucket(bHeads).Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		h, ok := headOf(k, val)
		if !ok || h.Entries < prev {
			v.fail(0, nil, "stored head %x is malformed or goes back", k)
			return nil
		}
		prev = h.Entries
		v.days = append(v.days, h)
		v.checks[h.Entries] = append(v.checks[h.Entries], headCheck{h, "stored"})
	}
	v.rep.StoredHeads = len(v.days)
	for _, h := range published {
		if i := slices.IndexFunc(v.days, func(s survey.Head) bool { return s.Date == h.Date }); i < 0 || v.days[i].Entries != h.Entries {
			if i < 0 {
				v.fail(0, nil, "the published head of %s (%d entries) is not among the stored heads", h.Date, h.Entries)
			} else {
				v.fail(0, nil, "the published head of %s has %d entries, the stored one %d", h.Date, h.Entries, v.days[i].Entries)
			}
			return nil
		}
		v.checks[h.Entries] = append(v.checks[h.Entries], headCheck{h, "published"})
		v.rep.FileHeads++
	}
	total := lastSeq(v.tx)
	if err := v.changes(); err != nil || v.rep.Problem != "" {
		return err
	}
	hash, ok := v.chain(total, progress)
	if !ok {
		return nil
	}
	if len(v.days) > 0 {
		tip := v.days[len(v.days)-1]
		if tip.Entries != total || tip.Hash != hex.EncodeToString(hash[:]) {
			v.fail(total, nil, "the stored tip (%d entries) does not match the log's end (%d entries)", tip.Entries, total)
			return nil
		}
	} else if total > 0 {
		v.fail(total, nil, "the log has %d entries but no stored head", total)
		return nil
	}
	for n, cs := range v.checks {
		if n > total {
			v.fail(total, nil, "the %s head of %s counts %d entries; the log has only %d", cs[0].source, cs[0].head.Date, n, total)
			return nil
		}
	}
	v.coverage()
	return nil
}

// changes reads every change entry first: withdrawals, flags changes and
// retention purges explain later differences between the log and the
// records.
func (v *verifier) changes() error {
	v.gone, v.flags = map[uint64]string{}, map[uint64]flagChange{}
	err := eachEntry(v.tx, func(r *logRec) bool {
		if !r.change {
			return true
		}
		e, err := survey.DecodeChange(r.seq, r.canon)
		if err != nil {
			v.fail(r.seq, nil, "entry %d: a change entry that cannot be read", r.seq)
			return false
		}
		switch e.Change.Kind {
		case survey.ChangeWithdraw:
			for _, w := range e.Withdraw {
				v.gone[w.Seq] = w.Hash
			}
		case survey.ChangeFlags:
			v.flags[e.Key] = flagChange{r.seq, byte(e.Flags)}
		case survey.ChangeRetention:
			rt := retention{seq: r.seq}
			if t, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(e.Change.Detail, "comments submitted before ")); err == nil {
				rt.before = t.UnixNano()
			}
			v.retention = append(v.retention, rt)
		}
		return true
	})
	var ee *entryError
	if errors.As(err, &ee) {
		v.fail(ee.seq, nil, "%v", ee)
		return nil
	}
	return err
}

// chain recomputes every entry in order; false when it stopped at a problem.
func (v *verifier) chain(total uint64, progress func(done, total uint64)) ([32]byte, bool) {
	var hash [32]byte
	resp := v.tx.Bucket(bResponses)
	var buf []byte
	seq, ok := uint64(0), true
	err := eachEntry(v.tx, func(r *logRec) bool {
		seq++
		var e [32]byte
		if r.change {
			e = sha256.Sum256(r.canon)
			if !bytes.Equal(e[:digestLen], r.digest) {
				ce, _ := survey.DecodeChange(r.seq, r.canon)
				v.fail(r.seq, ce, "entry %d (a change) differs from its digest", r.seq)
				ok = false
				return false
			}
			v.rep.Changes++
		} else {
			if e, buf, ok = v.response(r, resp, buf); !ok {
				return false
			}
			v.rep.Responses++
		}
		hash = survey.ChainNext(hash, e)
		v.rep.Entries = seq
		for _, hc := range v.checks[seq] {
			if hc.head.Hash != hex.EncodeToString(hash[:]) {
				v.fail(seq, nil, "the %s head of %s (%d entries) does not match the recomputed chain: an entry of that day or before was changed", hc.source, hc.head.Date, hc.head.Entries)
				ok = false
				return false
			}
		}
		if progress != nil && seq%(1<<16) == 0 {
			progress(seq, total)
		}
		return true
	})
	var ee *entryError
	if errors.As(err, &ee) {
		v.fail(ee.seq, nil, "%v", ee)
		return hash, false
	}
	return hash, ok && err == nil
}

// response checks one response entry against its record and returns its
// entry hash.
func (v *verifier) response(ent *logRec, resp *bbolt.Bucket, buf []byte) ([32]byte, []byte, bool) {
	var e [32]byte
	seq := ent.seq
	named := &survey.LogEntry{Seq: seq, Kind: survey.EntryResponse, Key: ent.key}
	if h, ok := v.gone[seq]; ok {
		b, _ := hex.DecodeString(h)
		copy(e[:], b)
		if !bytes.Equal(e[:digestLen], ent.digest) {
			v.fail(seq, named, "entry %d: the hash its withdrawal lists differs from the entry", seq)
			return e, buf, false
		}
		return e, buf, true
	}
	rv := resp.Get(u64(ent.key))
	if rv == nil {
		v.fail(seq, named, "entry %d: response %d is missing and no withdrawal lists it", seq, ent.key)
		return e, buf, false
	}
	rc, err := decodeRec(u64(ent.key), rv, v.db.ncrit)
	if err != nil {
		v.fail(seq, named, "entry %d: response %d cannot be read", seq, ent.key)
		return e, buf, false
	}
	n, sv := v.db.recNames(rc)
	if sv == nil {
		v.fail(seq, named, "entry %d: response %d names an unknown survey version", seq, ent.key)
		return e, buf, false
	}
	if !v.commentOK(seq, ent, rc) {
		return e, buf, false
	}
	buf = appendCanonR(buf[:0], ent.key, ent.flags, n, rc, sv, orderOf(sv), ent.comment)
	e = sha256.Sum256(buf)
	if !bytes.Equal(e[:digestLen], ent.digest) {
		v.fail(seq, v.db.responseEntry(seq, ent, rc, sv), "entry %d: response %d differs from what was logged (answers, unit, time or another field changed)", seq, ent.key)
		return e, buf, false
	}
	want := ent.flags
	if fc, ok := v.flags[ent.key]; ok && fc.seq > seq {
		want = fc.flags
	}
	if rc.flags != want {
		v.fail(seq, named, "entry %d: response %d has flags %s, the log says %s", seq, ent.key, survey.Flags(rc.flags), survey.Flags(want))
		return e, buf, false
	}
	v.keys = append(v.keys, ent.key)
	return e, buf, true
}

// commentOK: the record's comment is the logged one, or was removed by a
// logged retention purge.
func (v *verifier) commentOK(seq uint64, ent *logRec, rc *rec) bool {
	named := &survey.LogEntry{Seq: seq, Kind: survey.EntryResponse, Key: ent.key}
	switch {
	case ent.comment == nil && rc.comment != "":
		v.fail(seq, named, "entry %d: response %d has a comment the log does not have", seq, ent.key)
		return false
	case ent.comment != nil && rc.comment != "":
		if sha256.Sum256([]byte(rc.comment)) != *ent.comment {
			v.fail(seq, named, "entry %d: the comment of response %d differs from the logged one", seq, ent.key)
			return false
		}
	case ent.comment != nil:
		for _, r := range v.retention {
			if r.seq > seq && (r.before == 0 || int64(ent.key) < r.before) {
				return true
			}
		}
		v.fail(seq, named, "entry %d: the comment of response %d was removed without a logged retention purge", seq, ent.key)
		return false
	}
	return true
}

// coverage checks that every stored response has exactly one live entry.
func (v *verifier) coverage() {
	slices.Sort(v.keys)
	for i := 1; i < len(v.keys); i++ {
		if v.keys[i] == v.keys[i-1] {
			v.fail(0, &survey.LogEntry{Kind: survey.EntryResponse, Key: v.keys[i]}, "response %d has two entries in the log", v.keys[i])
			return
		}
	}
	c := v.tx.Bucket(bResponses).Cursor()
	i := 0
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		key := binary.BigEndian.Uint64(k)
		for i < len(v.keys) && v.keys[i] < key {
			i++ // logged and since missing: reported by the chain pass
		}
		if i >= len(v.keys) || v.keys[i] != key {
			v.fail(0, &survey.LogEntry{Kind: survey.EntryResponse, Key: key}, "response %d is stored but not in the log", key)
			return
		}
		v.rep.RecordsFound++
	}
}
