package survey

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"
)

// ErrCorruptEntry is a log entry whose stored bytes cannot be read.
var ErrCorruptEntry = errors.New("corrupt log entry")

// DecodeChange decodes a change entry's canonical bytes (the inverse of
// AppendCanonical for EntryChange); ErrCorruptEntry when they are malformed.
func DecodeChange(seq uint64, canon []byte) (*LogEntry, error) {
	if len(canon) < 2 || canon[0] != 'C' || canon[1] != CanonicalVersion {
		return nil, ErrCorruptEntry
	}
	p := canon[2:]
	str := func() string {
		l, n := binary.Uvarint(p)
		if n <= 0 || uint64(len(p)-n) < l {
			p = nil
			return ""
		}
		s := string(p[n : n+int(l)])
		p = p[n+int(l):]
		return s
	}
	c := &Change{}
	c.Kind, c.Actor, c.Reason, c.Target, c.Detail = str(), str(), str(), str(), str()
	if len(p) < 8 {
		return nil, ErrCorruptEntry
	}
	c.At = time.Unix(0, int64(binary.BigEndian.Uint64(p))).UTC()
	p = p[8:]
	e := &LogEntry{Seq: seq, Kind: EntryChange, Change: c}
	switch c.Kind {
	case ChangeFlags:
		if len(p) != 9 {
			return nil, ErrCorruptEntry
		}
		e.Key, e.Flags = binary.BigEndian.Uint64(p), Flags(p[8])
	case ChangeWithdraw:
		n, l := binary.Uvarint(p)
		if l <= 0 || uint64(len(p)-l) != n*40 {
			return nil, ErrCorruptEntry
		}
		p = p[l:]
		e.Withdraw = make([]Withdrawn, n)
		for i := range e.Withdraw {
			e.Withdraw[i] = Withdrawn{Seq: binary.BigEndian.Uint64(p), Hash: hex.EncodeToString(p[8:40])}
			p = p[40:]
		}
	default:
		if len(p) != 0 {
			return nil, ErrCorruptEntry
		}
	}
	return e, nil
}
