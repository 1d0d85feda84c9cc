package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hailong/survey"
	"hailong/survey/countblock"
	"sort"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"
)

var allDims = []survey.Dim{survey.DimBase, survey.DimCounter, survey.DimStaff, survey.DimProcedure, survey.DimHour}

const monthFlag = 1 << 31

// aggKey orders unit, period, dim so that the blocks one response touches
// sit next to each other (one or two leaf pages per commit).
func aggKey(dim survey.Dim, unit, period uint32) blockKey {
	var k blockKey
	binary.BigEndian.PutUint32(k[0:], unit)
	binary.BigEndian.PutUint32(k[4:], period)
	k[8] = byte(dim)
	return k
}

// blockKey is a count block's key (an array: map keys without allocation).
type blockKey [9]byte

func monthPeriod(t time.Time) uint32 { return monthFlag | uint32(t.Year()*12+int(t.Month())-1) }

// aggDelta accumulates count changes of one transaction, written once per
// block at flush.
type aggDelta struct {
	blocks map[blockKey]map[cell]*hist
}

func newAggDelta() *aggDelta { return &aggDelta{blocks: map[blockKey]map[cell]*hist{}} }

func (a *aggDelta) bump(key blockKey, c cell, level int, by int64) {
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
func (a *aggDelta) add(r *rec, sv *survey.Survey, ids *svIDs, loc *time.Location, sign int64) {
	critIDs := ids.crit
	t := time.Unix(0, r.submitted).In(loc)
	y, m, d := t.Date()
	day := uint32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	periods := [2]uint32{day, monthPeriod(t)}
	subs := [...]struct {
		dim survey.Dim
		sub uint32
	}{{survey.DimBase, 0}, {survey.DimCounter, r.counter}, {survey.DimStaff, r.staff}, {survey.DimProcedure, r.procedure},
		{survey.DimHour, uint32(t.Weekday())*24 + uint32(t.Hour())}}
	valid := 0
	for _, v := range r.answers {
		if v != unanswered && v != survey.NA {
			valid = 1
			break
		}
	}
	flags := r.flags & (survey.NumFlagClasses - 1)
	for _, s := range subs {
		if s.sub == 0 && s.dim != survey.DimBase && s.dim != survey.DimHour {
			continue
		}
		for _, p := range periods {
			key := aggKey(s.dim, r.unit, p)
			base := cell{Sub: s.sub, Svy: r.svy, Channel: r.channel, Flags: flags}
			a.bump(key, base, valid, sign)
			for i, v := range r.answers {
				if v == unanswered {
					continue
				}
				c := base
				c.Crit, c.Scale = critIDs[i], uint8(sv.Criteria[i].Scale)
				a.bump(key, c, int(v), sign)
			}
			if s.dim == survey.DimBase && r.reasons != 0 {
				a.addReasons(key, base, r, sv, ids, sign)
			}
		}
	}
}

// addReasons counts, in the base dimension, each reason chosen (criterion
// 0) and each reason chosen together with a negative answer to a criterion:
// reason cells have scale reasonScale, Sub = the reason's id, N[1] = count.
func (a *aggDelta) addReasons(key blockKey, base cell, r *rec, sv *survey.Survey, ids *svIDs, sign int64) {
	for j, rid := range ids.reason {
		if r.reasons&(1<<uint(j)) == 0 {
			continue
		}
		c := base
		c.Sub, c.Scale = rid, reasonScale
		a.bump(key, c, 1, sign)
		for i, v := range r.answers {
			if v != unanswered && survey.Negative(sv.Criteria[i].Scale, int(v)) {
				c.Crit = ids.crit[i]
				a.bump(key, c, 1, sign)
			}
		}
	}
}

// The block codec is survey/countblock's, shared with survey/pg.
type (
	cell     = countblock.Cell
	hist     = countblock.Hist
	memBlock = countblock.Block
)

const reasonScale = countblock.ReasonScale

// blockCache keeps recently written blocks decoded, so the live path (today's
// and this month's blocks) merges without decoding. Entries are replaced,
// never modified, and only after their transaction commits: a rolled-back
// transaction leaves the cache describing the committed state.
type blockCache struct {
	mu sync.Mutex
	m  map[blockKey]memBlock
}

// blockCacheMax bounds the cache (a block is a few KiB decoded); the live
// path touches ~10 blocks per unit and day, so this holds a province's day.
const blockCacheMax = 4096

func (bc *blockCache) get(k blockKey) (memBlock, bool) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	b, ok := bc.m[k]
	return b, ok
}

func (bc *blockCache) put(blocks map[blockKey]memBlock) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.m == nil || len(bc.m)+len(blocks) > blockCacheMax {
		bc.m = make(map[blockKey]memBlock, len(blocks))
	}
	for k, b := range blocks {
		bc.m[k] = b
	}
}

func (bc *blockCache) drop(keys map[blockKey]map[cell]*hist) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	for k := range keys {
		delete(bc.m, k)
	}
}

func (bc *blockCache) clear() {
	bc.mu.Lock()
	bc.m = nil
	bc.mu.Unlock()
}

// flush merges the deltas into the blocks of bucket b, once per block. With
// keep, the written blocks enter the cache at commit; without, they leave it
// now (bulk loads would only fill it, and a cached copy would go stale).
// cache is nil for scratch buckets.
func (a *aggDelta) flush(tx *bbolt.Tx, b *bbolt.Bucket, cache *blockCache, keep bool) error {
	if cache != nil && !keep {
		cache.drop(a.blocks)
	}
	keys := make([]blockKey, 0, len(a.blocks))
	for k := range a.blocks {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	written := make(map[blockKey]memBlock, len(keys))
	// Blocks are rewritten in place and new days land between old keys:
	// fuller pages halve the bucket, at the cost of a split now and then.
	b.FillPercent = 0.9
	var buf []byte
	for _, k := range keys {
		var cur memBlock
		var ok bool
		if cache != nil && keep {
			cur, ok = cache.get(k)
		}
		if !ok {
			if v := b.Get(k[:]); v != nil {
				var err error
				if cur, err = countblock.DecodeMem(v); err != nil {
					return fmt.Errorf("agg block %x: %w", k, err)
				}
			}
		}
		next, err := cur.Merged(a.blocks[k])
		if err != nil {
			return fmt.Errorf("agg block %x: %w", k, err)
		}
		written[k] = next
		buf = next.Encode(buf[:0])
		if buf == nil {
			err = b.Delete(k[:])
		} else {
			err = b.Put(append([]byte(nil), k[:]...), append([]byte(nil), buf...))
		}
		if err != nil {
			return err
		}
	}
	if cache != nil && keep {
		tx.OnCommit(func() { cache.put(written) })
	}
	return nil
}

// aggEqual reports whether two agg buckets hold the same counts (used by
// tests and by `reindex --check`).
func aggEqual(a, b *bbolt.Bucket) bool {
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
