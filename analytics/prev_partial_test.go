package analytics

import (
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// When the previous period began before the first stored response (a first
// year of use), the dashboard and the report say that the change is
// indicative only; when it is covered in full, they do not.
func TestPreviousPeriodCoveredInPart(t *testing.T) {
	e := newPagesEnv(t)
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, hcm) // the first response ever
	r := &survey.Response{Survey: survey.SurveyQuay, Unit: "so-a", Channel: survey.ChannelKiosk,
		Answers: map[string]int{"overall": 4, "access": 4, "facilities": 3, "staff_attitude": 5}, SubmittedAt: at, ReceivedAt: at}
	if err := e.db.Prepare(r); err != nil {
		t.Fatal(err)
	}
	if err := e.db.InsertMany([]*survey.Response{r}); err != nil {
		t.Fatal(err)
	}
	if got := e.db.FirstResponseAt(); !got.Equal(at) {
		t.Fatalf("FirstResponseAt %v, want %v", got, at)
	}
	sid, _ := e.login(t, "quantri", survey.RoleAdmin, "")
	for path, want := range map[string]bool{
		"/dashboard?p=2026&unit=so-a":                true, // against 2025, which has data from 2 June only
		"/reports/official?p=2026&unit=so-a":         true,
		"/reports/official?p=2026&unit=so-a&lang=en": true,
		"/dashboard?p=2026-q1&unit=so-a":             false, // against 2025 Q4, covered in full
		"/dashboard?p=2026&unit=so-b":                false, // so-b has nothing in 2025: no change shown at all
	} {
		st, body := e.get(t, path, sid)
		if st != 200 {
			t.Fatalf("%s: %d", path, st)
		}
		if got := strings.Contains(body, "data-prev-partial"); got != want {
			t.Errorf("%s: note shown %v, want %v", path, got, want)
		} else if first := map[bool]string{false: "02/06/2025", true: "2 Jun 2025"}[strings.Contains(path, "lang=en")]; want && !strings.Contains(body, first) {
			t.Errorf("%s: the note does not give the first day", path)
		}
	}
}
