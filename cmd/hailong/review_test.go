package main

import (
	"testing"
	"time"

	"hailong/demo"
	"hailong/survey"
)

// TestReviewOnDemo asks the anomaly review API of a real server over the
// demo province: who may ask, the errors, and that every planted anomaly is
// found, with few other findings.
func TestReviewOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full demo")
	}
	dir := t.TempDir()
	province := aToken(t, dir, "viewer", "")
	reception := aToken(t, dir, "reception", "")
	m := MustRun(t, dir)
	st, err := demo.Generate(m.DB, time.Now().In(m.DB.Loc()), 1)
	if err != nil {
		t.Fatal(err)
	}
	scoped, err := m.DB.AddToken(survey.Token{Name: "viewer sct", Role: survey.RoleViewer, Unit: "so-cong-thuong"})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Addr + "/api/v1/analytics/anomalies"

	for _, c := range []struct {
		name, query, token string
		status             int
		field              string
	}{
		{"NoCredentials", "", "", 401, ""},
		{"Reception", "", reception, 403, ""},
		{"ScopedViewerOwnUnit", "?unit=so-cong-thuong", scoped, 403, ""},
		{"ScopedViewerOtherUnit", "?unit=so-tu-phap", scoped, 403, ""},
		{"UnknownParameter", "?survey=quay", province, 400, "survey"},
		{"UnknownUnit", "?unit=khong-co", province, 422, "unit"},
		{"BadDate", "?from=2026-13-01", province, 422, "from"},
		{"FromAfterTo", "?from=2026-03-02&to=2026-03-01", province, 422, "from"},
		{"TooLong", "?from=2026-01-01&to=2026-06-30", province, 422, "from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := aGet(t, base+c.query, c.token)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %v", r.Status, c.status, r.Body)
			}
			if f, _ := aPath(r.Body, "error", "field").(string); c.field != "" && f != c.field {
				t.Errorf("field %q, want %q", f, c.field)
			}
		})
	}

	t0 := time.Now()
	r := aGet(t, base, province)
	took := time.Since(t0)
	if r.Status != 200 {
		t.Fatalf("%d %v", r.Status, r.Body)
	}
	findings, _ := r.Body["findings"].([]any)
	t.Logf("review %v–%v in %v: %v responses read, %v dossiers, %d findings %v", r.Body["from"], r.Body["to"], took.Round(time.Millisecond),
		r.Body["responses_read"], r.Body["dossiers"], len(findings), r.Body["counts"])
	planted := map[string]bool{}
	for _, f := range findings {
		f := f.(map[string]any)
		t.Logf("%v %v %v%v %v–%v figure %v expected %v–%v n %v %v", f["kind"], f["unit"], f["kiosk"], f["staff"], f["from"], f["to"],
			f["figure"], f["expected_low"], f["expected_high"], f["n"], f["link"])
		for _, p := range st.Story.Planted {
			if f["kind"] == p.Kind && f["unit"] == p.Unit && (p.Kiosk == "" || p.Kind == "ratio" || f["kiosk"] == p.Kiosk) &&
				f["from"].(string) <= p.To && f["to"].(string) >= p.From {
				planted[p.Kind] = true
			}
		}
	}
	for _, p := range st.Story.Planted {
		if !planted[p.Kind] {
			t.Errorf("planted %s at %s (%s %s–%s) not found", p.Kind, p.Unit, p.Kiosk, p.From, p.To)
		}
	}
	if len(findings) > 2*len(st.Story.Planted) {
		t.Errorf("%d findings for %d planted anomalies: too many false alarms", len(findings), len(st.Story.Planted))
	}

	// A unit narrows the review; the province office may name any unit.
	r = aGet(t, base+"?unit=phuong-tay-son", province)
	if n := len(r.Body["findings"].([]any)); r.Status != 200 || n != 1 || aPath(r.Body, "findings", 0, "kind") != "hours" {
		t.Errorf("phường Tây Sơn: %d, %d findings %v", r.Status, n, r.Body["counts"])
	}
	if link, _ := aPath(r.Body, "findings", 0, "link").(string); link == "" {
		t.Error("no link to the responses")
	}
}
