package bolt

import (
	"errors"
	"fmt"
	"hailong/survey"
	"sort"
	"strings"
	"sync"

	bbolt "go.etcd.io/bbolt"
)

// Organisation changes made from the admin pages. Unlike PutUnits,
// PutCounter and PutStaff (bulk, create-or-replace), these create only what
// does not exist yet and change only what does, with messages about the
// form field at fault ("id", "name", "parent", "group", "unit", "photo").

// orgMu serialises the admin's check-then-write changes to units, groups and
// counters, so that two administrators cannot both create the same id or
// move two units under each other. Staff changes hold signMu instead, which
// also keeps them from racing sign-on.
var orgMu sync.Mutex

// CreateUnit adds a new unit. Errors: EINVALID (id, name, parent, group:
// malformed, unknown parent or group), ECONFLICT (id taken).
func (db *DB) CreateUnit(u survey.Unit) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if err := u.Validate(); err != nil {
		return err
	}
	if db.Unit(u.ID) != nil {
		return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã đơn vị " + quote(u.ID) + " đã được dùng. / Unit id " + quote(u.ID) + " is taken."}
	}
	if err := db.checkUnitRefs(u); err != nil {
		return err
	}
	return singleUnit(db.putUnits([]survey.Unit{u}))
}

// UpdateUnit renames a unit, moves it under another parent ("" = top level)
// and sets its group ("" = none). Errors: ENOTFOUND; EINVALID for a bad name,
// an unknown parent or group, or a parent that is the unit itself or lies
// below it (the tree would loop).
func (db *DB) UpdateUnit(u survey.Unit) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if db.Unit(u.ID) == nil {
		return survey.Errorf(survey.ENOTFOUND, "Đơn vị %q không tồn tại. / Unknown unit %q.", u.ID, u.ID)
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := db.checkUnitRefs(u); err != nil {
		return err
	}
	if u.Parent != "" && db.InSubtree(u.Parent, u.ID) {
		p, cur := db.Unit(u.Parent), db.Unit(u.ID)
		return survey.FieldError("parent", "Không thể chuyển đơn vị vào dưới đơn vị cấp dưới của chính nó: %s thuộc %s. / A unit cannot move below one of its own sub-units: %s is part of %s.", quote(p.Name), quote(cur.Name), quote(p.Name), quote(cur.Name))
	}
	return singleUnit(db.putUnits([]survey.Unit{u}))
}

func (db *DB) checkUnitRefs(u survey.Unit) error {
	if u.Parent != "" && db.Unit(u.Parent) == nil {
		return survey.FieldError("parent", "Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent)
	}
	if u.Group != "" && db.group(u.Group) == nil {
		return survey.FieldError("group", "Khối %q không tồn tại: hãy tạo khối trước. / Unknown group %q: create it first.", u.Group, u.Group)
	}
	return nil
}

// singleUnit renames the field of a PutUnits error about its only unit
// ("units[0].parent" → "parent").
func singleUnit(err error) error {
	var e *survey.Error
	if errors.As(err, &e) && strings.HasPrefix(e.Field, "units[0].") {
		return &survey.Error{Code: e.Code, Field: strings.TrimPrefix(e.Field, "units[0]."), Message: e.Message}
	}
	return err
}

func (db *DB) group(id string) *survey.Group {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if g := db.groups[id]; g != nil {
		x := *g
		return &x
	}
	return nil
}

// CreateGroup adds a peer group. Errors: EINVALID (id, name), ECONFLICT.
func (db *DB) CreateGroup(g survey.Group) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if e := survey.CheckID("id", g.ID); e != nil {
		return e
	}
	if db.group(g.ID) != nil {
		return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã khối " + quote(g.ID) + " đã được dùng. / Group id " + quote(g.ID) + " is taken."}
	}
	return db.PutGroup(g)
}

// RenameGroup renames a group. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameGroup(id, name string) error {
	orgMu.Lock()
	defer orgMu.Unlock()
	if db.group(id) == nil {
		return survey.Errorf(survey.ENOTFOUND, "Khối %q không tồn tại. / Unknown group %q.", id, id)
	}
	return db.PutGroup(survey.Group{ID: id, Name: name})
}

func quote(s string) string { return "“" + s + "”" }

// Unit returns the unit with id, or nil.
func (db *DB) Unit(id string) *survey.Unit {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if u := db.units[id]; u != nil {
		c := *u
		return &c
	}
	return nil
}

// Units returns every unit, sorted by id.
func (db *DB) Units() []survey.Unit {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]survey.Unit, 0, len(db.units))
	for _, u := range db.units {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Groups returns every group, sorted by id.
func (db *DB) Groups() []survey.Group {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]survey.Group, 0, len(db.groups))
	for _, g := range db.groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Subtree returns id, first, and the ids of all units below it (nil if id
// is unknown).
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
func (db *DB) PutUnits(units []survey.Unit) error {
	orgMu.Lock() // the admin pages' check-then-write changes see a settled tree
	defer orgMu.Unlock()
	return db.putUnits(units)
}

// putUnits is PutUnits for callers holding orgMu.
func (db *DB) putUnits(units []survey.Unit) error {
	db.mu.RLock()
	merged := map[string]*survey.Unit{}
	for id, u := range db.units {
		merged[id] = u
	}
	db.mu.RUnlock()
	for i := range units {
		u := &units[i]
		if err := u.Validate(); err != nil {
			e := err.(*survey.Error)
			return &survey.Error{Code: e.Code, Field: fmt.Sprintf("units[%d].%s", i, e.Field), Message: e.Message}
		}
		merged[u.ID] = u
	}
	for i, u := range units {
		if u.Parent != "" && merged[u.Parent] == nil {
			return survey.FieldError(fmt.Sprintf("units[%d].parent", i), "Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent)
		}
	}
	// Every parent is known now, so the walk below never meets a missing unit.
	for i, u := range units {
		seen := map[string]bool{}
		for x := u.ID; x != ""; x = merged[x].Parent {
			if seen[x] {
				return survey.FieldError(fmt.Sprintf("units[%d].parent", i), "Cây đơn vị bị vòng lặp tại %q. / The unit tree would loop at %q.", x, x)
			}
			seen[x] = true
		}
	}
	newGroups := map[string]*survey.Group{}
	err := db.update(func(tx *bbolt.Tx) error {
		td := newTxDict(db.dict, tx)
		for _, u := range units {
			if err := putJSON(tx, bUnits, u.ID, u); err != nil {
				return err
			}
			if _, err := td.id(kindUnit, u.ID); err != nil {
				return err
			}
			if u.Group != "" && tx.Bucket(bGroups).Get([]byte(u.Group)) == nil && newGroups[u.Group] == nil {
				g := &survey.Group{ID: u.Group, Name: knownGroups[u.Group]}
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

// PutGroup creates or renames a group. Errors: EINVALID (id, name).
func (db *DB) PutGroup(g survey.Group) error {
	if e := survey.CheckID("id", g.ID); e != nil {
		return e
	}
	if e := survey.CheckName("name", g.Name, 200); e != nil {
		return e
	}
	err := db.update(func(tx *bbolt.Tx) error { return putJSON(tx, bGroups, g.ID, g) })
	if err == nil {
		db.mu.Lock()
		db.groups[g.ID] = &g
		db.mu.Unlock()
	}
	return err
}

// putEntity stores v as JSON, interns its id and updates the cache.
func (db *DB) putEntity(bucket []byte, kind byte, id string, v any, cache func()) error {
	err := db.update(func(tx *bbolt.Tx) error {
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
