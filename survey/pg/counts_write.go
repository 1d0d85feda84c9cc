package pg

import (
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"hailong/survey/countblock"
)

// blockID is the key of one count block (the primary key of count_blocks).
type blockID struct {
	dim    int16
	unit   string
	period int32
}

func (a blockID) less(b blockID) bool {
	if a.dim != b.dim {
		return a.dim < b.dim
	}
	if a.unit != b.unit {
		return a.unit < b.unit
	}
	return a.period < b.period
}

type blockDeltas map[blockID]map[countblock.Cell]*hist

// names lists the names the deltas' cells use, for interning.
func (a *aggDelta) names() []string {
	seen := map[string]bool{"": true}
	var out []string
	for k := range a.cells {
		for _, n := range [...]string{k.sub, k.survey, k.crit} {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// byBlock groups the non-zero deltas by block, naming cells by ids.
func (a *aggDelta) byBlock(ids map[string]uint32) blockDeltas {
	out := blockDeltas{}
	for k, h := range a.cells {
		if *h == (hist{}) {
			continue
		}
		id := blockID{int16(k.dim), k.unit, k.period}
		b := out[id]
		if b == nil {
			b = map[countblock.Cell]*hist{}
			out[id] = b
		}
		b[countblock.Cell{Sub: ids[k.sub], Svy: ids[k.survey], Crit: ids[k.crit],
			Channel: uint8(k.channel), Flags: uint8(k.flags), Scale: uint8(k.scale)}] = h
	}
	return out
}

// flush adds the deltas to their blocks: the touched blocks are locked
// (SELECT … FOR UPDATE, in key order, so that servers writing at once wait
// for each other instead of losing an update), merged in memory and each
// written once.
func (a *aggDelta) flush(tx *wtx) error {
	if len(a.cells) == 0 {
		return nil
	}
	ids, err := tx.db.intern(a.names())
	if err != nil {
		return fmt.Errorf("count names: %w", err)
	}
	deltas := a.byBlock(ids)
	a.cells = map[cellKey]*hist{}
	return deltas.merge(tx)
}

func (d blockDeltas) sorted() []blockID {
	keys := make([]blockID, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return keys
}

// columns splits block keys (and encoded blocks) into unnest arrays.
func columns(keys []blockID) (dims []int16, units []string, periods []int32) {
	for _, k := range keys {
		dims, units, periods = append(dims, k.dim), append(units, k.unit), append(periods, k.period)
	}
	return
}

// merge writes d into count_blocks: locked existing blocks are updated, new
// ones inserted; a new block another server inserted meanwhile is locked
// and merged on the next round.
func (d blockDeltas) merge(tx *wtx) error {
	todo := d.sorted()
	for round := 0; len(todo) > 0; round++ {
		if round > 3 {
			return fmt.Errorf("count blocks: still contended after %d rounds", round)
		}
		cur, err := lockBlocks(tx, todo)
		if err != nil {
			return err
		}
		var upd, ins []blockID
		var updB, insB [][]byte
		for _, k := range todo {
			old, ok := cur[k]
			blk, err := old.Merged(d[k])
			if err != nil {
				return fmt.Errorf("count block %v: %w", k, err)
			}
			enc := blk.Encode(nil)
			if enc == nil {
				enc = []byte{}
			}
			if ok {
				upd, updB = append(upd, k), append(updB, enc)
			} else {
				ins, insB = append(ins, k), append(insB, enc)
			}
		}
		updateBlocks(tx, upd, updB)
		if todo, err = insertBlocks(tx, ins, insB); err != nil {
			return err
		}
	}
	return nil
}

// lockBlocks reads and locks the existing blocks of keys, in key order.
func lockBlocks(tx *wtx, keys []blockID) (map[blockID]countblock.Block, error) {
	dims, units, periods := columns(keys)
	rows, err := tx.Query(tx.c, `SELECT b.dim, b.unit, b.period, b.block FROM count_blocks b
		JOIN unnest($1::smallint[], $2::text[], $3::int[]) k(dim, unit, period) USING (dim, unit, period)
		ORDER BY b.dim, b.unit, b.period FOR UPDATE OF b`, dims, units, periods)
	if err != nil {
		return nil, err
	}
	out := map[blockID]countblock.Block{}
	var k blockID
	var v []byte
	_, err = pgx.ForEachRow(rows, []any{&k.dim, &k.unit, &k.period, &v}, func() error {
		b, err := decodeBlock(v)
		out[k] = b
		return err
	})
	return out, err
}

// decodeBlock decodes a stored block (empty: no cells).
func decodeBlock(v []byte) (countblock.Block, error) {
	if len(v) == 0 {
		return nil, nil
	}
	return countblock.DecodeMem(v)
}

// updateBlocks rewrites blocks this transaction holds locked: queued, sent
// with the transaction's next statement or its commit.
func updateBlocks(tx *wtx, keys []blockID, blocks [][]byte) {
	if len(keys) == 0 {
		return
	}
	dims, units, periods := columns(keys)
	tx.laterExec(`UPDATE count_blocks b SET block = v.block
		FROM unnest($1::smallint[], $2::text[], $3::int[], $4::bytea[]) v(dim, unit, period, block)
		WHERE (b.dim, b.unit, b.period) = (v.dim, v.unit, v.period)`, dims, units, periods, blocks)
}

// insertBlocks inserts new blocks and returns the keys another transaction
// inserted first (to merge into on the next round).
func insertBlocks(tx *wtx, keys []blockID, blocks [][]byte) ([]blockID, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	dims, units, periods := columns(keys)
	rows, err := tx.Query(tx.c, `INSERT INTO count_blocks (dim, unit, period, block)
		SELECT * FROM unnest($1::smallint[], $2::text[], $3::int[], $4::bytea[])
		ON CONFLICT (dim, unit, period) DO NOTHING RETURNING dim, unit, period`, dims, units, periods, blocks)
	if err != nil {
		return nil, err
	}
	done := map[blockID]bool{}
	var k blockID
	if _, err := pgx.ForEachRow(rows, []any{&k.dim, &k.unit, &k.period}, func() error {
		done[k] = true
		return nil
	}); err != nil {
		return nil, err
	}
	var again []blockID
	for _, k := range keys {
		if !done[k] {
			again = append(again, k)
		}
	}
	return again, nil
}

// copyFresh writes the blocks into an emptied count_blocks with COPY (a
// rebuild: no block exists yet).
func (d blockDeltas) copyFresh(tx pgx.Tx) error {
	keys := d.sorted()
	rows := make([][]any, 0, len(keys))
	for _, k := range keys {
		if enc := countblock.Encode(nil, d[k]); enc != nil {
			rows = append(rows, []any{k.dim, k.unit, k.period, enc})
		}
	}
	_, err := tx.CopyFrom(ctx(), pgx.Identifier{"count_blocks"}, []string{"dim", "unit", "period", "block"}, pgx.CopyFromRows(rows))
	return err
}
