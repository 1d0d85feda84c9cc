package storetest

import (
	"testing"

	"hailong/survey"
)

var orgCases = []testCase{
	{"Reads", func(t *testing.T, e *env) {
		equal(t, "units of an empty store", len(e.Units()), 0)
		e.org(t)
		u := e.Unit("so-a")
		if u == nil || u.Name != "Sở A" || u.Parent != "tinh" || u.Group != "khoi-so" {
			t.Fatalf("Unit(so-a) = %+v", u)
		}
		if e.Unit("nope") != nil {
			t.Fatal("Unit(nope) is not nil")
		}
		equalSlice(t, "Units", ids(e.Units(), func(u survey.Unit) string { return u.ID }), []string{"so-a", "so-a-vp", "so-b", "tinh"})
		equalSlice(t, "Groups", ids(e.Groups(), func(g survey.Group) string { return g.ID }), []string{"khoi-so"})
		if g := e.Groups()[0]; g.Name == "" {
			t.Fatal("a group created on first use has no name")
		}
		sub := e.Subtree("so-a")
		if len(sub) == 0 || sub[0] != "so-a" {
			t.Fatalf("Subtree(so-a) = %v, want so-a first", sub)
		}
		equalSlice(t, "Subtree(so-a)", sorted(sub), []string{"so-a", "so-a-vp"})
		equalSlice(t, "Subtree(tinh)", sorted(e.Subtree("tinh")), []string{"so-a", "so-a-vp", "so-b", "tinh"})
		if e.Subtree("nope") != nil {
			t.Fatal("Subtree(nope) is not nil")
		}
		for _, c := range []struct {
			unit, root string
			want       bool
		}{{"so-a-vp", "tinh", true}, {"so-a-vp", "so-a", true}, {"so-a", "so-a", true}, {"so-b", "so-a", false},
			{"tinh", "so-a", false}, {"so-b", "", true}, {"nope", "tinh", false}} {
			equal(t, "InSubtree("+c.unit+", "+c.root+")", e.InSubtree(c.unit, c.root), c.want)
		}
	}},
	{"PutUnits/ParentInSameCall", func(t *testing.T, e *env) {
		must(t, e.PutUnits([]survey.Unit{{ID: "con", Name: "Con", Parent: "me", Group: "khoi-moi"}, {ID: "me", Name: "Mẹ"}}))
		equalSlice(t, "Subtree(me)", sorted(e.Subtree("me")), []string{"con", "me"})
		equalSlice(t, "Groups", ids(e.Groups(), func(g survey.Group) string { return g.ID }), []string{"khoi-moi"})
		must(t, e.PutUnits([]survey.Unit{{ID: "con", Name: "Con đổi tên"}}))
		if u := e.Unit("con"); u.Name != "Con đổi tên" || u.Parent != "" {
			t.Fatalf("updated unit %+v", u)
		}
	}},
	{"PutUnits/ErrUnknownParent", func(t *testing.T, e *env) {
		err := e.PutUnits([]survey.Unit{{ID: "a", Name: "A"}, {ID: "b", Name: "B", Parent: "x"}})
		wantErr(t, err, survey.EINVALID, "units[1].parent")
		equal(t, "units stored", len(e.Units()), 0)
	}},
	{"PutUnits/ErrInvalid", func(t *testing.T, e *env) {
		wantErr(t, e.PutUnits([]survey.Unit{{ID: "a", Name: "A"}, {ID: "B C", Name: "B"}}), survey.EINVALID, "units[1].id")
		wantErr(t, e.PutUnits([]survey.Unit{{ID: "a", Name: " "}}), survey.EINVALID, "units[0].name")
		equal(t, "units stored", len(e.Units()), 0)
	}},
	{"PutUnits/ErrLoop", func(t *testing.T, e *env) {
		e.org(t)
		err := e.PutUnits([]survey.Unit{{ID: "x", Name: "X"}, {ID: "tinh", Name: "UBND Tỉnh", Parent: "so-a-vp"}})
		wantErr(t, err, survey.EINVALID, "units[1].parent")
		if e.Unit("tinh").Parent != "" || e.Unit("x") != nil {
			t.Fatal("a refused PutUnits changed the tree")
		}
	}},
	{"CreateUnit", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.CreateUnit(survey.Unit{ID: "so-c", Name: "Sở C", Parent: "tinh", Group: "khoi-so"}))
		if u := e.Unit("so-c"); u == nil || u.Parent != "tinh" || u.Group != "khoi-so" {
			t.Fatalf("Unit(so-c) = %+v", u)
		}
		equal(t, "InSubtree(so-c, tinh)", e.InSubtree("so-c", "tinh"), true)
	}},
	{"CreateUnit/ErrConflict", func(t *testing.T, e *env) {
		e.org(t)
		wantErr(t, e.CreateUnit(survey.Unit{ID: "so-a", Name: "Khác"}), survey.ECONFLICT, "id")
		equal(t, "name", e.Unit("so-a").Name, "Sở A")
	}},
	{"CreateUnit/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct {
			u     survey.Unit
			field string
		}{
			{survey.Unit{ID: "Sở C", Name: "Sở C"}, "id"},
			{survey.Unit{ID: "so-c", Name: ""}, "name"},
			{survey.Unit{ID: "so-c", Name: "Sở C", Parent: "nope"}, "parent"},
			{survey.Unit{ID: "so-c", Name: "Sở C", Group: "nope"}, "group"},
		} {
			wantErr(t, e.CreateUnit(c.u), survey.EINVALID, c.field)
		}
		equal(t, "units", len(e.Units()), 4)
	}},
	{"UpdateUnit", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.UpdateUnit(survey.Unit{ID: "so-a-vp", Name: "Văn phòng", Parent: "so-b", Group: "khoi-so"}))
		u := e.Unit("so-a-vp")
		if u.Name != "Văn phòng" || u.Parent != "so-b" || u.Group != "khoi-so" {
			t.Fatalf("moved unit %+v", u)
		}
		equalSlice(t, "Subtree(so-a)", e.Subtree("so-a"), []string{"so-a"})
		must(t, e.UpdateUnit(survey.Unit{ID: "so-a-vp", Name: "Văn phòng"}))
		if u := e.Unit("so-a-vp"); u.Parent != "" || u.Group != "" {
			t.Fatalf("top-level unit %+v", u)
		}
	}},
	{"UpdateUnit/ErrNotFound", func(t *testing.T, e *env) {
		e.org(t)
		wantErr(t, e.UpdateUnit(survey.Unit{ID: "nope", Name: "X"}), survey.ENOTFOUND)
		if e.Unit("nope") != nil {
			t.Fatal("UpdateUnit created a unit")
		}
	}},
	{"UpdateUnit/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct {
			u     survey.Unit
			field string
		}{
			{survey.Unit{ID: "tinh", Name: "UBND", Parent: "so-a-vp"}, "parent"}, // below itself
			{survey.Unit{ID: "so-a", Name: "Sở A", Parent: "so-a"}, "parent"},    // itself
			{survey.Unit{ID: "so-a", Name: "Sở A", Parent: "nope"}, "parent"},
			{survey.Unit{ID: "so-a", Name: "Sở A", Group: "nope"}, "group"},
			{survey.Unit{ID: "so-a", Name: ""}, "name"},
		} {
			wantErr(t, e.UpdateUnit(c.u), survey.EINVALID, c.field)
		}
		if u := e.Unit("so-a"); u.Name != "Sở A" || u.Parent != "tinh" || u.Group != "khoi-so" || e.Unit("tinh").Parent != "" {
			t.Fatalf("a refused UpdateUnit changed so-a: %+v", u)
		}
	}},
	{"PutGroup", func(t *testing.T, e *env) {
		must(t, e.PutGroup(survey.Group{ID: "khoi-xa", Name: "Khối xã"}))
		must(t, e.PutGroup(survey.Group{ID: "khoi-xa", Name: "Khối xã, phường"}))
		g := e.Groups()
		if len(g) != 1 || g[0].Name != "Khối xã, phường" {
			t.Fatalf("Groups = %+v", g)
		}
		wantErr(t, e.PutGroup(survey.Group{ID: "Khối", Name: "X"}), survey.EINVALID, "id")
		wantErr(t, e.PutGroup(survey.Group{ID: "khoi-xa", Name: ""}), survey.EINVALID, "name")
		equal(t, "name", e.Groups()[0].Name, "Khối xã, phường")
	}},
	{"CreateGroup", func(t *testing.T, e *env) {
		must(t, e.CreateGroup(survey.Group{ID: "khoi-xa", Name: "Khối xã"}))
		wantErr(t, e.CreateGroup(survey.Group{ID: "khoi-xa", Name: "Khác"}), survey.ECONFLICT)
		wantErr(t, e.CreateGroup(survey.Group{ID: "", Name: "X"}), survey.EINVALID, "id")
		wantErr(t, e.CreateGroup(survey.Group{ID: "khoi-y", Name: ""}), survey.EINVALID, "name")
		g := e.Groups()
		if len(g) != 1 || g[0].Name != "Khối xã" {
			t.Fatalf("Groups = %+v", g)
		}
	}},
	{"RenameGroup", func(t *testing.T, e *env) {
		must(t, e.CreateGroup(survey.Group{ID: "khoi-xa", Name: "Khối xã"}))
		must(t, e.RenameGroup("khoi-xa", "Khối xã, phường"))
		wantErr(t, e.RenameGroup("nope", "X"), survey.ENOTFOUND)
		wantErr(t, e.RenameGroup("khoi-xa", " "), survey.EINVALID, "name")
		g := e.Groups()
		if len(g) != 1 || g[0].Name != "Khối xã, phường" {
			t.Fatalf("Groups = %+v", g)
		}
	}},
}

