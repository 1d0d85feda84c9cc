package kiosk

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"hailong/survey"
)

func TestKioskPageAndState(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	_, device := mustKiosk(t, db, "a-q1")

	r := do(t, app, "GET", "/kiosk", "", "")
	if r.Status != 200 || !strings.Contains(string(r.Raw), "chưa được ghép nối") {
		t.Fatalf("unpaired: %d %s", r.Status, r.Raw)
	}
	r = do(t, app, "GET", "/kiosk", "kiosk="+device, "")
	page := string(r.Raw)
	if r.Status != 200 || r.Header["Cache-Control"] != "no-cache" {
		t.Fatalf("paired: %d %v", r.Status, r.Header)
	}
	for _, want := range []string{
		`data-screen="start"`, `data-screen="criteria"`, `data-screen="reasons"`, `data-screen="thanks"`,
		`data-lang="vi"`, `data-lang="en"`, `>Tiếng Việt<`, `>English<`,
		`data-criterion="overall" data-score="1"`, `data-criterion="website" data-score="5"`,
		`data-reason="had_to_stand"`, `data-action="next"`, `data-action="skip"`, `data-action="submit"`,
		"Ông/Bà hài lòng với sự phục vụ hôm nay?", "Sở Công Thương", "Quầy 1", `aria-live="polite"`,
		`<script type="application/json" id="kiosk-data">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, k := range []string{"access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"} {
		if n := strings.Count(page, `data-criterion="`+k+`"`); n != 5 {
			t.Errorf("%s has %d faces", k, n)
		}
	}
	if regexp.MustCompile(`<script>|\sstyle="|\son[a-z]+="`).MatchString(page) {
		t.Error("inline script or style: the CSP forbids it")
	}

	st := do(t, app, "GET", "/kiosk/state.json", "", "")
	if st.Status != 401 {
		t.Fatalf("state without a kiosk: %d", st.Status)
	}
	set := db.Settings()
	set.Kiosk.Idle, set.Kiosk.Thanks, set.Kiosk.Partial = 2e9, 3e9, survey.PartialDiscard
	if err := db.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	st = do(t, app, "GET", "/kiosk/state.json", "kiosk="+device, "")
	if st.Status != 200 || st.Body["idle"] != 2.0 || st.Body["thanks"] != 3.0 || st.Body["partial"] != "discard" || st.Body["staff"] != nil {
		t.Fatalf("state: %d %s", st.Status, st.Raw)
	}
	set.Kiosk.Idle = 0
	if err := db.SaveSettings(set); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("idle 0 accepted: %v", err)
	}

	sw := do(t, app, "GET", "/kiosk/sw.js", "", "")
	if sw.Status != 200 || sw.Header["Service-Worker-Allowed"] != "/kiosk" || !strings.Contains(sw.Header["Content-Type"], "javascript") ||
		!strings.Contains(string(sw.Raw), `"/kiosk"`) || !strings.Contains(string(sw.Raw), "/static/js/kiosk.js?v=") {
		t.Fatalf("sw.js: %d %v\n%.300s", sw.Status, sw.Header, sw.Raw)
	}
}

func TestKioskHeartbeatAndMetrics(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	k, device := mustKiosk(t, db, "a-q1")
	r := do(t, app, "POST", "/api/v1/kiosk/heartbeat", "kiosk="+device, `{"queue":2,"version":"`+appVersion+`"}`)
	if r.Status != 200 {
		t.Fatalf("heartbeat: %d %s", r.Status, r.Raw)
	}
	got := db.Kiosk(k.ID)
	if got.LastSeen.IsZero() || got.Queue != 2 || got.Version != appVersion {
		t.Fatalf("kiosk after heartbeat: %+v", got)
	}
	m := do(t, app, "GET", "/metrics", "", "")
	for _, want := range []string{
		fmt.Sprintf(`hailong_kiosk_last_seen_seconds{kiosk="%s"} %g`, k.ID, float64(got.LastSeen.UnixMilli())/1000),
		`hailong_kiosk_queue_depth{kiosk="` + k.ID + `"} 2`,
	} {
		if !strings.Contains(string(m.Raw), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	token := "Bearer " + mustToken(t, db, survey.RoleReception, "")
	bad := []struct {
		name, auth, body string
		status           int
	}{
		{"TokenRefused", token, `{"queue":0,"version":"x"}`, 403},
		{"NoAuth", "", `{"queue":0}`, 401},
		{"NegativeQueue", "kiosk=" + device, `{"queue":-1}`, 422},
		{"UnknownKey", "kiosk=" + device, `{"queue":1,"battery":3}`, 400},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if r := do(t, app, "POST", "/api/v1/kiosk/heartbeat", b.auth, b.body); r.Status != b.status {
				t.Fatalf("got %d %s, want %d", r.Status, r.Raw, b.status)
			}
		})
	}
}

// TestKioskPageWeight measures what a kiosk transfers on its first load
// (gzip, as Chromium asks over plain HTTP): the page, every asset it and its
// stylesheet reference, the service worker and the first state poll,
// headers included. SPEC budget: under 60 KB. See docs/BENCHMARKS.md.
func TestKioskPageWeight(t *testing.T) {
	db := mustDB(t)
	app := newApp(db)
	if err := db.SignOn("nv-lan", "a-q1"); err != nil {
		t.Fatal(err)
	}
	_, device := mustKiosk(t, db, "a-q1")
	get := func(url string) (wire int, body []byte) {
		req := httptest.NewRequest("GET", url, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		req.Header.Set("Cookie", "hl_kiosk="+device)
		resp, err := app.Test(req, 5000)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", url, resp.StatusCode)
		}
		wire = len(raw) + len("HTTP/1.1 200 OK\r\n\r\n")
		for k, vs := range resp.Header {
			for _, v := range vs {
				wire += len(k) + len(v) + 4
			}
		}
		body = raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if !strings.HasSuffix(url, ".woff2") && !strings.Contains(url, ".woff2?") && len(raw) > 1024 {
			t.Errorf("%s sent uncompressed (%d bytes)", url, len(raw))
		}
		return wire, body
	}
	total := 0
	seen := map[string]bool{}
	var fetch func(url string)
	ref := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"|url\((/static/[^)]+)\)`)
	fetch = func(url string) {
		if seen[url] {
			return
		}
		seen[url] = true
		n, body := get(url)
		total += n
		t.Logf("%6d B  %s", n, url)
		for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
			fetch(strings.ReplaceAll(m[1]+m[2], "&amp;", "&"))
		}
	}
	fetch("/kiosk")
	fetch("/kiosk/sw.js")
	fetch("/kiosk/state.json")
	t.Logf("kiosk first load: %d bytes (%.1f KB) in %d requests", total, float64(total)/1024, len(seen))
	if len(seen) < 6 {
		t.Fatalf("only %d requests: references not followed", len(seen))
	}
	if total > 60*1024 {
		t.Fatalf("kiosk first load is %d bytes, over the 60 KB budget", total)
	}
}
