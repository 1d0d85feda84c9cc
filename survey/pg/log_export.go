package pg

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// logRow is one stored log entry with, for a response entry, the response
// when it is still stored.
type logRow struct {
	seq     uint64
	kind    string // change kind, "" for a response entry
	key     uint64
	flags   survey.Flags // response entries: flags when appended
	hash    []byte
	comment []byte // response entries: the comment's SHA-256 when appended
	canon   []byte // change entries
	resp    *survey.Response
}

// logJoinCols read a log row and its response (NULLs made zero values for
// scanResponse; found says whether there was one).
const logJoinCols = `l.seq, l.change_kind, l.key, l.flags, l.entry_hash, l.comment_hash, l.canon, r.key IS NOT NULL,
	coalesce(r.key, 0), r.id, coalesce(r.survey, ''), coalesce(r.version, 0), coalesce(r.channel, 0), coalesce(r.unit, ''),
	coalesce(r.counter, ''), coalesce(r.staff, ''), coalesce(r.procedure, ''), coalesce(r.kiosk, ''), coalesce(r.dossier, ''),
	coalesce(r.answers, '{}'), r.facts, r.reasons, coalesce(r.comment, ''), coalesce(r.received_ns, 0), coalesce(r.flags, 0),
	coalesce(r.seq, 0)`

// eachEntry calls fn for every log entry in order.
func eachEntry(tx pgx.Tx, fn func(*logRow) error) error {
	rows, err := tx.Query(ctx(), "SELECT "+logJoinCols+` FROM log l
		LEFT JOIN responses r ON l.change_kind = '' AND r.key = l.key ORDER BY l.seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e        logRow
			seq, key int64
			flags    int16
			found    bool
			x        respScan
		)
		dest := append([]any{&seq, &e.kind, &key, &flags, &e.hash, &e.comment, &e.canon, &found}, x.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		e.seq, e.key, e.flags = uint64(seq), uint64(key), survey.Flags(flags)
		if found {
			if e.resp, err = x.response(); err != nil {
				return err
			}
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// withdrawals maps every withdrawn entry to its hash.
func withdrawals(tx pgx.Tx) (map[uint64]string, error) {
	out := map[uint64]string{}
	rows, err := tx.Query(ctx(), "SELECT seq, canon FROM log WHERE change_kind = $1 ORDER BY seq", survey.ChangeWithdraw)
	if err != nil {
		return nil, err
	}
	var seq int64
	var canon []byte
	_, err = pgx.ForEachRow(rows, []any{&seq, &canon}, func() error {
		if e, err := survey.DecodeChange(uint64(seq), canon); err == nil {
			for _, w := range e.Withdraw {
				out[w.Seq] = w.Hash
			}
		}
		return nil
	})
	return out, err
}

// ExportLog writes the log as JSON lines: a header (LogHeader) then one
// LogEntry per line, in order, without personal data.
func (db *DB) ExportLog(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	err := db.view(func(tx pgx.Tx) error {
		h, err := db.logHeader(tx)
		if err != nil {
			return err
		}
		if err := enc.Encode(h); err != nil {
			return err
		}
		gone, err := withdrawals(tx)
		if err != nil {
			return err
		}
		return eachEntry(tx, func(ent *logRow) error {
			e, err := db.exportEntry(ent, gone)
			if err != nil {
				return fmt.Errorf("log entry %d: %w", ent.seq, err)
			}
			return enc.Encode(e)
		})
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func (db *DB) exportEntry(ent *logRow, gone map[uint64]string) (*survey.LogEntry, error) {
	if ent.kind != "" {
		return survey.DecodeChange(ent.seq, ent.canon)
	}
	if h, ok := gone[ent.seq]; ok {
		return &survey.LogEntry{Seq: ent.seq, Kind: survey.EntryResponse, Key: ent.key, Flags: ent.flags, Withdrawn: true, EntryHash: h}, nil
	}
	if ent.resp == nil {
		return nil, fmt.Errorf("response %d missing (run hailong verify)", ent.key)
	}
	return loggedEntry(ent), nil
}

// loggedEntry is a response entry as appended: the stored response with
// the flags and comment hash the log kept.
func loggedEntry(ent *logRow) *survey.LogEntry {
	r := ent.resp
	e := responseEntry(r, ent.key, ent.flags, r.ReceivedAt.UnixNano())
	e.Seq, e.CommentHash = ent.seq, ""
	if ent.comment != nil {
		e.CommentHash = hex.EncodeToString(ent.comment)
	}
	return e
}

// logHeader is what recomputing the published figures needs besides the
// entries (as survey/bolt writes it).
func (db *DB) logHeader(tx pgx.Tx) (*survey.LogHeader, error) {
	st := db.Settings()
	h := &survey.LogHeader{Format: survey.LogFormat, Zone: db.opts.Loc.String(), ExportedAt: db.opts.Now().UTC(),
		Analytics: st.Analytics, Publish: st.Publish, Groups: db.Groups(), Units: db.Units(),
		Counters: []survey.Counter{}, Staff: []survey.Staff{}, Heads: []survey.Head{}}
	h.Publish.Origins = nil
	var n int64
	if err := tx.QueryRow(ctx(), "SELECT coalesce(max(seq), 0) FROM log").Scan(&n); err != nil {
		return nil, err
	}
	h.Entries = uint64(n)
	heads, err := allHeads(tx)
	if err != nil {
		return nil, err
	}
	h.Heads = append(h.Heads, heads...)
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
	return h, nil
}

func allHeads(tx pgx.Tx) ([]survey.Head, error) {
	rows, err := tx.Query(ctx(), "SELECT day, entries, hash FROM heads ORDER BY day")
	if err != nil {
		return nil, err
	}
	var out []survey.Head
	var day int32
	var n int64
	var h []byte
	_, err = pgx.ForEachRow(rows, []any{&day, &n, &h}, func() error { out = append(out, headOf(day, n, h)); return nil })
	return out, err
}
