package survey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Unit returns the unit with id, or nil.
func (db *DB) Unit(id string) *Unit {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if u := db.units[id]; u != nil {
		c := *u
		return &c
	}
	return nil
}

// Units returns every unit, sorted by id.
func (db *DB) Units() []Unit {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]Unit, 0, len(db.units))
	for _, u := range db.units {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Groups returns every group, sorted by id.
func (db *DB) Groups() []Group {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]Group, 0, len(db.groups))
	for _, g := range db.groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Subtree returns id and the ids of all units below it (nil if id is unknown).
func (db *DB) Subtree(id string) []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.units[id] == nil {
		return nil
	}
	children := map[string][]string{}
	for _, u := range db.units {
		children[u.Parent] = append(children[u.Parent], u.ID)
	}
	out := []string{}
	var walk func(string)
	walk = func(x string) {
		out = append(out, x)
		sort.Strings(children[x])
		for _, c := range children[x] {
			walk(c)
		}
	}
	walk(id)
	return out
}

// InSubtree reports whether unit lies in the subtree of root ("" = all).
func (db *DB) InSubtree(unit, root string) bool {
	if root == "" {
		return true
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	for i := 0; unit != "" && i < 64; i++ {
		if unit == root {
			return true
		}
		u := db.units[unit]
		if u == nil {
			return false
		}
		unit = u.Parent
	}
	return false
}

// knownGroups names the usual peer groups; others are named by their id
// until an administrator renames them.
var knownGroups = map[string]string{
	"khoi-so":        "Khối Sở, ban, ngành",
	"khoi-xa-phuong": "Khối xã, phường",
	"khoi-xa":        "Khối xã, phường, thị trấn",
	"khoi-huyen":     "Khối huyện, thị xã, thành phố",
	"khoi-benh-vien": "Khối bệnh viện",
	"benh-vien":      "Khối bệnh viện",
	"nganh-doc":      "Khối cơ quan ngành dọc",
}

// PutUnits creates or updates units in one transaction: all or nothing.
// Parents must exist in the store or in the same call, the tree must stay
// acyclic, and groups are created on first use. Errors: EINVALID with the
// index of the offending unit in Field ("units[3].parent").
func (db *DB) PutUnits(units []Unit) error {
	orgMu.Lock() // the admin pages' check-then-write changes see a settled tree
	defer orgMu.Unlock()
	return db.putUnits(units)
}

// putUnits is PutUnits for callers holding orgMu.
func (db *DB) putUnits(units []Unit) error {
	db.mu.RLock()
	merged := map[string]*Unit{}
	for id, u := range db.units {
		merged[id] = u
	}
	db.mu.RUnlock()
	for i := range units {
		u := &units[i]
		if err := u.Validate(); err != nil {
			e := err.(*Error)
			return &Error{Code: e.Code, Field: fmt.Sprintf("units[%d].%s", i, e.Field), Message: e.Message}
		}
		merged[u.ID] = u
	}
	for i, u := range units {
		if u.Parent != "" && merged[u.Parent] == nil {
			return FieldError(fmt.Sprintf("units[%d].parent", i), "Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent)
		}
	}
	// Every parent is known now, so the walk below never meets a missing unit.
	for i, u := range units {
		seen := map[string]bool{}
		for x := u.ID; x != ""; x = merged[x].Parent {
			if seen[x] {
				return FieldError(fmt.Sprintf("units[%d].parent", i), "Cây đơn vị bị vòng lặp tại %q. / The unit tree would loop at %q.", x, x)
			}
			seen[x] = true
		}
	}
	newGroups := map[string]*Group{}
	err := db.update(func(tx *bolt.Tx) error {
		td := newTxDict(db.dict, tx)
		for _, u := range units {
			if err := putJSON(tx, bUnits, u.ID, u); err != nil {
				return err
			}
			if _, err := td.id(kindUnit, u.ID); err != nil {
				return err
			}
			if u.Group != "" && tx.Bucket(bGroups).Get([]byte(u.Group)) == nil && newGroups[u.Group] == nil {
				g := &Group{ID: u.Group, Name: knownGroups[u.Group]}
				if g.Name == "" {
					g.Name = u.Group
				}
				newGroups[g.ID] = g
				if err := putJSON(tx, bGroups, g.ID, g); err != nil {
					return err
				}
			}
		}
		db.afterCommit(tx, td.publish)
		return nil
	})
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for i := range units {
		u := units[i]
		db.units[u.ID] = &u
	}
	for id, g := range newGroups {
		db.groups[id] = g
	}
	return nil
}

// PutGroup creates or renames a group.
func (db *DB) PutGroup(g Group) error {
	if e := checkID("id", g.ID); e != nil {
		return e
	}
	if e := checkName("name", g.Name, 200); e != nil {
		return e
	}
	err := db.update(func(tx *bolt.Tx) error { return putJSON(tx, bGroups, g.ID, g) })
	if err == nil {
		db.mu.Lock()
		db.groups[g.ID] = &g
		db.mu.Unlock()
	}
	return err
}

// Counter returns the counter with id, or nil.
func (db *DB) Counter(id string) *Counter {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if c := db.counters[id]; c != nil {
		x := *c
		return &x
	}
	return nil
}

// Counters returns the counters of unit ("" = all), sorted by id.
func (db *DB) Counters(unit string) []Counter {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []Counter
	for _, c := range db.counters {
		if unit == "" || c.Unit == unit {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// PutCounter creates or updates a counter. Errors: EINVALID.
func (db *DB) PutCounter(c Counter) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if db.Unit(c.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", c.Unit, c.Unit)
	}
	return db.putEntity(bCounters, kindCounter, c.ID, c, func() { db.counters[c.ID] = &c })
}

// StaffMember returns the staff member with id, or nil.
func (db *DB) StaffMember(id string) *Staff {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if s := db.staff[id]; s != nil {
		x := *s
		return &x
	}
	return nil
}

// StaffOf returns the staff of unit ("" = all), sorted by id.
func (db *DB) StaffOf(unit string) []Staff {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []Staff
	for _, s := range db.staff {
		if unit == "" || s.Unit == unit {
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// PutStaff creates or updates a staff member. Errors: EINVALID.
func (db *DB) PutStaff(s Staff) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if db.Unit(s.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", s.Unit, s.Unit)
	}
	if s.Counter != "" && db.Counter(s.Counter) == nil {
		return FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", s.Counter, s.Counter)
	}
	return db.putEntity(bStaff, kindStaff, s.ID, s, func() { db.staff[s.ID] = &s })
}

// putEntity stores v as JSON, interns its id and updates the cache.
func (db *DB) putEntity(bucket []byte, kind byte, id string, v any, cache func()) error {
	err := db.update(func(tx *bolt.Tx) error {
		td := newTxDict(db.dict, tx)
		if _, err := td.id(kind, id); err != nil {
			return err
		}
		db.afterCommit(tx, td.publish)
		return putJSON(tx, bucket, id, v)
	})
	if err == nil {
		db.mu.Lock()
		cache()
		db.mu.Unlock()
	}
	return err
}

func (db *DB) afterCommit(tx *bolt.Tx, fn func()) { tx.OnCommit(fn) }

func putJSON(tx *bolt.Tx, bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(key), b)
}

// NewSecret returns a random URL-safe secret of 256 bits.
func NewSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the SHA-256 of a secret; only hashes are stored.
func HashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
