package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"hailong/analytics/engine"
	"hailong/demo"
	"hailong/survey"
)

func aGet(t *testing.T, url, token string) apiResult {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: status %d, body not JSON: %q", url, resp.StatusCode, raw)
	}
	return apiResult{resp.StatusCode, m}
}

func aToken(t *testing.T, dir, role, unit string) string {
	t.Helper()
	args := []string{"token", "add", "--data", dir, "--role", role, "--name", role + " " + unit}
	if unit != "" {
		args = append(args, "--unit", unit)
	}
	var tok struct{ Token string }
	json.Unmarshal([]byte(mustCLI(t, "", args...)), &tok)
	if tok.Token == "" {
		t.Fatal("token add printed no token")
	}
	return tok.Token
}

// aPath walks a decoded JSON value: keys of objects, indexes of arrays.
func aPath(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func aInsertQuay(t *testing.T, db survey.Store, unit string, n int, at time.Time, answers map[string]int) {
	t.Helper()
	var rs []*survey.Response
	for i := 0; i < n; i++ {
		r := &survey.Response{Survey: "quay", Unit: unit, Channel: survey.ChannelWeb, Answers: answers,
			SubmittedAt: at.Add(time.Duration(i) * time.Minute)}
		r.ReceivedAt = r.SubmittedAt
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := db.InsertMany(rs); err != nil {
		t.Fatal(err)
	}
}

// TestAnalyticsAPI drives the summary and timeliness contracts through the
// real server on a known dataset: January 2025, the month before empty but
// for Sở Công Thương.
func TestAnalyticsAPI(t *testing.T) {
	dir, reception, viewer := setup(t)
	tuPhap := aToken(t, dir, "viewer", "so-tu-phap")
	m := MustRun(t, dir)
	db, loc := m.DB, m.DB.Loc()
	base := "http://" + m.Addr + "/api/v1/analytics/"
	if err := db.PutUnits([]survey.Unit{{ID: "so-xay-dung", Name: "Sở Xây dựng", Parent: "tinh-mau", Group: "khoi-so"},
		{ID: "so-y-te", Name: "Sở Y tế", Parent: "tinh-mau", Group: "khoi-so"}}); err != nil {
		t.Fatal(err)
	}
	jan := time.Date(2025, 1, 6, 8, 0, 0, 0, loc)
	// Index 50: tiếp cận 50 (access 100, facilities 0), công chức 50
	// (attitude 100, guidance 0), kết quả 100, trực tuyến 0.
	half := map[string]int{"overall": 4, "access": 4, "facilities": 2, "staff_attitude": 5, "staff_guidance": 3, "timeliness": 4, "website": 1}
	aInsertQuay(t, db, "so-cong-thuong", 40, jan, half)
	aInsertQuay(t, db, "so-tu-phap", 35, jan, half)
	aInsertQuay(t, db, "so-xay-dung", 50, jan, map[string]int{"access": 5, "facilities": 5, "staff_attitude": 5, "timeliness": 5, "website": 1}) // 75
	aInsertQuay(t, db, "so-y-te", 31, jan, map[string]int{"access": 1, "staff_attitude": 5, "timeliness": 1, "website": 1})                      // 25
	aInsertQuay(t, db, "so-cong-thuong", 30, time.Date(2024, 12, 10, 9, 0, 0, 0, loc), map[string]int{"overall": 5, "access": 5, "staff_attitude": 5, "timeliness": 5, "website": 5})

	r := aGet(t, base+"summary?unit=so-cong-thuong&from=2025-01-01&to=2025-01-31", viewer)
	if r.Status != 200 {
		t.Fatalf("summary: %d %v", r.Status, r.Body)
	}
	b := r.Body
	lo, hi, _ := engine.Wilson(50, 40)
	wantIndex := map[string]any{"value": 50.0, "n": 40.0, "ci_low": engine.Round2(lo), "ci_high": engine.Round2(hi), "too_few": false}
	for k, v := range wantIndex {
		if got := aPath(b, "index", k); got != v {
			t.Errorf("index.%s = %v, want %v", k, got, v)
		}
	}
	if aPath(b, "method") != "share45" || aPath(b, "min_n") != 30.0 || aPath(b, "unit") != "so-cong-thuong" {
		t.Errorf("method/min_n/unit: %v %v %v", b["method"], b["min_n"], b["unit"])
	}
	if aPath(b, "previous", "index", "value") != 100.0 || aPath(b, "previous", "from") != "2024-12-01" || aPath(b, "delta_pp") != -50.0 {
		t.Errorf("previous %v, delta %v", b["previous"], b["delta_pp"])
	}
	rank := map[string]any{"position": 2.0, "of": 4.0, "group": "khoi-so", "previous_position": 1.0}
	for k, v := range rank {
		if got := aPath(b, "rank", k); got != v {
			t.Errorf("rank.%s = %v, want %v (ranks 1, 2, 2, 4)", k, got, v)
		}
	}
	crit := map[string]float64{}
	for i := 0; aPath(b, "criteria", i) != nil; i++ {
		c := aPath(b, "criteria", i)
		crit[aPath(c, "key").(string)] = aPath(c, "value").(float64)
		for _, k := range []string{"key", "element", "value", "mean", "n", "ci_low", "ci_high"} {
			if _, ok := c.(map[string]any)[k]; !ok {
				t.Errorf("criterion lacks %q: %v", k, c)
			}
		}
	}
	if len(crit) != 7 || crit["facilities"] != 0 || crit["access"] != 100 || crit["overall"] != 100 {
		t.Errorf("criteria %v", crit)
	}
	if n := len(b["elements"].([]any)); n != 4 {
		t.Errorf("%d elements", n)
	}
	r = aGet(t, base+"summary?unit=so-tu-phap&from=2025-01-01&to=2025-01-31", viewer)
	if aPath(r.Body, "rank", "position") != 2.0 || aPath(r.Body, "rank", "previous_position") != nil {
		t.Errorf("so-tu-phap shares rank 2 and was unranked before: %v", r.Body["rank"])
	}
	r = aGet(t, base+"summary?unit=so-y-te&from=2025-01-01&to=2025-01-31", viewer)
	if aPath(r.Body, "rank", "position") != 4.0 || aPath(r.Body, "previous", "index", "value") != nil || aPath(r.Body, "delta_pp") != nil {
		t.Errorf("so-y-te: rank %v, previous %v, delta %v", r.Body["rank"], r.Body["previous"], r.Body["delta_pp"])
	}
	r = aGet(t, base+"summary?from=2025-01-01&to=2025-01-31", viewer)
	if r.Status != 200 || r.Body["rank"] != nil || aPath(r.Body, "index", "n") != 156.0 || r.Body["unit"] != nil {
		t.Errorf("whole installation: %d rank %v n %v", r.Status, r.Body["rank"], aPath(r.Body, "index", "n"))
	}

	t.Run("Timeliness", func(t *testing.T) {
		var ds []survey.Dossier
		for i := 0; i < 14197; i++ {
			recv := time.Date(2025, 1, 2+i%28, 9, 0, 0, 0, loc)
			d := survey.Dossier{Code: fmt.Sprintf("SCT-%05d", i), Unit: "so-cong-thuong", ReceivedAt: recv, DueAt: recv.AddDate(0, 0, 10)}
			switch {
			case i < 13998:
				d.FinishedAt = recv.AddDate(0, 0, 3)
			case i < 13998+182:
				d.FinishedAt = d.DueAt
			default:
				d.FinishedAt = d.DueAt.AddDate(0, 0, 2)
			}
			ds = append(ds, d)
		}
		if err := db.PutDossiers(ds); err != nil {
			t.Fatal(err)
		}
		r := aGet(t, base+"timeliness?unit=so-cong-thuong&from=2025-01-01&to=2025-01-31", viewer)
		want := map[string]any{"received": 14197.0, "finished": 14197.0, "early": 13998.0, "on_time": 182.0, "late": 17.0,
			"in_progress": 0.0, "early_pct": 98.6, "on_time_pct": 1.28, "late_pct": 0.12, "denominator": "received", "rate_766": 99.88}
		for k, v := range want {
			if got := r.Body[k]; got != v {
				t.Errorf("%s = %v, want %v", k, got, v)
			}
		}
	})

	q := "&from=2025-01-01&to=2025-01-31"
	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct {
			name, url, token string
			status           int
			code, field      string
		}{
			{"NoAuth", "summary?unit=so-cong-thuong", "", 401, survey.EUNAUTHORIZED, ""},
			{"ReceptionForbidden", "summary?unit=so-cong-thuong", reception, 403, survey.EFORBIDDEN, ""},
			{"OutsideSubtree", "summary?unit=so-cong-thuong" + q, tuPhap, 403, survey.EFORBIDDEN, ""},
			{"OutsideSubtreeTimeliness", "timeliness?unit=so-cong-thuong", tuPhap, 403, survey.EFORBIDDEN, ""},
			{"UnknownUnit", "summary?unit=so-khong-co", viewer, 422, survey.EINVALID, "unit"},
			{"UnknownSurvey", "summary?survey=nope", viewer, 422, survey.EINVALID, "survey"},
			{"UnknownChannel", "summary?channel=fax", viewer, 422, survey.EINVALID, "channel"},
			{"BadDate", "summary?from=2025-13-01", viewer, 422, survey.EINVALID, "from"},
			{"FromAfterTo", "summary?from=2025-02-01&to=2025-01-01", viewer, 422, survey.EINVALID, "from"},
			{"BadPeriod", "trend?period=fortnight", viewer, 422, survey.EINVALID, "period"},
			{"BadBy", "breakdown?by=colour", viewer, 422, survey.EINVALID, "by"},
			{"UnknownParam", "summary?unti=so-cong-thuong", viewer, 400, survey.EMALFORMED, "unti"},
			{"NotForTimeliness", "timeliness?survey=quay", viewer, 400, survey.EMALFORMED, "survey"},
			{"Repeated", "summary?unit=so-tu-phap&unit=so-cong-thuong", viewer, 400, survey.EMALFORMED, "unit"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := aGet(t, base+c.url, c.token)
				if r.Status != c.status || r.errCode() != c.code || (c.field != "" && r.errField() != c.field) {
					t.Fatalf("got %d %v, want %d %s %s", r.Status, r.Body, c.status, c.code, c.field)
				}
			})
		}
	})

	t.Run("OwnSubtreeByDefault", func(t *testing.T) {
		r := aGet(t, base+"summary?from=2025-01-01&to=2025-01-31", tuPhap)
		if r.Status != 200 || r.Body["unit"] != "so-tu-phap" || aPath(r.Body, "index", "n") != 35.0 {
			t.Fatalf("%d unit %v n %v", r.Status, r.Body["unit"], aPath(r.Body, "index", "n"))
		}
	})

	t.Run("OtherRoutes", func(t *testing.T) {
		for _, u := range []string{"trend?unit=so-cong-thuong&from=2024-12-01&to=2025-01-31", "breakdown?by=unit&unit=tinh-mau" + q,
			"breakdown?by=channel" + q, "heatmap?unit=so-cong-thuong" + q, "painpoints?unit=so-cong-thuong" + q,
			"tt01?unit=so-cong-thuong" + q, "summary?period=month&date=2025-01-15&unit=so-cong-thuong"} {
			if r := aGet(t, base+u, viewer); r.Status != 200 {
				t.Errorf("%s: %d %v", u, r.Status, r.Body)
			}
		}
		r := aGet(t, base+"breakdown?by=unit&unit=tinh-mau"+q, viewer)
		if aPath(r.Body, "rows", 0, "key") != "so-xay-dung" || aPath(r.Body, "rows", 0, "index", "value") != 75.0 {
			t.Errorf("breakdown %v", r.Body["rows"])
		}
		r = aGet(t, base+"painpoints?unit=so-cong-thuong"+q, viewer)
		if aPath(r.Body, "criteria", 0, "value") != 100.0 {
			t.Errorf("pain points %v", r.Body["criteria"])
		}
		r = aGet(t, base+"summary?period=month&date=2025-01-15&unit=so-cong-thuong", viewer)
		if aPath(r.Body, "from") != "2025-01-01" || aPath(r.Body, "to") != "2025-01-31" || aPath(r.Body, "index", "value") != 50.0 {
			t.Errorf("period=month: %v–%v %v", r.Body["from"], r.Body["to"], r.Body["index"])
		}
	})
}

