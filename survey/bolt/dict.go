package bolt

import (
	"encoding/binary"
	"fmt"
	"sync"

	bbolt "go.etcd.io/bbolt"
)

// Name kinds interned to small integers so that response records and count
// blocks stay compact. The bytes are stored; never change them.
const (
	kindUnit      byte = 'u'
	kindCounter   byte = 'c'
	kindStaff     byte = 's'
	kindProcedure byte = 'p'
	kindKiosk     byte = 'k'
	kindSurvey    byte = 'v'
	kindCriterion byte = 'q'
	kindReason    byte = 'r'
)

var dictKinds = []byte{kindUnit, kindCounter, kindStaff, kindProcedure, kindKiosk, kindSurvey, kindCriterion, kindReason}

// dict maps names to ids and back. ids start at 1; 0 means "none". New ids are
// assigned inside a write transaction and published with commit.
type dict struct {
	mu     sync.RWMutex
	ids    map[byte]map[string]uint32
	names  map[byte][]string // index = id
	active []*txDict         // of the running write transaction (guarded by DB.wmu)
}

func loadDict(tx *bbolt.Tx) (*dict, error) {
	d := &dict{ids: map[byte]map[string]uint32{}, names: map[byte][]string{}}
	root := tx.Bucket(bDict)
	for _, k := range dictKinds {
		d.ids[k] = map[string]uint32{}
		d.names[k] = []string{""}
		b := root.Bucket([]byte{k})
		if b == nil {
			continue
		}
		// ids are stored under 0x00 + id(4) so they sort apart from names.
		c := b.Cursor()
		for key, v := c.Seek([]byte{0}); key != nil && key[0] == 0; key, v = c.Next() {
			id := binary.BigEndian.Uint32(key[1:])
			if int(id) != len(d.names[k]) {
				return nil, fmt.Errorf("dict %c: id %d out of sequence", k, id)
			}
			name := string(v)
			d.names[k] = append(d.names[k], name)
			d.ids[k][name] = id
		}
	}
	return d, nil
}

// lookup returns the id of name, 0 if it was never interned.
func (d *dict) lookup(kind byte, name string) uint32 {
	if name == "" {
		return 0
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.ids[kind][name]
}

// name returns the name of id ("" for 0 or unknown).
func (d *dict) name(kind byte, id uint32) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if n := d.names[kind]; int(id) < len(n) {
		return n[id]
	}
	return ""
}

// txDict interns names within one write transaction.
type txDict struct {
	d       *dict
	tx      *bbolt.Tx
	pending map[byte]map[string]uint32
	order   []pendingName
}

type pendingName struct {
	kind byte
	name string
	id   uint32
}

func newTxDict(d *dict, tx *bbolt.Tx) *txDict {
	t := &txDict{d: d, tx: tx, pending: map[byte]map[string]uint32{}}
	d.active = append(d.active, t)
	return t
}

// id returns the id of name, assigning a new one if needed.
func (t *txDict) id(kind byte, name string) (uint32, error) {
	if name == "" {
		return 0, nil
	}
	if id := t.d.lookup(kind, name); id != 0 {
		return id, nil
	}
	if id, ok := t.pending[kind][name]; ok {
		return id, nil
	}
	b, err := t.tx.Bucket(bDict).CreateBucketIfNotExists([]byte{kind})
	if err != nil {
		return 0, err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	id := uint32(seq)
	key := make([]byte, 5)
	binary.BigEndian.PutUint32(key[1:], id)
	if err := b.Put(key, []byte(name)); err != nil {
		return 0, err
	}
	if t.pending[kind] == nil {
		t.pending[kind] = map[string]uint32{}
	}
	t.pending[kind][name] = id
	t.order = append(t.order, pendingName{kind, name, id})
	return id, nil
}

// unpublish forgets the names of a transaction that did not commit.
func (t *txDict) unpublish() {
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	for _, p := range t.order {
		if t.d.ids[p.kind][p.name] == p.id {
			delete(t.d.ids[p.kind], p.name)
		}
		if n := t.d.names[p.kind]; int(p.id) < len(n) && n[p.id] == p.name {
			n[p.id] = ""
		}
	}
}

// publish makes the names assigned in a transaction visible. DB.update
// calls it just before commit, so that no reader sees a committed record
// whose names are unknown, and unpublishes if the commit fails.
func (t *txDict) publish() {
	if len(t.order) == 0 {
		return
	}
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	for _, p := range t.order {
		for uint32(len(t.d.names[p.kind])) <= p.id {
			t.d.names[p.kind] = append(t.d.names[p.kind], "")
		}
		t.d.names[p.kind][p.id] = p.name
		t.d.ids[p.kind][p.name] = p.id
	}
}
