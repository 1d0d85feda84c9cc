package admin

import (
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// orgNode is a unit in the tree with what hangs off it.
type orgNode struct {
	survey.Unit
	GroupName string
	Depth     int
	Children  []*orgNode
	Counters  int
	Staff     int
	Kiosks    int
}

// orgTree returns the units under root as a forest: the root alone, or
// with root "" every top-level unit (and any whose parent is missing).
// Children are in id order, as in DB.Subtree.
func orgTree(db *survey.Services, root string) []*orgNode {
	units := db.Org.Units() // sorted by id
	groups := map[string]string{}
	for _, g := range db.Org.Groups() {
		groups[g.ID] = g.Name
	}
	nodes := make(map[string]*orgNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &orgNode{Unit: u, GroupName: groups[u.Group]}
	}
	var tops []*orgNode
	for _, u := range units {
		n := nodes[u.ID]
		if p := nodes[u.Parent]; p != nil {
			p.Children = append(p.Children, n)
		} else {
			tops = append(tops, n)
		}
	}
	for _, c := range db.Counters.Counters("") {
		if n := nodes[c.Unit]; n != nil {
			n.Counters++
		}
	}
	for _, s := range db.Staff.StaffOf("") {
		if n := nodes[s.Unit]; n != nil {
			n.Staff++
		}
	}
	for _, k := range db.Kiosks.Kiosks() {
		if n := nodes[k.Unit]; n != nil && !k.Revoked {
			n.Kiosks++
		}
	}
	if root != "" {
		if n := nodes[root]; n != nil {
			tops = []*orgNode{n}
		} else {
			tops = nil
		}
	}
	orgSetDepth(tops, 0)
	return tops
}

func orgSetDepth(ns []*orgNode, d int) {
	for _, n := range ns {
		n.Depth = d
		orgSetDepth(n.Children, d+1)
	}
}

// orgFlatten lists a forest in tree order, skipping the subtree of skip.
func orgFlatten(ns []*orgNode, skip string) []*orgNode {
	var out []*orgNode
	var walk func([]*orgNode)
	walk = func(ns []*orgNode) {
		for _, n := range ns {
			if n.ID == skip {
				continue
			}
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(ns)
	return out
}

// orgChoice is an option of a select, indented by depth.
type orgChoice struct{ ID, Label string }

// unitChoices lists the units under root in tree order for a select,
// leaving out the subtree of skip (a unit cannot move below itself).
func unitChoices(db *survey.Services, root, skip string) []orgChoice {
	var out []orgChoice
	for _, n := range orgFlatten(orgTree(db, root), skip) {
		out = append(out, orgChoice{ID: n.ID, Label: strings.Repeat("\u00a0\u00a0\u00a0", n.Depth) + n.Name})
	}
	return out
}

// orgInScope returns the ids of the units under root as a set.
func orgInScope(db *survey.Services, root string) map[string]bool {
	set := map[string]bool{}
	for _, n := range orgFlatten(orgTree(db, root), "") {
		set[n.ID] = true
	}
	return set
}

// orgUnitOrder returns each unit's position in tree order, for sorting lists
// by unit the way the tree shows them.
func orgUnitOrder(db *survey.Services) map[string]int {
	pos := map[string]int{}
	for i, n := range orgFlatten(orgTree(db, ""), "") {
		pos[n.ID] = i
	}
	return pos
}

// orgUnitName is a unit's name, or its id when unknown.
func orgUnitName(db survey.OrgService, id string) string {
	if u := db.Unit(id); u != nil {
		return u.Name
	}
	return id
}

// orgTime formats t in the installation's zone ("" for the zero time).
func orgTime(db survey.Clock, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(db.Loc()).Format("02/01/2006 15:04:05")
}

// orgAgo says how long before now t was, in Vietnamese and English.
func orgAgo(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "vừa xong / just now"
	case d < time.Hour:
		m := strconv.Itoa(int(d / time.Minute))
		return m + " phút trước / " + m + " min ago"
	case d < 48*time.Hour:
		h := strconv.Itoa(int(d / time.Hour))
		return h + " giờ trước / " + h + " h ago"
	}
	days := strconv.Itoa(int(d / (24 * time.Hour)))
	return days + " ngày trước / " + days + " days ago"
}