// TestAnalyticsOnDemo reads the demo province through the API: Sở Công
// Thương should read about 76 %, about 12th of khối Sở after 9th the year
// before (SPEC "Why it exists").
func TestAnalyticsOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full demo")
	}
	dir := t.TempDir()
	viewer := aToken(t, dir, "viewer", "")
	m := MustRun(t, dir)
	now := time.Now().In(m.DB.Loc())
	start := time.Now()
	if _, err := demo.Generate(m.DB, now, 1); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo generated in %v", time.Since(start).Round(time.Millisecond))
	base := "http://" + m.Addr + "/api/v1/analytics/"
	r := aGet(t, base+"summary?unit=so-cong-thuong", viewer) // the 365 days ending today
	if r.Status != 200 {
		t.Fatalf("%d %v", r.Status, r.Body)
	}
	v, _ := aPath(r.Body, "index", "value").(float64)
	pos, _ := aPath(r.Body, "rank", "position").(float64)
	prev, _ := aPath(r.Body, "rank", "previous_position").(float64)
	t.Logf("Sở Công Thương %v–%v: index %.2f %% (n %v, CI %v–%v), previous %v, change %v points, rank %v/%v (previous %v)",
		r.Body["from"], r.Body["to"], v, aPath(r.Body, "index", "n"), aPath(r.Body, "index", "ci_low"), aPath(r.Body, "index", "ci_high"),
		aPath(r.Body, "previous", "index", "value"), r.Body["delta_pp"], pos, aPath(r.Body, "rank", "of"), prev)
	if v < 72 || v > 80 || pos < 10 || pos > 14 || prev < 7 || prev > 11 || pos <= prev {
		t.Errorf("Sở Công Thương: %.2f %%, rank %v after %v; want about 76 %%, about 12th after 9th", v, pos, prev)
	}
	y := now.Year() - 1
	r = aGet(t, base+fmt.Sprintf("timeliness?unit=so-cong-thuong&from=%d-01-01&to=%d-12-31", y, y), viewer)
	early, _ := r.Body["early_pct"].(float64)
	t.Logf("dossiers %d: received %v, early %v %%, on time %v %%, late %v %%, 766 rate %v %%", y, r.Body["received"], early, r.Body["on_time_pct"], r.Body["late_pct"], r.Body["rate_766"])
	if early < 97 || early > 99.5 {
		t.Errorf("early %.2f %%", early)
	}
	r = aGet(t, base+"tt01?unit=so-cong-thuong", viewer)
	t.Logf("TT 01: %v", aPath(r.Body, "agencies", 0))
}
