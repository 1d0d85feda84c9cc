// Package countblock is the encoding of a count block: the pre-aggregated
// histograms of one unit, period and dimension, packed into one value. Both
// stores keep their counts as such blocks (survey/bolt in its agg bucket,
// survey/pg in the count_blocks table); the ids in a cell are the store's
// interned names (0 = none).
package countblock

import (
	"encoding/binary"
	"errors"
	"sort"
)

// ErrCorrupt reports a block that does not decode.
var ErrCorrupt = errors.New("corrupt count block")

// ReasonScale marks reason cells: Sub is the reason, N[1] the times chosen
// (Crit 0 for all responses, a criterion answered negatively otherwise).
const ReasonScale = 1

// Cell identifies one histogram within a block.
type Cell struct {
	Sub, Svy, Crit        uint32
	Channel, Flags, Scale uint8
}

// Less orders cells as a block stores them.
func (a Cell) Less(b Cell) bool {
	if a.Sub != b.Sub {
		return a.Sub < b.Sub
	}
	if a.Svy != b.Svy {
		return a.Svy < b.Svy
	}
	if a.Crit != b.Crit {
		return a.Crit < b.Crit
	}
	if a.Channel != b.Channel {
		return a.Channel < b.Channel
	}
	if a.Flags != b.Flags {
		return a.Flags < b.Flags
	}
	return a.Scale < b.Scale
}

// Hist is a cell's histogram: N[level] responses.
type Hist [6]int64

// CellHist is one cell of a decoded block.
type CellHist struct {
	C Cell
	H Hist
}

// Block is a decoded block, sorted by cell.
type Block []CellHist

// DecodeMem decodes a whole block.
func DecodeMem(v []byte) (Block, error) {
	var out Block
	err := Decode(v, func(c Cell, h *Hist) { out = append(out, CellHist{c, *h}) })
	return out, err
}

// Merged returns a new block: b plus the deltas, without zero cells. A
// negative count is an error.
func (b Block) Merged(deltas map[Cell]*Hist) (Block, error) {
	ds := make([]Cell, 0, len(deltas))
	for c := range deltas {
		ds = append(ds, c)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Less(ds[j]) })
	out := make(Block, 0, len(b)+len(ds))
	i, j := 0, 0
	for i < len(b) || j < len(ds) {
		var ch CellHist
		switch {
		case j == len(ds) || (i < len(b) && b[i].C.Less(ds[j])):
			ch = b[i]
			i++
		case i == len(b) || ds[j].Less(b[i].C):
			ch = CellHist{C: ds[j], H: *deltas[ds[j]]}
			j++
		default:
			ch = b[i]
			for k, d := range deltas[ds[j]] {
				ch.H[k] += d
			}
			i++
			j++
		}
		for _, n := range ch.H {
			if n < 0 {
				return nil, errors.New("negative count")
			}
		}
		if ch.H != (Hist{}) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// Encode appends the block to buf; an empty block encodes as nil.
func (b Block) Encode(buf []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	for _, ch := range b {
		c := ch.C
		buf = binary.AppendUvarint(buf, uint64(c.Sub))
		buf = binary.AppendUvarint(buf, uint64(c.Svy))
		buf = binary.AppendUvarint(buf, uint64(c.Crit))
		var mask byte
		for i, n := range ch.H {
			if n != 0 {
				mask |= 1 << i
			}
		}
		buf = append(buf, c.Channel|(c.Flags&3)<<3|scaleCode[c.Scale]<<5|(c.Flags&4)<<5, mask)
		for _, n := range ch.H {
			if n != 0 {
				buf = binary.AppendUvarint(buf, uint64(n))
			}
		}
	}
	return buf
}

// Encode encodes the cells as a fresh block.
func Encode(buf []byte, cells map[Cell]*Hist) []byte {
	b, _ := Block(nil).Merged(cells)
	return b.Encode(buf)
}

// scaleCode packs a criterion's scale (0 for the response count, 1 for
// reason cells) in 2 bits.
var scaleCode = [6]byte{0, 3, 0, 1, 0, 2}
var scaleOf = [4]uint8{0, 3, 5, ReasonScale}

// Decode calls fn for every cell of an encoded block. h is reused.
func Decode(v []byte, fn func(c Cell, h *Hist)) error {
	n, k := binary.Uvarint(v)
	if k <= 0 {
		return ErrCorrupt
	}
	p := v[k:]
	var h Hist
	for i := uint64(0); i < n; i++ {
		var c Cell
		var f [3]uint64
		for j := range f {
			x, k := binary.Uvarint(p)
			if k <= 0 {
				return ErrCorrupt
			}
			f[j], p = x, p[k:]
		}
		if len(p) < 2 {
			return ErrCorrupt
		}
		c.Sub, c.Svy, c.Crit = uint32(f[0]), uint32(f[1]), uint32(f[2])
		c.Channel, c.Flags, c.Scale = p[0]&7, p[0]>>3&3|p[0]>>5&4, scaleOf[p[0]>>5&3]
		mask := p[1]
		p = p[2:]
		for j := range h {
			h[j] = 0
			if mask&(1<<j) != 0 {
				x, k := binary.Uvarint(p)
				if k <= 0 {
					return ErrCorrupt
				}
				h[j], p = int64(x), p[k:]
			}
		}
		fn(c, &h)
	}
	return nil
}
