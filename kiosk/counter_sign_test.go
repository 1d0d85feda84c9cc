package kiosk

import (
	"testing"

	"hailong/survey"
)

func TestCounterSignOnAPI(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	_, device := mustKiosk(t, db, "a-q1")
	recA := "Bearer " + mustToken(t, db, survey.RoleReception, "so-a")
	recAll := "Bearer " + mustToken(t, db, survey.RoleReception, "")
	viewer := "Bearer " + mustToken(t, db, survey.RoleViewer, "")

	r := do(t, app, "POST", "/api/v1/counters/a-q1/sign-on", recA, `{"staff":"nv-lan"}`)
	if r.Status != 200 || db.OnDuty("a-q1") == nil || db.OnDuty("a-q1").ID != "nv-lan" {
		t.Fatalf("sign-on: %d %s", r.Status, r.Raw)
	}
	// The kiosk at that counter now shows and rates her.
	st := do(t, app, "GET", "/kiosk/state.json", "kiosk="+device, "")
	staff, _ := st.Body["staff"].(map[string]any)
	if st.Status != 200 || staff["name"] != "Nguyễn Thị Lan" || staff["initials"] != "NL" || staff["position"] != "Chuyên viên" {
		t.Fatalf("state: %d %s", st.Status, st.Raw)
	}
	sub := do(t, app, "POST", "/api/v1/responses", "kiosk="+device, `{"answers":{"overall":4}}`)
	if sub.Status != 201 {
		t.Fatalf("kiosk submit: %d %s", sub.Status, sub.Raw)
	}
	if got, _ := db.ResponseByID(sub.Body["id"].(string)); got == nil || got.Staff != "nv-lan" || got.Counter != "a-q1" {
		t.Fatalf("staff not filled: %+v", got)
	}

	bad := []struct {
		name, auth, url, body string
		status                int
		code, field           string
	}{
		{"NoAuth", "", "/api/v1/counters/a-q1/sign-on", `{"staff":"nv-lan"}`, 401, survey.EUNAUTHORIZED, ""},
		{"ViewerRefused", viewer, "/api/v1/counters/a-q1/sign-on", `{"staff":"nv-lan"}`, 403, survey.EFORBIDDEN, ""},
		{"KioskRefused", "kiosk=" + device, "/api/v1/counters/a-q1/sign-on", `{"staff":"nv-lan"}`, 403, survey.EFORBIDDEN, ""},
		{"OutsideSubtree", recA, "/api/v1/counters/b-q1/sign-on", `{"staff":"nv-hung"}`, 403, survey.EFORBIDDEN, ""},
		{"OutsideSubtreeSignOff", recA, "/api/v1/counters/b-q1/sign-off", "", 403, survey.EFORBIDDEN, ""},
		{"UnknownCounter", recA, "/api/v1/counters/a-q9/sign-on", `{"staff":"nv-lan"}`, 422, survey.EINVALID, "counter"},
		{"UnknownStaff", recA, "/api/v1/counters/a-q1/sign-on", `{"staff":"ghost"}`, 422, survey.EINVALID, "staff"},
		{"MissingStaff", recA, "/api/v1/counters/a-q1/sign-on", `{}`, 422, survey.EINVALID, "staff"},
		{"StaffOfOtherUnit", recAll, "/api/v1/counters/a-q1/sign-on", `{"staff":"nv-hung"}`, 422, survey.EINVALID, "staff"},
		{"UnknownKey", recA, "/api/v1/counters/a-q1/sign-on", `{"staff":"nv-lan","x":1}`, 400, survey.EMALFORMED, "x"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			r := do(t, app, "POST", b.url, b.auth, b.body)
			if r.Status != b.status || r.code() != b.code || (b.field != "" && r.field() != b.field) {
				t.Fatalf("got %d %s, want %d %s %s", r.Status, r.Raw, b.status, b.code, b.field)
			}
		})
	}
	if s := db.OnDuty("a-q1"); s == nil || s.ID != "nv-lan" {
		t.Fatalf("a refused request changed who is on duty: %+v", s)
	}

	t.Run("SignOff", func(t *testing.T) {
		r := do(t, app, "POST", "/api/v1/counters/a-q1/sign-off", recA, "")
		if r.Status != 200 || db.OnDuty("a-q1") != nil {
			t.Fatalf("sign-off: %d %s", r.Status, r.Raw)
		}
		st := do(t, app, "GET", "/kiosk/state.json", "kiosk="+device, "")
		if st.Body["staff"] != nil {
			t.Fatalf("state after sign-off: %s", st.Raw)
		}
		sub := do(t, app, "POST", "/api/v1/responses", "kiosk="+device, `{"answers":{"overall":5}}`)
		if got, _ := db.ResponseByID(sub.Body["id"].(string)); got == nil || got.Staff != "" {
			t.Fatalf("staff after sign-off: %+v", got)
		}
	})
	t.Run("StaleStaffFromDevice", func(t *testing.T) {
		// A queued answer naming a staff member of another unit is kept,
		// rated to whoever is on duty now.
		do(t, app, "POST", "/api/v1/counters/a-q1/sign-on", recA, `{"staff":"nv-lan"}`)
		sub := do(t, app, "POST", "/api/v1/responses", "kiosk="+device, `{"staff":"nv-hung","answers":{"overall":5}}`)
		if sub.Status != 201 {
			t.Fatalf("%d %s", sub.Status, sub.Raw)
		}
		if got, _ := db.ResponseByID(sub.Body["id"].(string)); got.Staff != "nv-lan" {
			t.Fatalf("staff %q", got.Staff)
		}
	})
}
