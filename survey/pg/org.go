package pg

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"hailong/survey"
)

// The organisation: units, groups (this file), counters and staff. Reads
// come from the cached snapshot; every check before a write reads the
// tables inside the write transaction (tx.fresh), which holds the global
// write lock, so two administrators on two servers cannot both create one
// id or move two units under each other.

// Unit returns the unit with id, or nil.
func (db *DB) Unit(id string) *survey.Unit {
	if u := db.snap().units[id]; u != nil {
		c := *u
		return &c
	}
	return nil
}

// Units returns every unit, sorted by id.
func (db *DB) Units() []survey.Unit { return sortedValues(db.snap().units) }

// Groups returns every group, sorted by id.
func (db *DB) Groups() []survey.Group { return sortedValues(db.snap().groups) }

// Subtree returns id, first, and the ids of all units below it (nil if id
// is unknown).
func (db *DB) Subtree(id string) []string { return db.snap().subtree(id) }

func (s *snapshot) subtree(id string) []string {
	if s.units[id] == nil {
		return nil
	}
	children := map[string][]string{}
	for _, u := range s.units {
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
func (db *DB) InSubtree(unit, root string) bool { return db.snap().inSubtree(unit, root) }

func (s *snapshot) inSubtree(unit, root string) bool {
	if root == "" {
		return true
	}
	for i := 0; unit != "" && i < 64; i++ {
		if unit == root {
			return true
		}
		u := s.units[unit]
		if u == nil {
			return false
		}
		unit = u.Parent
	}
	return false
}

// CreateUnit adds a new unit. Errors: EINVALID, ECONFLICT (id taken).
func (db *DB) CreateUnit(u survey.Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.units[u.ID] != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã đơn vị " + quote(u.ID) + " đã được dùng. / Unit id " + quote(u.ID) + " is taken."}
		}
		if err := s.checkUnitRefs(u); err != nil {
			return err
		}
		return singleUnit(tx.putUnits([]survey.Unit{u}))
	})
}

// UpdateUnit renames a unit, moves it and sets its group. Errors:
// ENOTFOUND; EINVALID (name, parent, group; a move below itself).
func (db *DB) UpdateUnit(u survey.Unit) error {
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.units[u.ID] == nil {
			return survey.Errorf(survey.ENOTFOUND, "Đơn vị %q không tồn tại. / Unknown unit %q.", u.ID, u.ID)
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := s.checkUnitRefs(u); err != nil {
			return err
		}
		if u.Parent != "" && s.inSubtree(u.Parent, u.ID) {
			p, cur := s.units[u.Parent], s.units[u.ID]
			return survey.FieldError("parent", "Không thể chuyển đơn vị vào dưới đơn vị cấp dưới của chính nó: %s thuộc %s. / A unit cannot move below one of its own sub-units: %s is part of %s.", quote(p.Name), quote(cur.Name), quote(p.Name), quote(cur.Name))
		}
		return singleUnit(tx.putUnits([]survey.Unit{u}))
	})
}

func (s *snapshot) checkUnitRefs(u survey.Unit) error {
	if u.Parent != "" && s.units[u.Parent] == nil {
		return survey.FieldError("parent", "Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent)
	}
	if u.Group != "" && s.groups[u.Group] == nil {
		return survey.FieldError("group", "Khối %q không tồn tại: hãy tạo khối trước. / Unknown group %q: create it first.", u.Group, u.Group)
	}
	return nil
}

// singleUnit renames the field of a PutUnits error about its only unit.
func singleUnit(err error) error {
	var e *survey.Error
	if errors.As(err, &e) && strings.HasPrefix(e.Field, "units[0].") {
		return &survey.Error{Code: e.Code, Field: strings.TrimPrefix(e.Field, "units[0]."), Message: e.Message}
	}
	return err
}

func quote(s string) string { return "“" + s + "”" }

// CreateGroup adds a peer group. Errors: EINVALID (id, name), ECONFLICT.
func (db *DB) CreateGroup(g survey.Group) error {
	if e := survey.CheckID("id", g.ID); e != nil {
		return e
	}
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.groups[g.ID] != nil {
			return &survey.Error{Code: survey.ECONFLICT, Field: "id", Message: "Mã khối " + quote(g.ID) + " đã được dùng. / Group id " + quote(g.ID) + " is taken."}
		}
		return tx.putGroup(g)
	})
}

// RenameGroup renames a group. Errors: ENOTFOUND, EINVALID (name).
func (db *DB) RenameGroup(id, name string) error {
	return db.update(func(tx *wtx) error {
		s, err := tx.fresh()
		if err != nil {
			return err
		}
		if s.groups[id] == nil {
			return survey.Errorf(survey.ENOTFOUND, "Khối %q không tồn tại. / Unknown group %q.", id, id)
		}
		return tx.putGroup(survey.Group{ID: id, Name: name})
	})
}

// PutGroup creates or renames a group. Errors: EINVALID (id, name).
func (db *DB) PutGroup(g survey.Group) error {
	return db.update(func(tx *wtx) error { return tx.putGroup(g) })
}

func (tx *wtx) putGroup(g survey.Group) error {
	if e := survey.CheckID("id", g.ID); e != nil {
		return e
	}
	if e := survey.CheckName("name", g.Name, 200); e != nil {
		return e
	}
	return tx.putDoc("groups", g.ID, g)
}

// knownGroups names the usual peer groups (as survey/bolt does).
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
// Errors: EINVALID with Field "units[i].field".
func (db *DB) PutUnits(units []survey.Unit) error {
	return db.update(func(tx *wtx) error { return tx.putUnits(units) })
}

func (tx *wtx) putUnits(units []survey.Unit) error {
	s, err := tx.fresh()
	if err != nil {
		return err
	}
	merged := map[string]*survey.Unit{}
	for id, u := range s.units {
		merged[id] = u
	}
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
	for i, u := range units {
		seen := map[string]bool{}
		for x := u.ID; x != ""; x = merged[x].Parent {
			if seen[x] {
				return survey.FieldError(fmt.Sprintf("units[%d].parent", i), "Cây đơn vị bị vòng lặp tại %q. / The unit tree would loop at %q.", x, x)
			}
			seen[x] = true
		}
	}
	groups := map[string]bool{}
	for id := range s.groups {
		groups[id] = true
	}
	for _, u := range units {
		b, _ := json.Marshal(u)
		if _, err := tx.exec(`INSERT INTO units (id, parent, doc) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, doc = excluded.doc`, u.ID, u.Parent, b); err != nil {
			return err
		}
		if u.Group != "" && !groups[u.Group] {
			g := survey.Group{ID: u.Group, Name: knownGroups[u.Group]}
			if g.Name == "" {
				g.Name = u.Group
			}
			groups[g.ID] = true
			if err := tx.putDoc("groups", g.ID, g); err != nil {
				return err
			}
		}
	}
	tx.changed()
	return nil
}

// putDoc stores v as the JSON document of id in a table (id, doc).
func (tx *wtx) putDoc(table, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.changed()
	_, err = tx.exec("INSERT INTO "+table+" (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", id, b)
	return err
}

// putUnitDoc stores v as the document of id in a table (id, unit, doc).
func (tx *wtx) putUnitDoc(table, id, unit string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.changed()
	_, err = tx.exec("INSERT INTO "+table+` (id, unit, doc) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET unit = excluded.unit, doc = excluded.doc`, id, unit, b)
	return err
}
