package analytics

import (
	"sort"

	"hailong/survey"
)

// org is a snapshot of the unit tree for one request, so that expanding
// thirty subtrees for a rank does not rebuild the tree thirty times.
type org struct {
	units    map[string]survey.Unit
	children map[string][]string
}

func newOrg(db survey.OrgService) *org {
	o := &org{units: map[string]survey.Unit{}, children: map[string][]string{}}
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

// subtree returns id and every unit below it.
func (o *org) subtree(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		out = append(out, o.children[out[i]]...)
	}
	return out
}

// all returns every unit.
func (o *org) all() []string { return o.subtree("")[1:] }

// groupOf returns the unit that is ranked for id — id itself or its nearest
// ancestor that has a group — and that group ("" when none has).
func (o *org) groupOf(id string) (agency, group string) {
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

// members returns the units of group, sorted by id.
func (o *org) members(group string) []string {
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
func (o *org) union(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		for _, u := range o.subtree(id) {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}
