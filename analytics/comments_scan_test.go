package analytics

import (
	"testing"
	"time"

	"hailong/survey"
)

// A comments page reads at most its budget of stored responses, says how far
// back it looked, and its cursor leads on without skipping or repeating one.
func TestCommentScanBudget(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	var batch []*survey.Response
	add := func(at time.Time, comment string) {
		r := &survey.Response{Survey: survey.SurveyQuay, Unit: "so-a", Channel: survey.ChannelKiosk,
			Answers: map[string]int{"overall": 4}, Comment: comment, SubmittedAt: at, ReceivedAt: at}
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, r)
	}
	old := testNow.AddDate(0, 0, -60)
	add(old, "Ghế chờ ít quá")
	add(old.Add(time.Hour), "Cần thêm quầy")
	for i := 0; i < 3000; i++ { // 50 days without a comment, 60 a day
		add(testNow.AddDate(0, 0, -50).Add(time.Duration(i)*24*time.Hour/60), "")
	}
	if err := db.InsertMany(batch); err != nil {
		t.Fatal(err)
	}
	q := commentQuery{Units: map[string]bool{"so-a": true}, From: testNow.AddDate(0, 0, -90), To: testNow,
		WithComment: true, Limit: 25}

	all, next, searched, err := recentResponses(survey.ServicesOf(db), q)
	if err != nil || len(all) != 2 || next != 0 || !searched.IsZero() {
		t.Fatalf("without a budget: %d rows, next %d, searched %v, %v", len(all), next, searched, err)
	}

	q.Budget = 500
	var got []string
	pages, last := 0, q.To
	for {
		pages++
		rows, next, searched, err := recentResponses(survey.ServicesOf(db), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			got = append(got, r.Comment)
		}
		if next == 0 {
			break
		}
		if len(rows) < q.Limit {
			if searched.IsZero() || !searched.Before(last) || searched.Before(q.From) {
				t.Fatalf("page %d stopped early without saying how far back (%v, previous %v)", pages, searched, last)
			}
			last = searched
		}
		if pages > 50 {
			t.Fatal("the cursor does not move back")
		}
		q.Before = next
	}
	if len(got) != 2 || got[0] != "Cần thêm quầy" || got[1] != "Ghế chờ ít quá" {
		t.Fatalf("comments over %d pages: %q", pages, got)
	}
	// 3,002 responses read 500 at a time (a window may go past the budget):
	// several pages, each ending at a window's start.
	if pages < 3 {
		t.Fatalf("%d pages: the budget of 500 did not bound a page", pages)
	}
}
