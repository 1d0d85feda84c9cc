package demo

import (
	"testing"
	"time"

	"hailong/survey"
)

// TestDemoActions checks the story's improvement actions: the counter
// rebuilt (done on the rebuild day, on facilities), the website upgrade
// overdue, the training planned; each with its audit entry. The effect
// itself is checked through the API (cmd/hailong action_test.go).
func TestDemoActions(t *testing.T) {
	db := mustOpen(t)
	st, err := generate(db, testNow, 5, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Actions(survey.ActionQuery{Unit: storyUnit})
	if err != nil || len(all) != 3 {
		t.Fatalf("%d actions at %s: %v", len(all), storyUnit, err)
	}
	today := survey.DayString(survey.DayOf(testNow, hcm))
	counter, web, training := all[0], all[1], all[2]
	if counter.ID != ActionCounter || counter.Status != survey.ActionDone || counter.Done != st.Story.CounterRebuilt ||
		len(counter.Criteria) != 1 || counter.Criteria[0] != "facilities" || counter.Title != "Cải tạo, bố trí lại khu vực tiếp nhận" {
		t.Errorf("counter action: %+v (rebuilt %s)", counter, st.Story.CounterRebuilt)
	}
	if web.ID != ActionWebsite || web.Status != survey.ActionInProgress || !web.Overdue(today) {
		t.Errorf("website action: %+v", web)
	}
	if training.ID != ActionTraining || training.Status != survey.ActionPlanned || training.Overdue(today) {
		t.Errorf("training action: %+v", training)
	}
	if !counter.CreatedAt.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, hcm)) {
		t.Errorf("the counter action was recorded on %s, want months before", counter.CreatedAt)
	}
	n := 0
	for _, e := range db.AuditLog(100, time.Time{}) {
		if e.Action == "action.create" && e.Actor == "demo" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d audit entries for the demo actions", n)
	}
}
