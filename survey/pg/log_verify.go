package pg

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// VerifyLog recomputes the chain from the stored responses and changes and
// compares it with the stored entries, heads and tip, and with published,
// and checks that every stored response is in the log and the other way
// round (the checks of survey/bolt/log_verify.go, in one snapshot). The
// report names the first difference; err is for I/O failures only.
func (db *DB) VerifyLog(published []survey.Head, progress func(done, total uint64)) (*survey.LogReport, error) {
	start := time.Now()
	rep := &survey.LogReport{}
	err := db.view(func(tx pgx.Tx) error {
		v := &verifier{tx: tx, rep: rep, checks: map[uint64][]headCheck{}}
		return v.run(published, progress)
	})
	rep.Duration = time.Since(start)
	rep.OK = err == nil && rep.Problem == ""
	return rep, err
}

type headCheck struct {
	head   survey.Head
	source string // "stored" or "published"
}

type flagChange struct {
	seq   uint64
	flags survey.Flags
}

type retention struct {
	seq    uint64
	before int64 // comments of responses submitted before it (ns); 0 unknown
}

type verifier struct {
	tx        pgx.Tx
	rep       *survey.LogReport
	checks    map[uint64][]headCheck
	days      []survey.Head
	gone      map[uint64]string
	flags     map[uint64]flagChange
	retention []retention
	keys      []uint64
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
	heads, err := allHeads(v.tx)
	if err != nil {
		return err
	}
	var prev uint64
	for _, h := range heads {
		if h.Entries < prev {
			v.fail(0, nil, "stored head %s goes back", h.Date)
			return nil
		}
		prev = h.Entries
		v.days = append(v.days, h)
		v.checks[h.Entries] = append(v.checks[h.Entries], headCheck{h, "stored"})
	}
	v.rep.StoredHeads = len(v.days)
	if !v.published(published) {
		return nil
	}
	var n int64
	if err := v.tx.QueryRow(ctx(), "SELECT coalesce(max(seq), 0) FROM log").Scan(&n); err != nil {
		return err
	}
	total := uint64(n)
	if err := v.changes(); err != nil || v.rep.Problem != "" {
		return err
	}
	hash, ok, err := v.chain(total, progress)
	if err != nil || !ok {
		return err
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
	return v.coverage()
}

// published files the published heads to compare; false at a problem.
func (v *verifier) published(published []survey.Head) bool {
	for _, h := range published {
		i := slices.IndexFunc(v.days, func(s survey.Head) bool { return s.Date == h.Date })
		if i < 0 {
			v.fail(0, nil, "the published head of %s (%d entries) is not among the stored heads", h.Date, h.Entries)
			return false
		}
		if v.days[i].Entries != h.Entries {
			v.fail(0, nil, "the published head of %s has %d entries, the stored one %d", h.Date, h.Entries, v.days[i].Entries)
			return false
		}
		v.checks[h.Entries] = append(v.checks[h.Entries], headCheck{h, "published"})
		v.rep.FileHeads++
	}
	return true
}

// changes reads every change entry first: withdrawals, flag changes and
// retention purges explain later differences between log and records.
func (v *verifier) changes() error {
	v.gone, v.flags = map[uint64]string{}, map[uint64]flagChange{}
	rows, err := v.tx.Query(ctx(), "SELECT seq, canon FROM log WHERE change_kind <> '' ORDER BY seq")
	if err != nil {
		return err
	}
	var seq int64
	var canon []byte
	_, err = pgx.ForEachRow(rows, []any{&seq, &canon}, func() error {
		if v.rep.Problem != "" {
			return nil
		}
		e, err := survey.DecodeChange(uint64(seq), canon)
		if err != nil {
			v.fail(uint64(seq), nil, "entry %d: a change entry that cannot be read", seq)
			return nil
		}
		switch e.Change.Kind {
		case survey.ChangeWithdraw:
			for _, w := range e.Withdraw {
				v.gone[w.Seq] = w.Hash
			}
		case survey.ChangeFlags:
			v.flags[e.Key] = flagChange{uint64(seq), e.Flags}
		case survey.ChangeRetention:
			rt := retention{seq: uint64(seq)}
			if t, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(e.Change.Detail, "comments submitted before ")); err == nil {
				rt.before = t.UnixNano()
			}
			v.retention = append(v.retention, rt)
		}
		return nil
	})
	return err
}

// errStop ends the chain pass at a problem (recorded in the report).
var errStop = fmt.Errorf("stop")

