package survey

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Pre-aggregated counts, kept in the same transaction as each response and
// rebuilt by Reindex. A block holds raw counts (histograms) for one
// dimension × unit × period: a day, or a calendar month so that a year is
// read as ~12 blocks plus the partial months at its edges.
//
// Block key: dim(1) | unit id(4) | period(4); period = day number since
// 1970-01-01 in the installation's zone, or monthFlag | (year*12 + month-1).
// Block value: uvarint count, then per cell (sorted): uvarint sub, survey,
// criterion; bytes channel, flags, scale; 6 × uvarint counts (N/A, 1..5).
// Criterion 0 is the response count: N[0] responses with no valid answer,
// N[1] responses with at least one.

// Dim is a breakdown dimension; Cell.Sub is its member.
type Dim byte

// Dimensions. The numbers are stored; never renumber.
const (
	DimBase      Dim = 1 // Sub = 0
	DimCounter   Dim = 2 // Sub = counter id
	DimStaff     Dim = 3 // Sub = staff id
	DimProcedure Dim = 4 // Sub = procedure id
	DimHour      Dim = 5 // Sub = weekday*24 + hour (local time)
)

var allDims = []Dim{DimBase, DimCounter, DimStaff, DimProcedure, DimHour}

const monthFlag = 1 << 31

// cell identifies one histogram within a block.
type cell struct {
	sub, survey, crit     uint32
	channel, flags, scale uint8
}

func (a cell) less(b cell) bool {
	if a.sub != b.sub {
		return a.sub < b.sub
	}
	if a.survey != b.survey {
		return a.survey < b.survey
	}
	if a.crit != b.crit {
		return a.crit < b.crit
	}
	if a.channel != b.channel {
		return a.channel < b.channel
	}
	if a.flags != b.flags {
		return a.flags < b.flags
	}
	return a.scale < b.scale
}

type hist [6]int64

func aggKey(dim Dim, unit, period uint32) string {
	var k [9]byte
	k[0] = byte(dim)
	binary.BigEndian.PutUint32(k[1:], unit)
	binary.BigEndian.PutUint32(k[5:], period)
	return string(k[:])
}

func monthPeriod(t time.Time) uint32 { return monthFlag | uint32(t.Year()*12+int(t.Month())-1) }

// aggDelta accumulates count changes of one transaction, written once per
// block at flush.
type aggDelta struct {
	blocks map[string]map[cell]*hist
}

func newAggDelta() *aggDelta { return &aggDelta{blocks: map[string]map[cell]*hist{}} }

func (a *aggDelta) bump(key string, c cell, level int, by int64) {
	b := a.blocks[key]
	if b == nil {
		b = map[cell]*hist{}
		a.blocks[key] = b
	}
	h := b[c]
	if h == nil {
		h = &hist{}
		b[c] = h
	}
	h[level] += by
}

// add counts (sign +1) or uncounts (−1) one response; critIDs are the dict
// ids of the version's criteria in order.
func (a *aggDelta) add(r *rec, sv *Survey, critIDs []uint32, loc *time.Location, sign int64) {
	t := time.Unix(0, r.submitted).In(loc)
	y, m, d := t.Date()
	day := uint32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	periods := [2]uint32{day, monthPeriod(t)}
	subs := [...]struct {
		dim Dim
		sub uint32
	}{{DimBase, 0}, {DimCounter, r.counter}, {DimStaff, r.staff}, {DimProcedure, r.procedure},
		{DimHour, uint32(t.Weekday())*24 + uint32(t.Hour())}}
	valid := 0
	for _, v := range r.answers {
		if v != unanswered && v != NA {
			valid = 1
			break
		}
	}
	flags := r.flags & (NumFlagClasses - 1)
	for _, s := range subs {
		if s.sub == 0 && s.dim != DimBase && s.dim != DimHour {
			continue
		}
		for _, p := range periods {
			key := aggKey(s.dim, r.unit, p)
			base := cell{sub: s.sub, survey: r.survey, channel: r.channel, flags: flags}
			a.bump(key, base, valid, sign)
			for i, v := range r.answers {
				if v == unanswered {
					continue
				}
				c := base
				c.crit, c.scale = critIDs[i], uint8(sv.Criteria[i].Scale)
				a.bump(key, c, int(v), sign)
			}
		}
	}
}

// flush merges the deltas into the stored blocks.
func (a *aggDelta) flush(tx *bolt.Tx) error {
	b := tx.Bucket(bAgg)
	keys := make([]string, 0, len(a.blocks))
	for k := range a.blocks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf []byte
	for _, k := range keys {
		merged := map[cell]*hist{}
		if v := b.Get([]byte(k)); v != nil {
			if err := decodeBlock(v, func(c cell, h *hist) { hh := *h; merged[c] = &hh }); err != nil {
				return fmt.Errorf("agg block %x: %w", k, err)
			}
		}
		for c, d := range a.blocks[k] {
			h := merged[c]
			if h == nil {
				h = &hist{}
				merged[c] = h
			}
			for i := range h {
				h[i] += d[i]
				if h[i] < 0 {
					return fmt.Errorf("agg block %x: negative count", k)
				}
			}
		}
		buf = encodeBlock(buf[:0], merged)
		var err error
		if buf == nil {
			err = b.Delete([]byte(k))
		} else {
			err = b.Put([]byte(k), append([]byte(nil), buf...))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func encodeBlock(buf []byte, cells map[cell]*hist) []byte {
	list := make([]cell, 0, len(cells))
	for c, h := range cells {
		if *h != (hist{}) {
			list = append(list, c)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.Slice(list, func(i, j int) bool { return list[i].less(list[j]) })
	buf = binary.AppendUvarint(buf, uint64(len(list)))
	for _, c := range list {
		buf = binary.AppendUvarint(buf, uint64(c.sub))
		buf = binary.AppendUvarint(buf, uint64(c.survey))
		buf = binary.AppendUvarint(buf, uint64(c.crit))
		buf = append(buf, c.channel, c.flags, c.scale)
		for _, n := range cells[c] {
			buf = binary.AppendUvarint(buf, uint64(n))
		}
	}
	return buf
}

// decodeBlock calls fn for every cell of an encoded block. h is reused.
func decodeBlock(v []byte, fn func(c cell, h *hist)) error {
	n, k := binary.Uvarint(v)
	if k <= 0 {
		return errCorrupt
	}
	p := v[k:]
	var h hist
	for i := uint64(0); i < n; i++ {
		var c cell
		var f [3]uint64
		for j := range f {
			x, k := binary.Uvarint(p)
			if k <= 0 {
				return errCorrupt
			}
			f[j], p = x, p[k:]
		}
		if len(p) < 3 {
			return errCorrupt
		}
		c.sub, c.survey, c.crit = uint32(f[0]), uint32(f[1]), uint32(f[2])
		c.channel, c.flags, c.scale = p[0], p[1], p[2]
		p = p[3:]
		for j := range h {
			x, k := binary.Uvarint(p)
			if k <= 0 {
				return errCorrupt
			}
			h[j], p = int64(x), p[k:]
		}
		fn(c, &h)
	}
	return nil
}

// aggEqual reports whether two agg buckets hold the same counts (used by
// tests and by `reindex --check`).
func aggEqual(a, b *bolt.Bucket) bool {
	ca, cb := a.Cursor(), b.Cursor()
	ka, va := ca.First()
	kb, vb := cb.First()
	for ka != nil && kb != nil {
		if !bytes.Equal(ka, kb) || !bytes.Equal(va, vb) {
			return false
		}
		ka, va = ca.Next()
		kb, vb = cb.Next()
	}
	return ka == nil && kb == nil
}
