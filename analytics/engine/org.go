package engine

import (
	"sort"

	"hailong/survey"
)

// Org is a snapshot of the unit tree for one request, so that expanding
// thirty subtrees for a rank does not rebuild the tree thirty times.
type Org struct {
	units    map[string]survey.Unit
	children map[string][]string
}

// NewOrg snapshots the unit tree.
func NewOrg(db survey.OrgService) *Org {
	o := &Org{units: map[string]survey.Unit{}, children: map[string][]string{}}
	for _, u := range db.Units() { // sorted by id
		o.units[u.ID] = u
	}
	for _, u := range db.Units() {
		if _, ok := o.units[u.Parent]; ok {
			o.children[u.Parent] = append(o.children[u.Parent], u.ID)
		} else {
			o.children[""] = append(o.children[""], u.ID)
		}
	}
	return o
}

// Unit returns the unit with id; ok is false when there is none.
func (o *Org) Unit(id string) (u survey.Unit, ok bool) {
	u, ok = o.units[id]
	return u, ok
}

// Name returns the name of unit id ("" when unknown).
func (o *Org) Name(id string) string { return o.units[id].Name }

// Children returns the units directly below id ("": the top-level units),
// sorted by id.
func (o *Org) Children(id string) []string { return o.children[id] }

// Subtree returns id and every unit below it.
func (o *Org) Subtree(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		out = append(out, o.children[out[i]]...)
	}
	return out
}

// All returns every unit.
func (o *Org) All() []string { return o.Subtree("")[1:] }

// GroupOf returns the unit that is ranked for id — id itself or its nearest
// ancestor that has a group — and that group ("" when none has).
func (o *Org) GroupOf(id string) (agency, group string) {
	for i := 0; id != "" && i < 64; i++ {
		u, ok := o.units[id]
		if !ok {
			return "", ""
		}
		if u.Group != "" {
			return u.ID, u.Group
		}
		id = u.Parent
	}
	return "", ""
}

// Members returns the units of group, sorted by id.
func (o *Org) Members(group string) []string {
	var out []string
	for id, u := range o.units {
		if u.Group == group {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// union returns the subtrees of ids, each unit once.
func (o *Org) union(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		for _, u := range o.Subtree(id) {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}
