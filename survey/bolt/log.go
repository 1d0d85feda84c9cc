package bolt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hailong/survey"
	"sort"
	"strconv"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// The tamper-evident log (docs/INTEGRITY.md). Every response stored and
// every change of what counts is appended, in the transaction that stores
// it, to the bucket log (log_store.go: entries packed 64 to a value); the
// chain tip is kept in memory and, with each day's head, in the bucket
// heads, written in the same transaction.
//
//	logx  seq uint64 BE → change kind (the change entries, for lookups)
//	heads day uint32 BE (days since 1970-01-01 in the zone) → entries(8) hash(32)
//
// A response entry keeps only what the record cannot give back (the flags
// when appended, the comment's hash, which retention may remove from the
// record); its canonical bytes are re-derived from the immutable record.
var (
	bLog   = []byte("log")
	bLogX  = []byte("logx")
	bHeads = []byte("heads")
)

const (
	// logScanBack bounds the backward search for the entry of an
	// idempotent repeat (its confirmation code): repeats are recent.
	logScanBack = 200_000
)

// logTip is the end of the chain: entries so far, the hash after the last,
// and the day of the last commit that appended (the log's day never goes
// back, whatever the clock does).
type logTip struct {
	seq  uint64
	hash [32]byte
	day  int32
}

// logTx appends to the log within one write transaction (DB.update sets
// db.lg; guarded by wmu). The tip moves in memory only at commit.
type logTx struct {
	db      *DB
	tx      *bbolt.Tx
	tip     logTip
	start   uint64
	w       *logWriter
	deleted []survey.Withdrawn // responses deleted in this transaction, for the withdrawal entry
	buf     []byte
}

func (db *DB) beginLog(tx *bbolt.Tx) *logTx {
	lg := &logTx{db: db, tx: tx, tip: db.logTip, start: db.logTip.seq}
	db.lg = lg
	return lg
}

// finish writes the day's head when anything was appended (and notes the
// deletions no withdrawal covered), and moves the tip at commit.
func (lg *logTx) finish() error {
	if len(lg.deleted) > 0 {
		if err := lg.db.noteChange(lg.tx, survey.Change{Kind: survey.ChangeWithdraw, Actor: "system",
			Detail: fmt.Sprintf("%d responses deleted", len(lg.deleted))}); err != nil {
			return err
		}
	}
	if lg.tip.seq == lg.start {
		return nil
	}
	if err := lg.w.flush(); err != nil {
		return err
	}
	day := survey.DayOf(lg.db.opts.Now(), lg.db.opts.Loc)
	if day < lg.tip.day {
		day = lg.tip.day
	}
	lg.tip.day = day
	v := make([]byte, 40)
	binary.BigEndian.PutUint64(v, lg.tip.seq)
	copy(v[8:], lg.tip.hash[:])
	if err := lg.tx.Bucket(bHeads).Put(u32(uint32(day)), v); err != nil {
		return err
	}
	tip := lg.tip
	lg.tx.OnCommit(func() { lg.db.logTip = tip })
	return nil
}

// next returns the writer and the number of the next entry.
func (lg *logTx) next() (*logWriter, uint64) {
	if lg.w == nil {
		lg.w = newLogWriter(lg.tx)
	}
	return lg.w, lg.tip.seq + 1
}

// moved advances the tip past entry seq with entry hash e.
func (lg *logTx) moved(seq uint64, e [32]byte) uint64 {
	lg.tip.seq, lg.tip.hash = seq, survey.ChainNext(lg.tip.hash, e)
	return seq
}

// appendResponse appends the entry of a response just stored under key.
func (lg *logTx) appendResponse(key uint64, rc *rec, sv *survey.Survey, n *recNames) (uint64, error) {
	var ch *[32]byte
	if rc.comment != "" {
		h := sha256.Sum256([]byte(rc.comment))
		ch = &h
	}
	lg.buf = appendCanonR(lg.buf[:0], key, rc.flags, n, rc, sv, lg.db.order(sv), ch)
	e := sha256.Sum256(lg.buf)
	w, seq := lg.next()
	if err := w.addResponse(seq, key, rc.flags, e, ch); err != nil {
		return 0, err
	}
	return lg.moved(seq, e), nil
}

