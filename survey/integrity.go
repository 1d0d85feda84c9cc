package survey

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// The tamper-evident log (docs/INTEGRITY.md): every stored response and
// every change of what counts is an entry; entry n's canonical bytes C_n
// (a versioned, length-prefixed encoding, below) give its entry hash
// E_n = SHA-256(C_n) and the chain hash H_n = SHA-256(H_{n-1} || E_n), with
// H_0 = 32 zero bytes. Chaining entry hashes rather than the bytes keeps the
// chain computable after a withdrawal deletes responses: a withdrawal entry
// carries the entry hashes of what it withdraws. Each day's head (date,
// entries so far, H at the day's last entry) is published.

// Entry kinds as they appear in the canonical bytes and the export.
const (
	EntryResponse = "response"
	EntryChange   = "change"
)

// CanonicalVersion is the version byte of the canonical encoding.
const CanonicalVersion = 1

// LogEntry is one entry of the log as exported (no personal data: the
// comment and the dossier code appear only as their SHA-256). For a
// response, the fields are those of the stored record; for a change, Change
// and, by its kind, Key and Flags (flags) or Withdrawn (withdraw).
type LogEntry struct {
	Seq  uint64 `json:"seq"`
	Kind string `json:"kind"` // EntryResponse or EntryChange
	// A response entry, or the response a flags change applies to.
	Key   uint64 `json:"key,omitempty"`   // storage key = submitted time, Unix ns, unique
	Flags Flags  `json:"flags,omitempty"` // response: flags when appended; flags change: the new flags
	// Response entries.
	Survey      string         `json:"survey,omitempty"`
	Version     int            `json:"version,omitempty"`
	Channel     string         `json:"channel,omitempty"`
	Unit        string         `json:"unit,omitempty"`
	Counter     string         `json:"counter,omitempty"`
	Staff       string         `json:"staff,omitempty"`
	Procedure   string         `json:"procedure,omitempty"`
	Kiosk       string         `json:"kiosk,omitempty"`
	ReceivedMs  int64          `json:"received_after_ms,omitempty"` // received − submitted, whole ms
	Answers     map[string]int `json:"answers,omitempty"`
	Reasons     []string       `json:"reasons,omitempty"`
	Facts       map[string]int `json:"facts,omitempty"`
	DossierHash string         `json:"dossier_sha256,omitempty"`
	CommentHash string         `json:"comment_sha256,omitempty"`
	// Withdrawn is set on a response entry whose response a later withdrawal
	// deleted: its content is gone, EntryHash (from the withdrawal) stands in.
	Withdrawn bool   `json:"withdrawn,omitempty"`
	EntryHash string `json:"entry_sha256,omitempty"`
	// Change entries.
	Change   *Change     `json:"change,omitempty"`
	Withdraw []Withdrawn `json:"withdraws,omitempty"`
}

// LogHeader is the first line of an exported log: what recomputing the
// published figures needs besides the entries. Counter and staff names are
// given only when staff-level figures are published (else their ids).
type LogHeader struct {
	Format     string            `json:"format"` // LogFormat
	Zone       string            `json:"zone"`
	ExportedAt time.Time         `json:"exported_at"`
	Entries    uint64            `json:"entries"`
	Heads      []Head            `json:"heads"` // every stored head, today's (open) last
	Surveys    []Survey          `json:"surveys"`
	Groups     []Group           `json:"groups"`
	Units      []Unit            `json:"units"`
	Counters   []Counter         `json:"counters"`
	Staff      []Staff           `json:"staff"`
	Analytics  AnalyticsSettings `json:"analytics"`
	Publish    PublishSettings   `json:"publish"`
}

// LogFormat names the export format (first line's "format").
const LogFormat = "hailong-log/1"

