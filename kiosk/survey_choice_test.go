package kiosk

import (
	"strings"
	"testing"

	"hailong/survey"
)

// The survey an administrator chose for a unit is what its kiosks show and
// what their submissions without a survey are stored under; a kiosk that
// names the version it showed keeps it after a new version is saved.
func TestKioskUsesUnitSurveyAndVersion(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	_, key := mustKiosk(t, db, "a-q1")
	if err := db.SetSurveyFor("so-a", survey.UseKiosk, survey.SurveySipas); err != nil {
		t.Fatal(err)
	}
	page := do(t, app, "GET", "/kiosk", "kiosk="+key, "")
	if page.Status != 200 || !strings.Contains(string(page.Raw), `"survey":"sipas"`) {
		t.Fatalf("kiosk page does not carry the unit's survey: %d", page.Status)
	}
	r := do(t, app, "POST", "/api/v1/responses", "kiosk="+key, `{"answers":{"overall":4}}`)
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Raw)
	}
	got, err := db.ResponseByID(r.Body["id"].(string))
	if err != nil || got.Survey != survey.SurveySipas {
		t.Fatalf("stored under %+v, %v", got, err)
	}

	// a new version of quay without "website"; a queued answer for v1 still lands in v1
	if err := db.SetSurveyFor("so-a", survey.UseKiosk, survey.SurveyQuay); err != nil {
		t.Fatal(err)
	}
	v1 := db.Survey(survey.SurveyQuay, 0)
	next := *v1
	next.Criteria = nil
	for _, c := range v1.Criteria {
		if c.Key != "website" {
			next.Criteria = append(next.Criteria, c)
		}
	}
	if err := db.AddSurveyVersion(&next); err != nil {
		t.Fatal(err)
	}
	r = do(t, app, "POST", "/api/v1/responses", "kiosk="+key, `{"survey":"quay","version":1,"answers":{"overall":5,"website":2}}`)
	if r.Status != 201 {
		t.Fatalf("queued v1 answer: %d %s", r.Status, r.Raw)
	}
	got, _ = db.ResponseByID(r.Body["id"].(string))
	if got.Version != 1 || got.Answers["website"] != 2 {
		t.Fatalf("queued v1 answer stored as %+v", got)
	}
	page = do(t, app, "GET", "/kiosk", "kiosk="+key, "")
	if !strings.Contains(string(page.Raw), `"survey_version":2`) {
		t.Fatal("the kiosk page does not show the new version")
	}
}