// chain recomputes every entry in order; false when it stopped at a problem.
func (v *verifier) chain(total uint64, progress func(done, total uint64)) ([32]byte, bool, error) {
	var hash [32]byte
	seq := uint64(0)
	err := eachEntry(v.tx, func(r *logRow) error {
		seq++
		if r.seq != seq {
			v.fail(seq, nil, "entry %d is missing from the log", seq)
			return errStop
		}
		var e [32]byte
		if r.kind != "" {
			e = sha256.Sum256(r.canon)
			if !bytes.Equal(e[:], r.hash) {
				ce, _ := survey.DecodeChange(r.seq, r.canon)
				v.fail(r.seq, ce, "entry %d (a change) differs from its digest", r.seq)
				return errStop
			}
			v.rep.Changes++
		} else {
			var ok bool
			if e, ok = v.response(r); !ok {
				return errStop
			}
			v.rep.Responses++
		}
		hash = survey.ChainNext(hash, e)
		v.rep.Entries = seq
		for _, hc := range v.checks[seq] {
			if hc.head.Hash != hex.EncodeToString(hash[:]) {
				v.fail(seq, nil, "the %s head of %s (%d entries) does not match the recomputed chain: an entry of that day or before was changed", hc.source, hc.head.Date, hc.head.Entries)
				return errStop
			}
		}
		if progress != nil && seq%(1<<16) == 0 {
			progress(seq, total)
		}
		return nil
	})
	if err == errStop {
		return hash, false, nil
	}
	return hash, err == nil, err
}

// response checks one response entry against its record and returns its
// entry hash.
func (v *verifier) response(ent *logRow) ([32]byte, bool) {
	var e [32]byte
	seq := ent.seq
	named := &survey.LogEntry{Seq: seq, Kind: survey.EntryResponse, Key: ent.key}
	if h, ok := v.gone[seq]; ok {
		b, _ := hex.DecodeString(h)
		copy(e[:], b)
		if !bytes.Equal(e[:], ent.hash) {
			v.fail(seq, named, "entry %d: the hash its withdrawal lists differs from the entry", seq)
			return e, false
		}
		return e, true
	}
	r := ent.resp
	if r == nil {
		v.fail(seq, named, "entry %d: response %d is missing and no withdrawal lists it", seq, ent.key)
		return e, false
	}
	if !v.commentOK(ent) {
		return e, false
	}
	le := loggedEntry(ent)
	canon, err := le.Canonical()
	if err != nil {
		v.fail(seq, named, "entry %d: response %d cannot be encoded: %v", seq, ent.key, err)
		return e, false
	}
	e = sha256.Sum256(canon)
	if !bytes.Equal(e[:], ent.hash) {
		v.fail(seq, le, "entry %d: response %d differs from what was logged (answers, unit, time or another field changed)", seq, ent.key)
		return e, false
	}
	want := ent.flags
	if fc, ok := v.flags[ent.key]; ok && fc.seq > seq {
		want = fc.flags
	}
	if r.Flags != want {
		v.fail(seq, named, "entry %d: response %d has flags %s, the log says %s", seq, ent.key, r.Flags, want)
		return e, false
	}
	v.keys = append(v.keys, ent.key)
	return e, true
}

// commentOK: the record's comment is the logged one, or was removed by a
// logged retention purge.
func (v *verifier) commentOK(ent *logRow) bool {
	seq, rc := ent.seq, ent.resp.Comment
	named := &survey.LogEntry{Seq: seq, Kind: survey.EntryResponse, Key: ent.key}
	switch {
	case ent.comment == nil && rc != "":
		v.fail(seq, named, "entry %d: response %d has a comment the log does not have", seq, ent.key)
		return false
	case ent.comment != nil && rc != "":
		if h := sha256.Sum256([]byte(rc)); !bytes.Equal(h[:], ent.comment) {
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
func (v *verifier) coverage() error {
	slices.Sort(v.keys)
	for i := 1; i < len(v.keys); i++ {
		if v.keys[i] == v.keys[i-1] {
			v.fail(0, &survey.LogEntry{Kind: survey.EntryResponse, Key: v.keys[i]}, "response %d has two entries in the log", v.keys[i])
			return nil
		}
	}
	rows, err := v.tx.Query(ctx(), "SELECT key FROM responses ORDER BY key")
	if err != nil {
		return err
	}
	i := 0
	var k int64
	_, err = pgx.ForEachRow(rows, []any{&k}, func() error {
		key := uint64(k)
		for i < len(v.keys) && v.keys[i] < key {
			i++
		}
		if v.rep.Problem != "" {
			return nil
		}
		if i >= len(v.keys) || v.keys[i] != key {
			v.fail(0, &survey.LogEntry{Kind: survey.EntryResponse, Key: key}, "response %d is stored but not in the log", key)
			return nil
		}
		v.rep.RecordsFound++
		return nil
	})
	return err
}
