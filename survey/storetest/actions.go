package storetest

import (
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// action is a valid planned action of so-a with id (may be "").
func action(id string) survey.Action {
	return survey.Action{ID: id, Unit: "so-a", Title: "Dỡ vách kính quầy", Criteria: []string{"facilities"},
		Office: "Văn phòng Sở", Due: "2026-06-30", Status: survey.ActionPlanned}
}

var actionCases = []testCase{
	{"CreateAction", func(t *testing.T, e *env) {
		e.org(t)
		audits := e.auditCount()
		a, err := e.CreateAction(action(""), "giamdoc")
		must(t, err)
		if a.ID != "1" || a.CreatedBy != "giamdoc" || !a.CreatedAt.Equal(T0) || a.Unit != "so-a" {
			t.Fatalf("created %+v", a)
		}
		b, err := e.CreateAction(action(""), "giamdoc")
		must(t, err)
		equal(t, "second id", b.ID, "2")
		back := action("kh-cu")
		back.CreatedAt = T0.AddDate(-1, 0, 0)
		c, err := e.CreateAction(back, "demo")
		must(t, err)
		equal(t, "backdated", c.CreatedAt.Equal(T0.AddDate(-1, 0, 0)), true)
		got, err := e.Action("1")
		must(t, err)
		if got.Title != a.Title || got.Due != a.Due || got.Status != survey.ActionPlanned {
			t.Fatalf("Action(1) = %+v", got)
		}
		equal(t, "audit entries", e.auditCount(), audits+3)
		equal(t, "audit action", e.lastAudit(t).Action, "action.create")
		_, err = e.Action("nope")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"CreateAction/Errors", func(t *testing.T, e *env) {
		e.org(t)
		_, err := e.CreateAction(action("kh-1"), "x")
		must(t, err)
		audits := e.auditCount()
		_, err = e.CreateAction(action("kh-1"), "x")
		wantErr(t, err, survey.ECONFLICT, "id")
		for _, c := range []struct {
			edit  func(a *survey.Action)
			field string
		}{
			{func(a *survey.Action) { a.Unit = "nope" }, "unit"},
			{func(a *survey.Action) { a.Criteria = []string{"nope"} }, "criteria"},
			{func(a *survey.Action) { a.Title = " " }, "title"},
			{func(a *survey.Action) { a.Due = "30/06/2026" }, "due_date"},
			{func(a *survey.Action) { a.Status, a.Done = survey.ActionDone, "2026-03-03" }, "done_date"}, // tomorrow
		} {
			a := action("")
			c.edit(&a)
			_, err := e.CreateAction(a, "x")
			wantErr(t, err, survey.EINVALID, c.field)
			a = action("")
			c.edit(&a)
			wantErr(t, e.CheckAction(&a), survey.EINVALID, c.field)
		}
		ok := action("")
		must(t, e.CheckAction(&ok))
		list, err := e.Actions(survey.ActionQuery{})
		must(t, err)
		equal(t, "actions", len(list), 1)
		equal(t, "audit entries", e.auditCount(), audits)
	}},
	{"UpdateAction", func(t *testing.T, e *env) {
		e.org(t)
		a, err := e.CreateAction(action(""), "giamdoc")
		must(t, err)
		e.clock.Add(time.Hour)
		a.Status, a.Due, a.CreatedBy, a.CreatedAt = survey.ActionInProgress, "2026-07-31", "other", T0.AddDate(1, 0, 0)
		u, err := e.UpdateAction(a, "vanphong")
		must(t, err)
		if u.Status != survey.ActionInProgress || u.Due != "2026-07-31" || u.CreatedBy != "giamdoc" || !u.CreatedAt.Equal(T0) ||
			u.UpdatedBy != "vanphong" || !u.UpdatedAt.Equal(T0.Add(time.Hour)) {
			t.Fatalf("updated %+v", u)
		}
		au := e.lastAudit(t)
		if au.Target != a.ID || !strings.Contains(au.Detail, "status") || !strings.Contains(au.Detail, "due_date") {
			t.Fatalf("audit %+v, want the changed fields named", au)
		}
		audits := e.auditCount()
		_, err = e.UpdateAction(action("nope"), "x")
		wantErr(t, err, survey.ENOTFOUND)
		bad := u
		bad.Criteria = []string{"nope"}
		_, err = e.UpdateAction(bad, "x")
		wantErr(t, err, survey.EINVALID, "criteria")
		got, err := e.Action(a.ID)
		must(t, err)
		if got.Criteria[0] != "facilities" || got.UpdatedBy != "vanphong" {
			t.Fatalf("a refused UpdateAction changed the action: %+v", got)
		}
		equal(t, "audit entries", e.auditCount(), audits)
	}},
	{"CloseAction", func(t *testing.T, e *env) {
		e.org(t)
		a := action("")
		a.Notes = "Đã có dự toán."
		a, err := e.CreateAction(a, "giamdoc")
		must(t, err)
		for _, c := range []struct{ done, field string }{{"", "done_date"}, {"2026-13-01", "done_date"}, {"2026-03-03", "done_date"}} {
			_, err = e.CloseAction(a.ID, c.done, "", "x")
			wantErr(t, err, survey.EINVALID, c.field)
		}
		_, err = e.CloseAction(a.ID, "2026-03-02", strings.Repeat("x", survey.MaxActionText), "x")
		wantErr(t, err, survey.EINVALID, "notes")
		_, err = e.CloseAction("nope", "2026-03-02", "", "x")
		wantErr(t, err, survey.ENOTFOUND)
		if got, _ := e.Action(a.ID); got.Status != survey.ActionPlanned || got.Notes != "Đã có dự toán." {
			t.Fatalf("a refused CloseAction changed the action: %+v", got)
		}
		c, err := e.CloseAction(a.ID, "2026-03-02", "Đã dỡ vách kính.", "vanphong")
		must(t, err)
		if c.Status != survey.ActionDone || c.Done != "2026-03-02" || !strings.Contains(c.Notes, "Đã có dự toán.") ||
			!strings.HasSuffix(c.Notes, "Đã dỡ vách kính.") || c.UpdatedBy != "vanphong" {
			t.Fatalf("closed %+v", c)
		}
		equal(t, "audit action", e.lastAudit(t).Action, "action.close")
		_, err = e.CloseAction(a.ID, "2026-03-02", "", "x")
		wantErr(t, err, survey.ECONFLICT)
	}},
	{"Actions", func(t *testing.T, e *env) {
		e.org(t)
		for i, unit := range []string{"so-a", "so-b", "so-a-vp", "so-a", "so-a", "so-a", "so-a", "so-a", "so-a", "so-a"} {
			a := action("")
			a.Unit = unit
			if i%3 == 0 {
				a.Status, a.Done = survey.ActionDone, "2026-03-01"
			}
			_, err := e.CreateAction(a, "x")
			must(t, err)
		}
		list := func(q survey.ActionQuery) []string {
			out, err := e.Actions(q)
			must(t, err)
			return ids(out, func(a survey.Action) string { return a.ID })
		}
		equalSlice(t, "all, numeric order", list(survey.ActionQuery{}), []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"})
		equalSlice(t, "so-b", list(survey.ActionQuery{Unit: "so-b"}), []string{"2"})
		equalSlice(t, "so-a subtree, done", list(survey.ActionQuery{Unit: "so-a", Status: survey.ActionDone}), []string{"1", "4", "7", "10"})
		equalSlice(t, "planned", list(survey.ActionQuery{Status: survey.ActionPlanned}), []string{"2", "3", "5", "6", "8", "9"})
		equalSlice(t, "so-a-vp", list(survey.ActionQuery{Unit: "so-a-vp"}), []string{"3"})
	}},
}
