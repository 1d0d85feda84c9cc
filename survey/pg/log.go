package pg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The tamper-evident log (docs/INTEGRITY.md), as survey/bolt keeps it: the
// same entries, canonical bytes (survey.LogEntry.Canonical) and chain, so
// that an exported log verifies identically whichever backend wrote it.
// Tables: log (one row per entry: a response entry keeps the response key,
// the flags when appended and the comment's hash; a change entry keeps its
// canonical bytes), log_tip (the chain's end, locked by every write
// transaction) and heads (each day's head).

// logTip is the end of the chain; the log's day never goes back.
type logTip struct {
	seq  uint64
	hash [32]byte
	day  int32
}

// logTx appends to the log within one write transaction.
type logTx struct {
	tx      *wtx
	tip     logTip
	start   uint64
	deleted []survey.Withdrawn // responses deleted in this transaction, for the withdrawal entry
}

// beginLog locks the tip: every write transaction, on every server, waits
// here for the one before it.
func (db *DB) beginLog(tx *wtx) (*logTx, error) {
	lg := &logTx{tx: tx}
	var h []byte
	if err := tx.queryRow("SELECT seq, hash, day FROM log_tip FOR UPDATE").Scan(&lg.tip.seq, &h, &lg.tip.day); err != nil {
		return nil, fmt.Errorf("log tip: %w", err)
	}
	copy(lg.tip.hash[:], h)
	lg.start = lg.tip.seq
	return lg, nil
}

// finish notes deletions no withdrawal covered, and writes the tip and the
// day's head when anything was appended.
func (lg *logTx) finish() error {
	if len(lg.deleted) > 0 {
		if err := lg.tx.noteChange(survey.Change{Kind: survey.ChangeWithdraw, Actor: "system",
			Detail: fmt.Sprintf("%d responses deleted", len(lg.deleted))}); err != nil {
			return err
		}
	}
	if lg.tip.seq == lg.start {
		return nil
	}
	db := lg.tx.db
	day := max(survey.DayOf(db.opts.Now(), db.opts.Loc), lg.tip.day)
	lg.tip.day = day
	h := lg.tip.hash // a copy: the statements are sent with the commit
	lg.tx.laterExec("UPDATE log_tip SET seq = $1, hash = $2, day = $3", lg.tip.seq, h[:], day)
	lg.tx.laterExec(`INSERT INTO heads (day, entries, hash) VALUES ($1, $2, $3)
		ON CONFLICT (day) DO UPDATE SET entries = excluded.entries, hash = excluded.hash`, day, lg.tip.seq, h[:])
	return nil
}

// responseEntry is the log entry of a response stored with key, as
// appended (flags: when appended).
func responseEntry(r *survey.Response, key uint64, flags survey.Flags, received int64) *survey.LogEntry {
	return &survey.LogEntry{Kind: survey.EntryResponse, Key: key, Flags: flags, Survey: r.Survey, Version: r.Version,
		Channel: r.Channel.String(), Unit: r.Unit, Counter: r.Counter, Staff: r.Staff, Procedure: r.Procedure, Kiosk: r.Kiosk,
		ReceivedMs: (received - int64(key)) / int64(time.Millisecond), Answers: r.Answers, Reasons: r.Reasons, Facts: r.Facts,
		DossierHash: survey.HashText(r.Dossier), CommentHash: survey.HashText(r.Comment)}
}

// noteChange appends c to the log inside tx, the transaction that makes
// the change (see survey/bolt: the same rules). For ChangeFlags, Target is
// the response's UUID or decimal key, and the record must be rewritten
// first; for ChangeWithdraw, the responses deleted so far are listed.
func (tx *wtx) noteChange(c survey.Change) error {
	lg := tx.lg
	if lg == nil {
		return errors.New("noteChange outside a store transaction")
	}
	if c.At.IsZero() {
		c.At = tx.db.opts.Now()
	}
	e := &survey.LogEntry{Kind: survey.EntryChange, Change: &c}
	switch c.Kind {
	case survey.ChangeFlags:
		key, err := responseKey(tx, c.Target)
		if err != nil {
			return err
		}
		var flags int16
		if err := tx.queryRow("SELECT flags FROM responses WHERE key = $1", int64(key)).Scan(&flags); err != nil {
			return fmt.Errorf("flags change of response %d: %w", key, err)
		}
		e.Key, e.Flags = key, survey.Flags(flags)
	case survey.ChangeWithdraw:
		e.Withdraw, lg.deleted = lg.deleted, nil
		sort.Slice(e.Withdraw, func(i, j int) bool { return e.Withdraw[i].Seq < e.Withdraw[j].Seq })
	}
	canon, err := e.Canonical()
	if err != nil {
		return err
	}
	h := sha256.Sum256(canon)
	seq := lg.tip.seq + 1
	if _, err := tx.exec("INSERT INTO log (seq, change_kind, key, flags, entry_hash, canon) VALUES ($1, $2, $3, $4, $5, $6)",
		seq, c.Kind, int64(e.Key), int16(e.Flags), h[:], canon); err != nil {
		return err
	}
	lg.tip.seq, lg.tip.hash = seq, survey.ChainNext(lg.tip.hash, h)
	return nil
}

// Heads returns the stored heads of the days from..to (inclusive), oldest
// first; today's (or a later day's) only with includeOpen.
func (db *DB) Heads(from, to time.Time, includeOpen bool) []survey.Head {
	loc := db.opts.Loc
	lo, hi := int32(0), int32(1<<31-1)
	if !from.IsZero() {
		lo = survey.DayOf(from, loc)
	}
	if !to.IsZero() {
		hi = survey.DayOf(to, loc)
	}
	if today := survey.DayOf(db.opts.Now(), loc); !includeOpen && today-1 < hi {
		hi = today - 1
	}
	rows, err := db.pool.Query(ctx(), "SELECT day, entries, hash FROM heads WHERE day BETWEEN $1 AND $2 ORDER BY day", max(lo, 0), hi)
	if err != nil {
		db.log.Error("heads", "err", err)
		return nil
	}
	var out []survey.Head
	var day int32
	var n int64
	var h []byte
	_, err = pgx.ForEachRow(rows, []any{&day, &n, &h}, func() error {
		out = append(out, headOf(day, n, h))
		return nil
	})
	if err != nil {
		db.log.Error("heads", "err", err)
	}
	return out
}

func headOf(day int32, n int64, h []byte) survey.Head {
	return survey.Head{Date: survey.DayStart(day, time.UTC).Format(time.DateOnly), Entries: uint64(n), Hash: hex.EncodeToString(h)}
}

// keyText is a response key as a change's Target names it.
func keyText(key uint64) string { return strconv.FormatUint(key, 10) }