// noteChange appends c to the tamper-evident log inside tx, the transaction
// that makes the change. Every change of what counts goes through it. At is
// set to the store's clock when zero. For ChangeFlags, Target names the
// response (its UUID or decimal storage key) and noteChange must be called
// after the record is rewritten: the entry keeps the flags the record has
// then. For ChangeWithdraw, call it after deleting the responses
// (deleteResponses) in the same transaction: the entry lists them with
// their entry hashes; deletions left unnoted get a withdrawal of their own
// at commit.
func (db *DB) noteChange(tx *bbolt.Tx, c survey.Change) error {
	lg := db.lg
	if lg == nil || lg.tx != tx {
		return errors.New("noteChange outside a store transaction")
	}
	if c.At.IsZero() {
		c.At = db.opts.Now()
	}
	e := &survey.LogEntry{Kind: survey.EntryChange, Change: &c}
	switch c.Kind {
	case survey.ChangeFlags:
		key, err := responseKey(tx, c.Target)
		if err != nil {
			return err
		}
		v := tx.Bucket(bResponses).Get(u64(key))
		if len(v) < 4 {
			return fmt.Errorf("flags change of a missing response %d", key)
		}
		e.Key, e.Flags = key, survey.Flags(v[2])
	case survey.ChangeWithdraw:
		e.Withdraw, lg.deleted = lg.deleted, nil
		sort.Slice(e.Withdraw, func(i, j int) bool { return e.Withdraw[i].Seq < e.Withdraw[j].Seq })
	}
	canon, err := e.Canonical()
	if err != nil {
		return err
	}
	h := sha256.Sum256(canon)
	w, seq := lg.next()
	if err := w.addChange(seq, h, canon); err != nil {
		return err
	}
	lg.moved(seq, h)
	return tx.Bucket(bLogX).Put(u64(seq), []byte(c.Kind))
}

// withdrawing records that the response under key, decoded as rc, is
// being deleted in this transaction: its entry hash goes into the
// withdrawal entry. A response without an entry (none within reach) is
// not listed.
func (lg *logTx) withdrawing(key uint64, rc *rec, seqs map[uint64]uint64) error {
	seq, ok := seqs[key]
	if !ok {
		return nil
	}
	ent := getEntry(lg.tx, seq)
	if ent == nil || ent.change {
		return fmt.Errorf("log entry %d: not a response entry", seq)
	}
	n, sv := lg.db.recNames(rc)
	if sv == nil {
		return fmt.Errorf("response %d: survey version missing", key)
	}
	lg.buf = appendCanonR(lg.buf[:0], key, ent.flags, n, rc, sv, lg.db.order(sv), ent.comment)
	e := sha256.Sum256(lg.buf)
	lg.deleted = append(lg.deleted, survey.Withdrawn{Seq: seq, Hash: hex.EncodeToString(e[:])})
	return nil
}

// seqsOf finds the latest response entries of keys, searching back from
// the tip over at most limit entries (0: the whole log, as a withdrawal of
// an old batch needs; it stops once every key is found).
func seqsOf(tx *bbolt.Tx, keys []uint64, limit int) map[uint64]uint64 {
	want := make(map[uint64]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	out := make(map[uint64]uint64, len(keys))
	n := 0
	eachEntryBack(tx, func(r *logRec) bool {
		n++
		if !r.change && want[r.key] {
			if _, seen := out[r.key]; !seen {
				out[r.key] = r.seq
			}
		}
		return len(out) < len(want) && (limit == 0 || n < limit)
	})
	return out
}

// recNames are the names of a record's interned ids.
type recNames struct {
	survey                                 string
	unit, counter, staff, procedure, kiosk string
}

func (db *DB) recNames(rc *rec) (*recNames, *survey.Survey) {
	return namesFrom(db.dict, rc), db.Survey(db.dict.name(kindSurvey, rc.svy), int(rc.version))
}

func namesFrom(d *dict, rc *rec) *recNames {
	return &recNames{survey: d.name(kindSurvey, rc.svy), unit: d.name(kindUnit, rc.unit), counter: d.name(kindCounter, rc.counter),
		staff: d.name(kindStaff, rc.staff), procedure: d.name(kindProcedure, rc.procedure), kiosk: d.name(kindKiosk, rc.kiosk)}
}

// svOrder is a survey version's criteria, reasons and facts in key order,
// as the canonical bytes list them.
type svOrder struct{ crit, reason, fact []int }

var orders sync.Map // *survey.Survey → *svOrder (survey versions never change)

func (db *DB) order(sv *survey.Survey) *svOrder { return orderOf(sv) }

func orderOf(sv *survey.Survey) *svOrder {
	if o, ok := orders.Load(sv); ok {
		return o.(*svOrder)
	}
	idx := func(n int, key func(int) string) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		sort.SliceStable(out, func(a, b int) bool { return key(out[a]) < key(out[b]) })
		return out
	}
	o := &svOrder{crit: idx(len(sv.Criteria), func(i int) string { return sv.Criteria[i].Key }),
		reason: idx(len(sv.Reasons), func(i int) string { return sv.Reasons[i].Key }),
		fact:   idx(len(sv.Facts), func(i int) string { return sv.Facts[i].Key })}
	orders.Store(sv, o)
	return o
}

