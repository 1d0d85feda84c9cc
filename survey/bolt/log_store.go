package bolt

import (
	"encoding/binary"
	"hailong/survey"

	bbolt "go.etcd.io/bbolt"
)

// The log's storage: entries are packed logBlock to a bbolt value, so that
// a response costs its ~9 bytes rather than bbolt's 16-byte element header
// and an 8-byte key on top (SPEC: ≤ 200 bytes per response in all). Blocks
// are small enough that a leaf page holds a dozen of them, nearly full.
//
//	log  block number uint64 BE ((seq−1) / logBlock) → the block's entries in order:
//	     response: flags(1: bit 7 clear, bit 6 comment hash follows, bits 0–5 the flags when appended)
//	               key − the previous response key of the block (0 at its start), zigzag varint
//	               digest(4) [comment SHA-256 (32)]
//	     change:   0x80, uvarint length of the canonical bytes, digest(4), canonical bytes
//
// digest is the first 4 bytes of the entry hash: verification names the
// entry whose content changed (a changed entry that keeps its digest by
// chance, once in 4 billion, is still caught by the next head).
const (
	logBlock    = 32
	digestLen   = 4
	entryChange = 0x80
	entryCmt    = 0x40
	entryFlags  = 0x3F
)

var errCorruptEntry = survey.ErrCorruptEntry

// logRec is one stored entry, decoded (slices point into the value).
type logRec struct {
	seq     uint64
	change  bool
	key     uint64    // response
	flags   byte      // response: flags when appended
	comment *[32]byte // response: the comment's hash, when it had one
	digest  []byte
	canon   []byte // change: its canonical bytes
}

func blockOf(seq uint64) uint64 { return (seq - 1) / logBlock }

// appendRespEntry encodes a response entry; prev is the previous
// response key of the block (0 at its start).
func appendRespEntry(buf []byte, prev, key uint64, flags byte, e [32]byte, comment *[32]byte) []byte {
	b := flags & entryFlags
	if comment != nil {
		b |= entryCmt
	}
	buf = append(buf, b)
	buf = binary.AppendVarint(buf, int64(key-prev))
	buf = append(buf, e[:digestLen]...)
	if comment != nil {
		buf = append(buf, comment[:]...)
	}
	return buf
}

// appendChangeEntry encodes a change entry.
func appendChangeEntry(buf []byte, e [32]byte, canon []byte) []byte {
	buf = append(buf, entryChange)
	buf = binary.AppendUvarint(buf, uint64(len(canon)))
	buf = append(buf, e[:digestLen]...)
	return append(buf, canon...)
}

// parseBlock calls fn for each entry of block b in order until fn returns
// false.
func parseBlock(b uint64, v []byte, fn func(r *logRec) bool) error {
	seq, prev := b*logBlock+1, uint64(0)
	for len(v) > 0 {
		r := &logRec{seq: seq}
		if v[0]&entryChange != 0 {
			l, n := binary.Uvarint(v[1:])
			if n <= 0 || uint64(len(v)-1-n-digestLen) < l {
				return errCorruptEntry
			}
			p := v[1+n:]
			r.change, r.digest, r.canon = true, p[:digestLen], p[digestLen:digestLen+int(l)]
			v = p[digestLen+int(l):]
		} else {
			d, n := binary.Varint(v[1:])
			size := 1 + n + digestLen
			if v[0]&entryCmt != 0 {
				size += 32
			}
			if n <= 0 || len(v) < size {
				return errCorruptEntry
			}
			prev += uint64(d)
			r.flags, r.key, r.digest = v[0]&entryFlags, prev, v[1+n:1+n+digestLen]
			if v[0]&entryCmt != 0 {
				var h [32]byte
				copy(h[:], v[1+n+digestLen:size])
				r.comment = &h
			}
			v = v[size:]
		}
		if !fn(r) {
			return nil
		}
		seq++
	}
	return nil
}

