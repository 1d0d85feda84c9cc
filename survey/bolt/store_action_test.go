package bolt_test

import (
	"hailong/survey"
	"strings"
	"testing"
	"time"
)

func counterAction() survey.Action {
	return survey.Action{Unit: "so-a", Title: "Cải tạo, bố trí lại khu vực tiếp nhận",
		Description: "Tháo vách kính, bố trí ghế ngồi chờ.", Criteria: []string{"facilities"},
		Office: "Văn phòng Sở", Due: "2026-03-31", Status: survey.ActionPlanned}
}

func TestActionRoundTrip(t *testing.T) {
	db, clk, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 0, 0, 0, hcm))
	a, err := db.CreateAction(counterAction(), "giamdoc")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "1" || a.CreatedBy != "giamdoc" || a.UpdatedBy != "giamdoc" || a.CreatedAt.IsZero() {
		t.Fatalf("created: %+v", a)
	}
	got, err := db.Action("1")
	if err != nil || got.Title != a.Title || got.Criteria[0] != "facilities" || got.Due != "2026-03-31" || got.Status != survey.ActionPlanned {
		t.Fatalf("read back: %+v %v", got, err)
	}
	second := counterAction()
	second.Unit, second.Title, second.Criteria = "so-b", "Nâng cấp trang web", []string{"website", "online_speed"}
	second.Status = survey.ActionInProgress
	if _, err := db.CreateAction(second, "admin"); err != nil {
		t.Fatal(err)
	}
	named := counterAction()
	named.ID = "sct-quay"
	if _, err := db.CreateAction(named, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAction(named, "admin"); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("same id twice: %v", err)
	}

	clk.Add(time.Hour)
	a.Status, a.Due, a.Notes = survey.ActionInProgress, "2026-04-15", "Đã có thiết kế."
	up, err := db.UpdateAction(a, "truongphong")
	if err != nil || up.CreatedBy != "giamdoc" || up.UpdatedBy != "truongphong" || !up.UpdatedAt.After(up.CreatedAt) {
		t.Fatalf("update: %+v %v", up, err)
	}
	closed, err := db.CloseAction("1", "2026-03-10", "Nghiệm thu ngày 10/3.", "giamdoc")
	if err != nil || closed.Status != survey.ActionDone || closed.Done != "2026-03-10" || closed.Notes != "Đã có thiết kế.\nNghiệm thu ngày 10/3." {
		t.Fatalf("close: %+v %v", closed, err)
	}
	if _, err := db.CloseAction("1", "2026-03-10", "", "giamdoc"); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("closing twice: %v", err)
	}

	t.Run("List", func(t *testing.T) {
		all, _ := db.Actions(survey.ActionQuery{})
		if len(all) != 3 || all[0].ID != "1" || all[1].ID != "2" || all[2].ID != "sct-quay" {
			t.Fatalf("all: %v", ids(all))
		}
		inA, _ := db.Actions(survey.ActionQuery{Unit: "so-a"})
		if len(inA) != 2 {
			t.Fatalf("subtree so-a: %v", ids(inA))
		}
		inProvince, _ := db.Actions(survey.ActionQuery{Unit: "tinh", Status: survey.ActionInProgress})
		if len(inProvince) != 1 || inProvince[0].ID != "2" {
			t.Fatalf("in progress in the province: %v", ids(inProvince))
		}
		inDept, _ := db.Actions(survey.ActionQuery{Unit: "so-a-vp"})
		if len(inDept) != 0 {
			t.Fatalf("a department sees its parent's actions: %v", ids(inDept))
		}
	})

	t.Run("Audit", func(t *testing.T) {
		log := db.AuditLog(10, time.Time{})
		var names []string
		for _, e := range log {
			names = append(names, e.Action+":"+e.Target)
		}
		want := "action.close:1 action.update:1 action.create:sct-quay action.create:2 action.create:1"
		if strings.Join(names, " ") != want {
			t.Fatalf("audit %v, want %s", names, want)
		}
		if log[1].Detail != "status planned → in_progress; due_date 2026-03-31 → 2026-04-15; notes" || log[1].Actor != "truongphong" {
			t.Errorf("update entry: %+v", log[1])
		}
		if !strings.Contains(log[0].Detail, "done_date — → 2026-03-10") {
			t.Errorf("close entry: %+v", log[0])
		}
	})
}

func ids(as []survey.Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestActionRefused(t *testing.T) {
	db, _, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 0, 0, 0, hcm))
	for _, c := range []struct {
		name, field string
		edit        func(a *survey.Action)
	}{
		{"ErrNoTitle", "title", func(a *survey.Action) { a.Title = "  " }},
		{"ErrUnknownUnit", "unit", func(a *survey.Action) { a.Unit = "so-khong-co" }},
		{"ErrNoCriteria", "criteria", func(a *survey.Action) { a.Criteria = nil }},
		{"ErrUnknownCriterion", "criteria", func(a *survey.Action) { a.Criteria = []string{"parking"} }},
		{"ErrRepeatedCriterion", "criteria", func(a *survey.Action) { a.Criteria = []string{"website", "website"} }},
		{"ErrNoOffice", "office", func(a *survey.Action) { a.Office = "" }},
		{"ErrBadDue", "due_date", func(a *survey.Action) { a.Due = "31/03/2026" }},
		{"ErrBadStatus", "status", func(a *survey.Action) { a.Status = "closed" }},
		{"ErrDoneWithoutDate", "done_date", func(a *survey.Action) { a.Status = survey.ActionDone }},
		{"ErrDoneDateWhileOpen", "done_date", func(a *survey.Action) { a.Done = "2026-03-01" }},
		{"ErrDoneInFuture", "done_date", func(a *survey.Action) { a.Status, a.Done = survey.ActionDone, "2026-03-11" }},
		{"ErrLongNotes", "notes", func(a *survey.Action) { a.Notes = strings.Repeat("ắ", survey.MaxActionText+1) }},
		{"ErrReservedID", "id", func(a *survey.Action) { a.ID = "new" }},
		{"ErrBadUTF8", "description", func(a *survey.Action) { a.Description = "\xff" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := counterAction()
			c.edit(&a)
			_, err := db.CreateAction(a, "x")
			e, ok := err.(*survey.Error)
			if !ok || e.Code != survey.EINVALID || e.Field != c.field {
				t.Fatalf("got %v, want invalid %s", err, c.field)
			}
		})
	}
	if _, err := db.UpdateAction(survey.Action{ID: "404"}, "x"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("update unknown: %v", err)
	}
	if _, err := db.Action("404"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("read unknown: %v", err)
	}
	if all, _ := db.Actions(survey.ActionQuery{}); len(all) != 0 || len(db.AuditLog(10, time.Time{})) != 0 {
		t.Fatal("refused actions were stored or audited")
	}
	a := counterAction()
	a.Title, a.Office = "", ""
	if ps := a.Problems(); len(ps) != 2 || ps[0].Field != "title" || ps[1].Field != "office" {
		t.Fatalf("problems: %v", ps)
	}
}