// appendCanonR writes a response entry's canonical bytes straight from the
// record: the same bytes as survey.LogEntry.Canonical (a test holds them
// equal), without building maps on the write path.
func appendCanonR(buf []byte, key uint64, flags byte, n *recNames, rc *rec, sv *survey.Survey, o *svOrder, comment *[32]byte) []byte {
	buf = append(buf, 'R', survey.CanonicalVersion)
	buf = binary.BigEndian.AppendUint64(buf, key)
	buf = append(buf, flags)
	buf = appendStr(buf, n.survey)
	buf = binary.AppendUvarint(buf, uint64(rc.version))
	buf = append(buf, rc.channel)
	for _, s := range [...]string{n.unit, n.counter, n.staff, n.procedure, n.kiosk} {
		buf = appendStr(buf, s)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64((rc.received-int64(key))/int64(time.Millisecond)))
	cnt := 0
	for i, a := range rc.answers {
		if a != unanswered && i < len(sv.Criteria) {
			cnt++
		}
	}
	buf = binary.AppendUvarint(buf, uint64(cnt))
	for _, i := range o.crit {
		if i < len(rc.answers) && rc.answers[i] != unanswered {
			buf = append(appendStr(buf, sv.Criteria[i].Key), rc.answers[i])
		}
	}
	cnt = 0
	for i := range sv.Reasons {
		if rc.reasons&(1<<uint(i)) != 0 {
			cnt++
		}
	}
	buf = binary.AppendUvarint(buf, uint64(cnt))
	for _, i := range o.reason {
		if rc.reasons&(1<<uint(i)) != 0 {
			buf = appendStr(buf, sv.Reasons[i].Key)
		}
	}
	var facts [16]int // option+1 per fact index (0: unanswered); the last wins, as when decoding
	cnt = 0
	for _, f := range rc.facts {
		if i := int(f >> 4); i < len(sv.Facts) && i < len(facts) {
			if facts[i] == 0 {
				cnt++
			}
			facts[i] = int(f&0xF) + 1
		}
	}
	buf = binary.AppendUvarint(buf, uint64(cnt))
	for _, i := range o.fact {
		if i < len(facts) && facts[i] != 0 {
			buf = append(appendStr(buf, sv.Facts[i].Key), byte(facts[i]-1))
		}
	}
	if rc.dossier == "" {
		buf = append(buf, 0)
	} else {
		h := sha256.Sum256([]byte(rc.dossier))
		buf = append(append(buf, 1), h[:]...)
	}
	if comment == nil {
		return append(buf, 0)
	}
	return append(append(buf, 1), comment[:]...)
}

func appendStr(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// loadLogTip reads the tip from the last head (no scan at start).
func (db *DB) loadLogTip() error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		k, v := tx.Bucket(bHeads).Cursor().Last()
		if k == nil {
			db.logTip = logTip{}
			return nil
		}
		if len(v) != 40 || len(k) != 4 {
			return errors.New("corrupt log head")
		}
		db.logTip = logTip{seq: binary.BigEndian.Uint64(v), day: int32(binary.BigEndian.Uint32(k))}
		copy(db.logTip.hash[:], v[8:])
		return nil
	})
}

// headOf decodes a stored head.
func headOf(k, v []byte) (survey.Head, bool) {
	if len(k) != 4 || len(v) != 40 {
		return survey.Head{}, false
	}
	day := int32(binary.BigEndian.Uint32(k))
	return survey.Head{Date: survey.DayStart(day, time.UTC).Format(time.DateOnly), Entries: binary.BigEndian.Uint64(v),
		Hash: hex.EncodeToString(v[8:40])}, true
}

// Heads returns the stored heads of the days from..to (inclusive, days in
// the installation's zone), oldest first; a day without entries has none.
// The head of today (or a later day: the log's day never goes back) is not
// final and is left out unless includeOpen.
func (db *DB) Heads(from, to time.Time, includeOpen bool) []survey.Head {
	loc := db.opts.Loc
	lo, hi := int32(0), int32(1<<31-1)
	if !from.IsZero() {
		lo = survey.DayOf(from, loc)
	}
	if !to.IsZero() {
		hi = survey.DayOf(to, loc)
	}
	today := survey.DayOf(db.opts.Now(), loc)
	var out []survey.Head
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bHeads).Cursor()
		for k, v := c.Seek(u32(uint32(max(lo, 0)))); k != nil; k, v = c.Next() {
			day := int32(binary.BigEndian.Uint32(k))
			if day > hi || (!includeOpen && day >= today) {
				break
			}
			if h, ok := headOf(k, v); ok {
				out = append(out, h)
			}
		}
		return nil
	})
	return out
}

// keyText is a response key as a change's Target names it.
func keyText(key uint64) string { return strconv.FormatUint(key, 10) }