// getEntry returns entry seq (nil when there is none or it cannot be read).
func getEntry(tx *bbolt.Tx, seq uint64) *logRec {
	if seq == 0 {
		return nil
	}
	var out *logRec
	_ = parseBlock(blockOf(seq), tx.Bucket(bLog).Get(u64(blockOf(seq))), func(r *logRec) bool {
		if r.seq == seq {
			out = r
			return false
		}
		return true
	})
	return out
}

// eachEntry calls fn for every entry in order until fn returns false. A
// block that cannot be read, or whose number is out of sequence, is an
// error naming the first entry it should hold.
func eachEntry(tx *bbolt.Tx, fn func(r *logRec) bool) error {
	c := tx.Bucket(bLog).Cursor()
	want := uint64(0)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		b := binary.BigEndian.Uint64(k)
		if b != want {
			return &entryError{seq: want*logBlock + 1}
		}
		want++
		stop := false
		if err := parseBlock(b, v, func(r *logRec) bool {
			if !fn(r) {
				stop = true
				return false
			}
			return true
		}); err != nil {
			return &entryError{seq: b*logBlock + 1}
		}
		if stop {
			return nil
		}
	}
	return nil
}

// entryError is a log that cannot be read from entry seq on.
type entryError struct{ seq uint64 }

func (e *entryError) Error() string { return "the log cannot be read from entry " + keyText(e.seq) }

// eachEntryBack calls fn for entries from the last backwards until fn
// returns false.
func eachEntryBack(tx *bbolt.Tx, fn func(r *logRec) bool) {
	c := tx.Bucket(bLog).Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var rs []*logRec
		_ = parseBlock(binary.BigEndian.Uint64(k), v, func(r *logRec) bool { rs = append(rs, r); return true })
		for i := len(rs) - 1; i >= 0; i-- {
			if !fn(rs[i]) {
				return
			}
		}
	}
}

// lastSeq is the number of entries stored.
func lastSeq(tx *bbolt.Tx) uint64 {
	k, v := tx.Bucket(bLog).Cursor().Last()
	if k == nil {
		return 0
	}
	var n uint64
	_ = parseBlock(binary.BigEndian.Uint64(k), v, func(r *logRec) bool { n = r.seq; return true })
	return n
}

// logWriter appends entries within one write transaction, rewriting the
// last block once per transaction.
type logWriter struct {
	log     *bbolt.Bucket
	blockNo uint64
	block   []byte
	prev    uint64 // the last response key of the block
	open    bool
}

func newLogWriter(tx *bbolt.Tx) *logWriter {
	w := &logWriter{log: tx.Bucket(bLog)}
	w.log.FillPercent = 1.0 // append-only
	return w
}

// to makes the block of entry seq the one being filled.
func (w *logWriter) to(seq uint64) error {
	b := blockOf(seq)
	if w.open && b == w.blockNo {
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.blockNo, w.block, w.prev, w.open = b, nil, 0, true
	if (seq-1)%logBlock != 0 {
		w.block = append([]byte(nil), w.log.Get(u64(b))...)
		return parseBlock(b, w.block, func(r *logRec) bool {
			if !r.change {
				w.prev = r.key
			}
			return true
		})
	}
	return nil
}

// addResponse appends response entry seq.
func (w *logWriter) addResponse(seq, key uint64, flags byte, e [32]byte, comment *[32]byte) error {
	if err := w.to(seq); err != nil {
		return err
	}
	w.block = appendRespEntry(w.block, w.prev, key, flags, e, comment)
	w.prev = key
	return nil
}

// addChange appends change entry seq.
func (w *logWriter) addChange(seq uint64, e [32]byte, canon []byte) error {
	if err := w.to(seq); err != nil {
		return err
	}
	w.block = appendChangeEntry(w.block, e, canon)
	return nil
}

// flush writes the block being filled.
func (w *logWriter) flush() error {
	if !w.open || len(w.block) == 0 {
		return nil
	}
	return w.log.Put(u64(w.blockNo), w.block)
}