var counterCases = []testCase{
	{"Reads", func(t *testing.T, e *env) {
		e.org(t)
		if c := e.Counter("a-q1"); c == nil || c.Unit != "so-a" || c.Name != "Quầy 1" {
			t.Fatalf("Counter(a-q1) = %+v", c)
		}
		if e.Counter("nope") != nil {
			t.Fatal("Counter(nope) is not nil")
		}
		id := func(c survey.Counter) string { return c.ID }
		equalSlice(t, "Counters(so-a)", ids(e.Counters("so-a"), id), []string{"a-q1", "a-q2"})
		equalSlice(t, "Counters()", ids(e.Counters(""), id), []string{"a-q1", "a-q2", "b-q1"})
		equal(t, "Counters(so-a-vp)", len(e.Counters("so-a-vp")), 0)
	}},
	{"PutCounter", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy một"}))
		equal(t, "name", e.Counter("a-q1").Name, "Quầy một")
		wantErr(t, e.PutCounter(survey.Counter{ID: "x-q1", Unit: "nope", Name: "Q"}), survey.EINVALID, "unit")
		wantErr(t, e.PutCounter(survey.Counter{ID: "x q", Unit: "so-a", Name: "Q"}), survey.EINVALID, "id")
		if e.Counter("x-q1") != nil {
			t.Fatal("a refused PutCounter stored a counter")
		}
	}},
	{"CreateCounter", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.CreateCounter(survey.Counter{ID: "b-q2", Unit: "so-b", Name: "Quầy 2"}))
		equal(t, "unit", e.Counter("b-q2").Unit, "so-b")
		wantErr(t, e.CreateCounter(survey.Counter{ID: "a-q1", Unit: "so-b", Name: "Khác"}), survey.ECONFLICT, "id")
		wantErr(t, e.CreateCounter(survey.Counter{ID: "", Unit: "so-b", Name: "Q"}), survey.EINVALID, "id")
		wantErr(t, e.CreateCounter(survey.Counter{ID: "b-q3", Unit: "so-b", Name: ""}), survey.EINVALID, "name")
		wantErr(t, e.CreateCounter(survey.Counter{ID: "b-q3", Unit: "nope", Name: "Q"}), survey.EINVALID, "unit")
		if c := e.Counter("a-q1"); c.Unit != "so-a" || c.Name != "Quầy 1" || e.Counter("b-q3") != nil {
			t.Fatalf("a refused CreateCounter changed the counters: %+v", c)
		}
	}},
	{"RenameCounter", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.RenameCounter("a-q1", "Quầy tiếp nhận"))
		if c := e.Counter("a-q1"); c.Name != "Quầy tiếp nhận" || c.Unit != "so-a" {
			t.Fatalf("renamed counter %+v", c)
		}
		wantErr(t, e.RenameCounter("nope", "Q"), survey.ENOTFOUND)
		wantErr(t, e.RenameCounter("a-q1", ""), survey.EINVALID, "name")
		equal(t, "name", e.Counter("a-q1").Name, "Quầy tiếp nhận")
	}},
	{"SignOn", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.SignOn("nv-lan", "a-q1"))
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "nv-lan")
		equal(t, "counter of nv-lan", e.StaffMember("nv-lan").Counter, "a-q1")
		must(t, e.SignOn("nv-lan", "a-q2")) // one counter at a time
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "")
		equal(t, "OnDuty(a-q2)", onDuty(e, "a-q2"), "nv-lan")
		must(t, e.SignOn("nv-minh", "a-q2")) // one staff member per counter
		equal(t, "OnDuty(a-q2)", onDuty(e, "a-q2"), "nv-minh")
		equal(t, "counter of nv-lan", e.StaffMember("nv-lan").Counter, "")
		must(t, e.SignOn("nv-tinh", "b-q1")) // a counter below the staff member's unit
		equal(t, "OnDuty(b-q1)", onDuty(e, "b-q1"), "nv-tinh")
		equal(t, "OnDuty()", onDuty(e, ""), "")
	}},
	{"SignOn/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.SignOn("nv-lan", "a-q1"))
		wantErr(t, e.SignOn("nope", "a-q1"), survey.EINVALID, "staff")
		wantErr(t, e.SignOn("nv-lan", "nope"), survey.EINVALID, "counter")
		err := e.SignOn("nv-hung", "a-q1") // so-b staff, so-a counter
		wantErr(t, err, survey.EINVALID)
		if f := fieldOf(err); f != "staff" && f != "counter" {
			t.Fatalf("field %q, want staff or counter", f)
		}
		wantErr(t, e.SignOn("nv-mai", "a-q1"), survey.EINVALID) // a counter above the staff member's unit
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "nv-lan")
		equal(t, "counter of nv-hung", e.StaffMember("nv-hung").Counter, "")
	}},
	{"SignOff", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.SignOn("nv-lan", "a-q1"))
		must(t, e.SignOn("nv-minh", "a-q2"))
		must(t, e.SignOff("nv-lan", ""))
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "")
		must(t, e.SignOff("nv-lan", "")) // not signed on: not an error
		must(t, e.SignOff("", "a-q2"))
		equal(t, "OnDuty(a-q2)", onDuty(e, "a-q2"), "")
		must(t, e.SignOn("nv-lan", "a-q1"))
		must(t, e.SignOff("nv-lan", "a-q2")) // signed on elsewhere: stays
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "nv-lan")
		must(t, e.SignOff("nv-lan", "a-q1"))
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "")
	}},
	{"SignOff/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.SignOn("nv-lan", "a-q1"))
		wantErr(t, e.SignOff("", ""), survey.EINVALID)
		wantErr(t, e.SignOff("nope", ""), survey.EINVALID)
		wantErr(t, e.SignOff("", "nope"), survey.EINVALID)
		equal(t, "OnDuty(a-q1)", onDuty(e, "a-q1"), "nv-lan")
	}},
}

func onDuty(e *env, counter string) string {
	if s := e.OnDuty(counter); s != nil {
		return s.ID
	}
	return ""
}
