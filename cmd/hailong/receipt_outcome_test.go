package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// Open posters and dossier outcomes on the real server.

func TestPosterForm(t *testing.T) {
	e := newReceiptEnv(t)
	poster := e.base + "/f/so-cong-thuong"
	p := e.get(poster, "")
	if p.Status != 200 || !strings.Contains(p.Body, `name="website_url"`) || strings.Contains(p.Body, "data-fact") ||
		!strings.Contains(p.Body, "Sở Công Thương") {
		t.Fatalf("poster form: %d\n%s", p.Status, p.Body)
	}
	posts := 0
	ft := formTokenRE.FindStringSubmatch(p.Body)
	if ft == nil {
		t.Fatal("no form token in the poster form")
	}
	send := func(v url.Values) htmlPage { posts++; v.Set("ft", ft[1]); return e.form(poster, v) } // a client sending no Origin

	p = send(url.Values{"c.overall": {"5"}, "c.facilities": {"2"}, "reasons": {"had_to_stand"}, "f.tt01_contacts": {"1"}})
	rs := e.responses()
	if p.Status != 200 || !strings.Contains(p.Body, `data-screen="thanks"`) || len(rs) != 1 {
		t.Fatalf("poster answer: %d, %d stored", p.Status, len(rs))
	}
	if r := rs[0]; r.Flags != survey.FlagUnverified || r.Channel != survey.ChannelQR || r.Unit != "so-cong-thuong" || r.Dossier != "" ||
		len(r.Facts) != 0 || r.Answers["overall"] != 5 || r.Reasons[0] != "had_to_stand" {
		t.Fatalf("stored %+v", r)
	}
	if p := send(url.Values{"c.overall": {"1"}, "website_url": {"http://spam.example"}}); p.Status != 200 || !strings.Contains(p.Body, `data-screen="thanks"`) {
		t.Fatalf("honeypot: %d", p.Status)
	}
	if p := send(url.Values{"comment": {"không chọn gì"}}); p.Status != 422 || !strings.Contains(p.Body, "không chọn gì</textarea>") {
		t.Fatalf("poster validation: %d", p.Status)
	}
	if n := len(e.responses()); n != 1 {
		t.Fatalf("%d stored after the honeypot and a refusal", n)
	}
	t.Run("UnverifiedExcludedByDefault", func(t *testing.T) {
		n := func(q string) float64 {
			req, _ := http.NewRequest("GET", e.base+"/api/v1/analytics/summary?unit=so-cong-thuong"+q, nil)
			req.Header.Set("Authorization", "Bearer "+e.viewer)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var s struct{ Index struct{ N float64 } }
			if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != 200 {
				t.Fatalf("summary%s: %d %v", q, resp.StatusCode, err)
			}
			return s.Index.N
		}
		if a, b := n(""), n("&unverified=include"); a != 0 || b != 1 {
			t.Fatalf("index n: %v without unverified, %v with, want 0 and 1", a, b)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		for posts < 10 {
			if p := send(url.Values{"c.overall": {"3"}, "website_url": {"x"}}); p.Status != 200 {
				t.Fatalf("post %d: %d", posts, p.Status)
			}
		}
		p := send(url.Values{"c.overall": {"3"}})
		if p.Status != 429 || p.Header.Get("Retry-After") == "" || !strings.Contains(p.Body, "trong thời gian ngắn") {
			t.Fatalf("post %d: %d %v", posts, p.Status, p.Header)
		}
		if n := len(e.responses()); n != 1 {
			t.Fatalf("%d stored", n)
		}
	})
	t.Run("PosterPage", func(t *testing.T) {
		p := e.get(poster+"/poster", "")
		if p.Status != 200 || !strings.Contains(p.Body, "Sở Công Thương") || !strings.Contains(p.Body, `<svg class="qr"`) {
			t.Fatalf("poster page: %d", p.Status)
		}
		img := e.get(poster+"/qr.png", "")
		if got := decodeQR(t, []byte(img.Body)); got != poster {
			t.Fatalf("poster QR reads %q", got)
		}
	})
	t.Run("UnknownUnit", func(t *testing.T) {
		for _, u := range []string{"/f/so-khong-co", "/f/so-khong-co/poster", "/f/so-khong-co/qr.png"} {
			if p := e.get(e.base+u, ""); p.Status != 404 {
				t.Errorf("%s: %d", u, p.Status)
			}
		}
	})
}

// TestDossierOutcomes imports dossiers, finishes two by API and checks the
// timeliness API against figures worked out by hand. D is today.
//
//	code   unit           proc  staff  received  due    finished       suppl  outcome
//	A1     so-cong-thuong P1    nv-a   D-20      D-15   D-16           0      early
//	A2     so-cong-thuong P1    nv-a   D-20      D-15   D-15           0      on time
//	A3     sct-van-phong  P2    nv-b   D-18      D-12   D-10           1      late (due D-11)
//	A4     sct-van-phong  P2    nv-a   D-10      D+5    —              0      in progress, not overdue
//	A5     so-cong-thuong P1    —      D-10      D-2    —              0      in progress, overdue
//	A6     so-cong-thuong P2    —      D-9       D-4    API: D-3       2      early (due D-2)
//	A7/HS  so-cong-thuong P1    —      D-8       D-3    API: D-3       0      on time
//	B1     so-tu-phap     P1    —      D-5       D-1    D-1            0      another agency
func TestDossierOutcomes(t *testing.T) {
	today := time.Now().In(mustZone(t))
	d := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	csv := "code,unit,procedure,received_at,due_at,finished_at,supplement_days,staff\n" +
		fmt.Sprintf("A1,so-cong-thuong,P1,%s,%s,%s,,nv-a\n", d(-20), d(-15), d(-16)) +
		fmt.Sprintf("A2,so-cong-thuong,P1,%s,%s,%s,,nv-a\n", d(-20), d(-15), d(-15)) +
		fmt.Sprintf("A3,sct-van-phong,P2,%s,%s,%s,1,nv-b\n", d(-18), d(-12), d(-10)) +
		fmt.Sprintf("A4,sct-van-phong,P2,%s,%s,,,nv-a\n", d(-10), d(5)) +
		fmt.Sprintf("A5,so-cong-thuong,P1,%s,%s,,,\n", d(-10), d(-2)) +
		fmt.Sprintf("A6,so-cong-thuong,P2,%s,%s,,,\n", d(-9), d(-4)) +
		fmt.Sprintf("A7/HS,so-cong-thuong,P1,%s,%s,,,\n", d(-8), d(-3)) +
		fmt.Sprintf("B1,so-tu-phap,P1,%s,%s,%s,,\n", d(-5), d(-1), d(-1))
	e := newReceiptEnv(t, func(dir string) {
		file := filepath.Join(dir, "dossiers.csv")
		os.WriteFile(file, []byte(csv), 0o600)
		mustCLI(t, "", "import", "dossiers", "--data", dir, file)
	})
	finish := func(code, token string, c *http.Client, body string) apiResult {
		return post(t, c, e.base+"/api/v1/dossiers/"+url.PathEscape(code)+"/finish", token, "application/json", []byte(body))
	}
	if r := finish("A6", e.reception, http.DefaultClient, `{"finished_at":"`+d(-3)+`","supplement_days":2}`); r.Status != 200 ||
		r.Body["outcome"] != "early" || r.Body["supplement_days"] != 2.0 {
		t.Fatalf("finish A6: %d %v", r.Status, r.Body)
	}
	if r := finish("A7/HS", e.reception, http.DefaultClient, `{"finished_at":"`+d(-3)+`"}`); r.Status != 200 || r.Body["outcome"] != "on_time" {
		t.Fatalf("finish A7/HS: %d %v", r.Status, r.Body)
	}
	for _, c := range []struct {
		name, code, token string
		client            *http.Client
		body              string
		status            int
	}{
		{"NoAuth", "A5", "", http.DefaultClient, `{}`, 401},
		{"Viewer", "A5", e.viewer, http.DefaultClient, `{}`, 403},
		{"Kiosk", "A5", "", e.kiosk, `{}`, 403},
		{"OutsideSubtree", "B1", e.reception, http.DefaultClient, `{}`, 403},
		{"OtherAgencyToken", "A5", e.tuPhap, http.DefaultClient, `{}`, 403},
		{"UnknownCode", "Z9", e.reception, http.DefaultClient, `{}`, 404},
		{"UnknownKey", "A5", e.reception, http.DefaultClient, `{"finish":"x"}`, 400},
		{"BadDate", "A5", e.reception, http.DefaultClient, `{"finished_at":"hôm qua"}`, 422},
		{"BeforeReceived", "A5", e.reception, http.DefaultClient, `{"finished_at":"` + d(-30) + `"}`, 422},
		{"Future", "A5", e.reception, http.DefaultClient, `{"finished_at":"` + d(3) + `"}`, 422},
		{"NegativeSupplement", "A5", e.reception, http.DefaultClient, `{"supplement_days":-1}`, 422},
	} {
		t.Run(c.name, func(t *testing.T) {
			if r := finish(c.code, c.token, c.client, c.body); r.Status != c.status {
				t.Fatalf("got %d %v, want %d", r.Status, r.Body, c.status)
			}
		})
	}
	if d, _ := e.m.DB.Dossier("A5"); !d.FinishedAt.IsZero() {
		t.Fatal("a refused finish changed A5")
	}
	checkTimelinessAPI(t, e, d(-30), d(0))
}

func mustZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// checkTimelinessAPI: so-cong-thuong and its department, A1–A7, received 7:
// early A1 A6, on time A2 A7, late A3, in progress A4 (not overdue) and A5
// (overdue). 2/7 = 28.57 %, 1/7 = 14.29 %; 766 = (2 + 2 + 1) / 7 = 71.43 %.
// P1 (A1 A2 A5 A7): 1/4 = 25 %, 2/4 = 50 %, in progress 25 %, 766 3/4 = 75 %.
// P2 (A3 A4 A6): 33.33 % early, late and in progress; 766 (1 + 1) / 3 = 66.67 %.
// By staff: none (A5 A6 A7, 3) and nv-a (A1 A2 A4, 3) tie, the empty key
// first; nv-b (A3) last. nv-a: 766 3/3; none: (1 + 1) / 3; nv-b: 0.
func checkTimelinessAPI(t *testing.T, e *receiptEnv, from, to string) {
	get := func(q string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", e.base+"/api/v1/analytics/timeliness?unit=so-cong-thuong&from="+from+"&to="+to+q, nil)
		req.Header.Set("Authorization", "Bearer "+e.viewer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	want := func(what string, m map[string]any, counts [6]float64, pcts [5]float64) {
		t.Helper()
		for i, k := range []string{"received", "finished", "early", "on_time", "late", "in_progress"} {
			if m[k] != counts[i] {
				t.Errorf("%s: %s = %v, want %v", what, k, m[k], counts[i])
			}
		}
		for i, k := range []string{"early_pct", "on_time_pct", "late_pct", "in_progress_pct", "rate_766"} {
			if m[k] != pcts[i] {
				t.Errorf("%s: %s = %v, want %v", what, k, m[k], pcts[i])
			}
		}
	}
	status, all := get("")
	if status != 200 || all["denominator"] != "received" || all["rows"] != nil || all["by"] != nil {
		t.Fatalf("timeliness: %d %v", status, all)
	}
	want("so-cong-thuong", all, [6]float64{7, 5, 2, 2, 1, 2}, [5]float64{28.57, 28.57, 14.29, 28.57, 71.43})

	_, proc := get("&by=procedure")
	rows, _ := proc["rows"].([]any)
	if len(rows) != 2 || proc["received"] != 7.0 {
		t.Fatalf("by procedure: %v", proc)
	}
	p1, p2 := rows[0].(map[string]any), rows[1].(map[string]any)
	if p1["key"] != "P1" || p2["key"] != "P2" {
		t.Fatalf("procedure rows %v", rows)
	}
	want("P1", p1, [6]float64{4, 3, 1, 2, 0, 1}, [5]float64{25, 50, 0, 25, 75})
	want("P2", p2, [6]float64{3, 2, 1, 0, 1, 1}, [5]float64{33.33, 0, 33.33, 33.33, 66.67})

	_, staff := get("&by=staff")
	rows, _ = staff["rows"].([]any)
	if len(rows) != 3 {
		t.Fatalf("by staff: %v", staff)
	}
	none, a, b := rows[0].(map[string]any), rows[1].(map[string]any), rows[2].(map[string]any)
	if none["key"] != nil || a["key"] != "nv-a" || a["name"] != "Nguyễn Thị Lan" || b["key"] != "nv-b" {
		t.Fatalf("staff rows %v", rows)
	}
	want("no staff", none, [6]float64{3, 2, 1, 1, 0, 1}, [5]float64{33.33, 33.33, 0, 33.33, 66.67})
	want("nv-a", a, [6]float64{3, 2, 1, 1, 0, 1}, [5]float64{33.33, 33.33, 0, 33.33, 100})
	want("nv-b", b, [6]float64{1, 1, 0, 0, 1, 0}, [5]float64{0, 0, 100, 0, 0})

	if status, m := get("&by=unit"); status != 422 {
		t.Errorf("by=unit: %d %v", status, m)
	}
	if status, _ := get("&by=staff&by=procedure"); status != 400 {
		t.Errorf("by twice: %d", status)
	}
}
