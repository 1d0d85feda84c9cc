package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"hailong/survey"
)

// TestSatisfaction766API drives the 766 satisfaction figures through the
// real server: receipts issued and answered over HTTP, a dossier finished
// late over the API, a case opened, replied and rated on the server's
// store; GET /api/v1/analytics/satisfaction766 counts them, refuses what it
// must, and its answers are checked against the OpenAPI description.
func TestSatisfaction766API(t *testing.T) {
	e := newReceiptEnv(t)
	loc := e.m.DB.Loc()
	now := time.Now().In(loc)
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	receipt := func(code, recv, due string) issued {
		return e.issue(`{"dossier_code":"` + code + `","unit":"so-cong-thuong","procedure":"1.004227","received_at":"` + recv + `","due_at":"` + due + `"}`)
	}
	a := receipt("HS-766-A", day(-10), day(-3)) // finished today: late
	b := receipt("HS-766-B", day(-10), day(7))  // answered with a negative answer
	receipt("HS-766-C", now.Format(time.RFC3339), day(7))
	receipt("HS-766-D", now.Format(time.RFC3339), day(7)) // nothing against it
	for _, ans := range []struct {
		rc    issued
		score string
	}{{a, "5"}, {b, "2"}} {
		if p := e.form(ans.rc.SurveyURL, url.Values{"c.overall": {ans.score}}); p.Status != 200 {
			t.Fatalf("answer %s: %d", ans.rc.SurveyURL, p.Status)
		}
	}
	if r := post(t, http.DefaultClient, e.base+"/api/v1/dossiers/HS-766-A/finish", e.reception, "application/json", []byte(`{}`)); r.Status != 200 {
		t.Fatalf("finish: %d %v", r.Status, r.Body)
	}
	c, err := e.m.DB.OpenCase(survey.Case{Unit: "so-cong-thuong", Kind: survey.CasePetition, Source: survey.SourceCall,
		Dossier: "HS-766-C", Summary: "Gọi điện phản ánh về hồ sơ"}, nil, "letan")
	if err != nil {
		t.Fatal(err)
	}
	tok := survey.NewSecret()
	if _, err := e.m.DB.ReplyCase(c.ID, survey.CaseReply{Via: survey.ReplyByPhone, Text: "Đã giải thích qua điện thoại."}, tok, nil, "letan"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.DB.RateCase(tok, survey.RatingGood); err != nil {
		t.Fatal(err)
	}

	get := func(q, token string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.base+"/api/v1/analytics/satisfaction766"+q, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m
	}
	st, m := get("?unit=so-cong-thuong", e.viewer)
	if st != 200 {
		t.Fatalf("satisfaction766: %d %v", st, m)
	}
	want := map[string][3]float64{ // numerator, denominator, value
		"response_rate":        {2, 4, 50},
		"dossier_satisfaction": {1, 4, 25},
		"pakn_on_time":         {1, 1, 100},
		"pakn_satisfaction":    {1, 1, 100},
		"pakn_rated":           {1, 1, 100},
	}
	for k, w := range want {
		r, _ := m[k].(map[string]any)
		if r["numerator"] != w[0] || r["denominator"] != w[1] || r["value"] != w[2] {
			t.Errorf("%s = %v, want %v", k, r, w)
		}
	}
	ds, _ := m["dossier_satisfaction"].(map[string]any)
	if ds["late"] != 1.0 || ds["negative"] != 1.0 || ds["with_case"] != 1.0 || ds["against"] != 3.0 || ds["portal_value"] != 25.0 {
		t.Errorf("dossier reasons %v", ds)
	}
	if st, m := get("?unit=so-tu-phap", e.viewer); st != 200 || m["dossier_satisfaction"].(map[string]any)["value"] != nil {
		t.Errorf("no dossiers: %d %v (value must be null, not 0)", st, m)
	}
	for _, c := range []struct {
		q, token string
		status   int
	}{
		{"?unit=so-cong-thuong", e.reception, 403},
		{"?unit=so-cong-thuong", "", 401},
		{"?from=2026-13-01", e.viewer, 422},
		{"?unit=nope", e.viewer, 422},
		{"?by=staff", e.viewer, 400},
	} {
		if st, m := get(c.q, c.token); st != c.status {
			t.Errorf("%s: %d %v, want %d", c.q, st, m, c.status)
		}
	}
}
