package demo

import (
	"testing"

	"hailong/survey"
)

// The demo's cases: a dozen in every state, consistent with the demo's
// responses (their units, comments), contacts only where the story keeps
// them.
func TestCases(t *testing.T) {
	db := mustOpen(t)
	if _, err := generate(db, testNow, 7, 0.1); err != nil {
		t.Fatal(err)
	}
	all, err := db.Cases(survey.CaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 10 {
		t.Fatalf("%d demo cases, want about a dozen", len(all))
	}
	seen := map[string]int{}
	for _, c := range all {
		ct, err := db.CaseContact(c.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case !c.ContactPurged.IsZero():
			seen["purged"]++
			if ct != nil || c.HasContact || c.Status != survey.CaseClosed {
				t.Errorf("%s: purged, but %+v, contact %v", c.ID, c, ct)
			}
		case c.Status == survey.CaseClosed:
			seen["closed"]++
		case c.Overdue(testNow) && c.EscalatedTo != "":
			seen["escalated"]++
		case c.Overdue(testNow):
			seen["overdue"]++
		case c.Rating != "":
			seen["rated"]++
		case c.Response != "":
			seen["fresh"]++
			if r, err := db.ResponseByID(c.Response); err != nil || r.Comment != c.Summary || r.Unit != c.Unit {
				t.Errorf("%s: not its response's (%v)", c.ID, err)
			}
		}
		if c.HasContact != (ct != nil) {
			t.Errorf("%s: HasContact %v, contact %v", c.ID, c.HasContact, ct)
		}
		if c.Summary == "" || db.Unit(c.Unit) == nil {
			t.Errorf("%s: summary %q, unit %q", c.ID, c.Summary, c.Unit)
		}
	}
	for _, k := range []string{"purged", "closed", "escalated", "overdue", "rated", "fresh"} {
		if seen[k] == 0 {
			t.Errorf("no %s case in the demo: %v", k, seen)
		}
	}
}
