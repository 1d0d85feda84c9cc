package pg

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// nameDict caches count_names: the ids a count block uses for member,
// survey and criterion names ("" is 0 and never stored). An id, once
// committed, names one string for good, so the cache never goes stale; it
// is filled only from committed rows.
type nameDict struct {
	mu    sync.Mutex
	ids   map[string]uint32
	names map[uint32]string
}

// execQuerier is a pool or a transaction.
type execQuerier interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	Query(context.Context, string, ...any) (pgx.Rows, error)
}

// intern returns the ids of names, creating the missing ones in their own
// committed statement (an unused name costs a row, never a wrong count).
func (db *DB) intern(names []string) (map[string]uint32, error) {
	d := &db.names
	out := make(map[string]uint32, len(names))
	var miss []string
	d.mu.Lock()
	for _, n := range names {
		if id, ok := d.ids[n]; ok {
			out[n] = id
		} else {
			miss = append(miss, n)
		}
	}
	d.mu.Unlock()
	if len(miss) == 0 {
		return out, nil
	}
	got, err := internIn(ctx(), db.pool, miss)
	if err != nil {
		return nil, err
	}
	d.remember(got)
	for n, id := range got {
		out[n] = id
	}
	return out, nil
}

// internIn creates the missing names in q and returns the ids of all.
func internIn(c context.Context, q execQuerier, names []string) (map[string]uint32, error) {
	if _, err := q.Exec(c, "INSERT INTO count_names (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING", names); err != nil {
		return nil, err
	}
	return scanNames(q.Query(c, "SELECT id, name FROM count_names WHERE name = ANY($1)", names))
}

func scanNames(rows pgx.Rows, err error) (map[string]uint32, error) {
	if err != nil {
		return nil, err
	}
	out := map[string]uint32{}
	var id int32
	var name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		out[name] = uint32(id)
		return nil
	})
	return out, err
}

func (d *nameDict) remember(ids map[string]uint32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		d.ids, d.names = map[string]uint32{}, map[uint32]string{}
	}
	for n, id := range ids {
		d.ids[n], d.names[id] = id, n
	}
}

// lookup returns the id of an existing name (false: no count uses it).
func (db *DB) lookup(name string) (uint32, bool, error) {
	if name == "" {
		return 0, true, nil
	}
	db.names.mu.Lock()
	id, ok := db.names.ids[name]
	db.names.mu.Unlock()
	if ok {
		return id, true, nil
	}
	got, err := scanNames(db.pool.Query(ctx(), "SELECT id, name FROM count_names WHERE name = $1", name))
	if err != nil || len(got) == 0 {
		return 0, false, err
	}
	db.names.remember(got)
	return got[name], true, nil
}

// nameOf returns the names of ids (0 is ""), reading the unknown ones.
func (db *DB) nameOf(ids map[uint32]bool) (map[uint32]string, error) {
	out := map[uint32]string{0: ""}
	var miss []int32
	db.names.mu.Lock()
	for id := range ids {
		if n, ok := db.names.names[id]; ok || id == 0 {
			out[id] = n
		} else {
			miss = append(miss, int32(id))
		}
	}
	db.names.mu.Unlock()
	if len(miss) == 0 {
		return out, nil
	}
	got, err := scanNames(db.pool.Query(ctx(), "SELECT id, name FROM count_names WHERE id = ANY($1)", miss))
	if err != nil {
		return nil, err
	}
	db.names.remember(got)
	for n, id := range got {
		out[id] = n
	}
	return out, nil
}