// Withdrawn names one response entry a withdrawal takes out, with its entry
// hash so that the chain stays computable without the response.
type Withdrawn struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"entry_sha256"` // hex
}

// Head is a day's head: entries in the log at the end of that day (in the
// installation's zone, by commit time) and the chain hash after the last.
type Head struct {
	Date    string `json:"date"` // YYYY-MM-DD
	Entries uint64 `json:"entries"`
	Hash    string `json:"hash"` // hex SHA-256
}

// HeadsFile is the public heads as served at /cong-khai/heads.json and read
// by `hailong verify --heads FILE`.
type HeadsFile struct {
	SchemaVersion int    `json:"schema_version"`
	Algorithm     string `json:"algorithm"` // HeadsAlgorithm
	Zone          string `json:"zone"`
	Heads         []Head `json:"heads"`
}

// HeadsAlgorithm names the chain and encoding in the heads file.
const HeadsAlgorithm = "hailong-log-v1: H_n = SHA-256(H_{n-1} || SHA-256(canonical_n)), H_0 = 0^32"

// Canonical returns the entry's canonical bytes (docs/INTEGRITY.md).
// Strings are a uvarint length then UTF-8; integers are big-endian; maps
// are sorted by key. A withdrawn response entry has none (its hash comes from
// the withdrawal).
func (e *LogEntry) Canonical() ([]byte, error) {
	return e.AppendCanonical(nil)
}

// AppendCanonical appends the canonical bytes to buf.
func (e *LogEntry) AppendCanonical(buf []byte) ([]byte, error) {
	switch e.Kind {
	case EntryResponse:
		if e.Withdrawn {
			return nil, errors.New("a withdrawn entry has no canonical bytes")
		}
		ch, ok := ParseChannel(e.Channel)
		if !ok {
			return nil, fmt.Errorf("entry %d: bad channel %q", e.Seq, e.Channel)
		}
		buf = append(buf, 'R', CanonicalVersion)
		buf = binary.BigEndian.AppendUint64(buf, e.Key)
		buf = append(buf, byte(e.Flags))
		buf = appendStr(buf, e.Survey)
		buf = binary.AppendUvarint(buf, uint64(e.Version))
		buf = append(buf, byte(ch))
		for _, s := range []string{e.Unit, e.Counter, e.Staff, e.Procedure, e.Kiosk} {
			buf = appendStr(buf, s)
		}
		buf = binary.BigEndian.AppendUint64(buf, uint64(e.ReceivedMs))
		buf = appendScores(buf, e.Answers)
		rs := append([]string(nil), e.Reasons...)
		sort.Strings(rs)
		buf = binary.AppendUvarint(buf, uint64(len(rs)))
		for _, r := range rs {
			buf = appendStr(buf, r)
		}
		buf = appendScores(buf, e.Facts)
		var err error
		for _, h := range []string{e.DossierHash, e.CommentHash} {
			if buf, err = appendOptHash(buf, h); err != nil {
				return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
			}
		}
		return buf, nil
	case EntryChange:
		c := e.Change
		if c == nil {
			return nil, fmt.Errorf("entry %d: change missing", e.Seq)
		}
		buf = append(buf, 'C', CanonicalVersion)
		for _, s := range []string{c.Kind, c.Actor, c.Reason, c.Target, c.Detail} {
			buf = appendStr(buf, s)
		}
		buf = binary.BigEndian.AppendUint64(buf, uint64(c.At.UnixNano()))
		switch c.Kind {
		case ChangeFlags:
			buf = binary.BigEndian.AppendUint64(buf, e.Key)
			buf = append(buf, byte(e.Flags))
		case ChangeWithdraw:
			buf = binary.AppendUvarint(buf, uint64(len(e.Withdraw)))
			for _, w := range e.Withdraw {
				h, err := hex.DecodeString(w.Hash)
				if err != nil || len(h) != 32 {
					return nil, fmt.Errorf("entry %d: bad withdrawn hash", e.Seq)
				}
				buf = binary.BigEndian.AppendUint64(buf, w.Seq)
				buf = append(buf, h...)
			}
		}
		return buf, nil
	}
	return nil, fmt.Errorf("entry %d: unknown kind %q", e.Seq, e.Kind)
}

func appendStr(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// appendScores writes a map of small numbers sorted by key: count, then
// (key, one byte) pairs.
func appendScores(buf []byte, m map[string]int) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	buf = binary.AppendUvarint(buf, uint64(len(keys)))
	for _, k := range keys {
		buf = appendStr(buf, k)
		buf = append(buf, byte(m[k]))
	}
	return buf
}

// appendOptHash writes 0, or 1 and the 32 bytes of a hex SHA-256.
func appendOptHash(buf []byte, h string) ([]byte, error) {
	if h == "" {
		return append(buf, 0), nil
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return nil, errors.New("bad sha256")
	}
	return append(append(buf, 1), b...), nil
}

// HashText is the hex SHA-256 of s ("" for an empty s): how comments and
// dossier codes appear in the log.
func HashText(s string) string {
	if s == "" {
		return ""
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// ChainNext returns H_n = SHA-256(prev || entry).
func ChainNext(prev, entry [32]byte) [32]byte {
	var b [64]byte
	copy(b[:32], prev[:])
	copy(b[32:], entry[:])
	return sha256.Sum256(b[:])
}

// Confirmation is what the public check of a confirmation code shows: no
// answer, no time finer than the day.
type Confirmation struct {
	Day       string // received (logged) on, YYYY-MM-DD in the installation's zone
	Head      *Head  // the head of that day once final (nil: published tomorrow)
	Unit      string // the unit it counts for
	Counted   bool
	Excluded  string // why not counted: "misuse", "unverified", "withdrawn", "flags_changed"
	ChangedBy string // for flags_changed / withdrawn: the change's reason as written
}

// Exclusion reasons of a Confirmation.
const (
	ExcludedMisuse       = "misuse"
	ExcludedUnverified   = "unverified"
	ExcludedWithdrawn    = "withdrawn"
	ExcludedFlagsChanged = "flags_changed"
	ExcludedMissing      = "missing" // the response is gone and no withdrawal says why
)

// LogReport is what a verification checked and the first difference found.
type LogReport struct {
	Entries      uint64 // entries recomputed
	Responses    uint64 // response entries
	Changes      uint64 // change entries
	StoredHeads  int    // stored heads compared
	FileHeads    int    // heads from the published file compared
	RecordsFound uint64 // responses in storage matched with the log
	Duration     time.Duration
	OK           bool
	// The first difference, when !OK.
	Problem string    // what differs, for people
	Entry   *LogEntry // the first differing entry, when one is named (Seq, Kind, Key)
	Day     string    // its day (the head it belongs to), when known
}

// LogService is the tamper-evident log: heads, verification, export and
// citizens' confirmation codes. Entries are appended by the store itself, in
// the transaction of each response and each change of what counts.
type LogService interface {
	// Heads returns the stored heads of the days from..to (inclusive, days in
	// the installation's zone), oldest first; a day without entries has none.
	// The head of today (or a later day: the log's day never goes back) is
	// not final and is left out unless includeOpen.
	Heads(from, to time.Time, includeOpen bool) []Head
	// VerifyLog recomputes the chain from the stored responses and changes
	// and compares it with the stored entries, heads and tip, and with
	// published (heads saved earlier; may be nil), and checks that every
	// stored response is in the log and the other way round. progress (may be
	// nil) is called now and then with the entries done and the total. The
	// report names the first differing entry; err is for I/O failures only.
	VerifyLog(published []Head, progress func(done, total uint64)) (*LogReport, error)
	// ExportLog writes the log as JSON lines: a header (LogHeader) then one
	// LogEntry per line, in order, without personal data.
	ExportLog(w io.Writer) error
	// ConfirmationCode returns the citizen's confirmation code of a stored
	// response (r.Seq set by the store), "" when it has none.
	ConfirmationCode(r *Response) string
	// Confirmation looks a code up. A malformed, forged or unknown code is
	// ENOTFOUND, always with the same message.
	Confirmation(code string) (*Confirmation, error)
}
