package main

import (
	"bytes"
	"context"
	"encoding/json"
	"hailong/survey/bolt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// MustRun starts the real server on a loopback port over data folder dir.
func MustRun(tb testing.TB, dir string) *Main {
	tb.Helper()
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(tb, dir), TZ: "Asia/Ho_Chi_Minh"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// mustSet changes the stored settings.
func mustSet(tb testing.TB, db survey.SettingsService, edit func(s *survey.Settings)) {
	tb.Helper()
	s := db.Settings()
	edit(&s)
	if err := db.SaveSettings(s); err != nil {
		tb.Fatal(err)
	}
}

// cli runs a hailong command line in-process and returns its stdout.
func cli(tb testing.TB, stdin string, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), withTestDB(tb, args), strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

func mustCLI(tb testing.TB, stdin string, args ...string) string {
	tb.Helper()
	out, err := cli(tb, stdin, args...)
	if err != nil {
		tb.Fatalf("hailong %s: %v", strings.Join(args, " "), err)
	}
	return out
}

const unitsCSV = "id,name,parent,group\n" +
	"tinh-mau,UBND Tỉnh Mẫu,,\n" +
	"so-cong-thuong,Sở Công Thương,tinh-mau,khoi-so\n" +
	"so-tu-phap,Sở Tư pháp,tinh-mau,khoi-so\n" +
	"sct-van-phong,Văn phòng Sở,so-cong-thuong,\n"

// setup creates an installation through the CLI: units, a reception token
// covering Sở Công Thương, a viewer token.
func setup(t testing.TB) (dir, reception, viewer string) {
	dir = t.TempDir()
	csv := filepath.Join(dir, "units.csv")
	os.WriteFile(csv, []byte(unitsCSV), 0o600)
	mustCLI(t, "", "import", "units", "--data", dir, csv)
	var tok struct{ Token string }
	json.Unmarshal([]byte(mustCLI(t, "", "token", "add", "--data", dir, "--role", "reception", "--unit", "so-cong-thuong", "--name", "Hệ thống một cửa")), &tok)
	reception = tok.Token
	json.Unmarshal([]byte(mustCLI(t, "", "token", "add", "--data", dir, "--role", "viewer", "--name", "Lãnh đạo")), &tok)
	viewer = tok.Token
	if reception == "" || viewer == "" {
		t.Fatal("token add printed no token")
	}
	return dir, reception, viewer
}

type apiResult struct {
	Status int
	Body   map[string]any
}

func (r apiResult) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r apiResult) errField() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["field"].(string)
	return s
}

func post(t testing.TB, client *http.Client, url, token, ctype string, body []byte) apiResult {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: status %d, body not JSON: %q", url, resp.StatusCode, raw)
	}
	return apiResult{resp.StatusCode, m}
}

func TestSubmitThroughRealServer(t *testing.T) {
	dir, reception, viewer := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	url := base + "/api/v1/responses"
	c := http.DefaultClient
	good := `{"id":"0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a01","survey":"quay","unit":"sct-van-phong","answers":{"overall":4,"facilities":2,"website":null},"reasons":["had_to_stand"],"comment":"Phải đứng chờ <script>"}`

	r := post(t, c, url, reception, "application/json", []byte(good))
	if r.Status != 201 || r.Body["id"] != "0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a01" {
		t.Fatalf("first submit: %d %v", r.Status, r.Body)
	}
	r = post(t, c, url, reception, "application/json; charset=utf-8", []byte(strings.Replace(good, `"overall":4`, `"overall":1`, 1)))
	if r.Status != 200 || r.Body["id"] != "0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a01" {
		t.Fatalf("repeat: %d %v", r.Status, r.Body)
	}
	r = post(t, c, url, reception, "application/json", []byte(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`))
	if r.Status != 201 || r.Body["id"] == "" {
		t.Fatalf("no id: %d %v", r.Status, r.Body)
	}

	big := `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"comment":"` + strings.Repeat("a", 70<<10) + `"}`
	bad := []struct {
		name, token, ctype, body string
		status                   int
		code, field              string
	}{
		{"NoAuth", "", "application/json", good, 401, survey.EUNAUTHORIZED, ""},
		{"ForgedToken", "hl_forged", "application/json", good, 401, survey.EUNAUTHORIZED, ""},
		{"ViewerMayNotSubmit", viewer, "application/json", good, 403, survey.EFORBIDDEN, ""},
		{"OutsideSubtree", reception, "application/json", `{"survey":"quay","unit":"so-tu-phap","answers":{"overall":5}}`, 403, survey.EFORBIDDEN, ""},
		{"WrongContentType", reception, "text/plain", good, 415, survey.EUNSUPPORTED, ""},
		{"MalformedJSON", reception, "application/json", `{"survey":`, 400, survey.EMALFORMED, ""},
		{"UnknownKey", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"rating":3}`, 400, survey.EMALFORMED, "rating"},
		{"WrongType", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":"five"}}`, 400, survey.EMALFORMED, ""},
		{"InvalidUTF8", reception, "application/json", "{\"survey\":\"quay\",\"unit\":\"so-cong-thuong\",\"answers\":{\"overall\":5},\"comment\":\"\xff\xfe\"}", 400, survey.EMALFORMED, ""},
		{"TrailingData", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}} {}`, 400, survey.EMALFORMED, ""},
		{"TooLarge", reception, "application/json", big, 413, survey.ETOOLARGE, ""},
		{"UnknownSurvey", reception, "application/json", `{"survey":"nope","unit":"so-cong-thuong","answers":{"overall":5}}`, 422, survey.EINVALID, "survey"},
		{"UnknownUnit", reception, "application/json", `{"survey":"quay","unit":"so-khong-co","answers":{"overall":5}}`, 422, survey.EINVALID, "unit"},
		{"UnknownCriterion", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"mood":5}}`, 422, survey.EINVALID, "answers.mood"},
		{"ScoreOutOfRange", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":9}}`, 422, survey.EINVALID, "answers.overall"},
		{"BadDate", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"submitted_at":"hôm qua"}`, 422, survey.EINVALID, "submitted_at"},
		{"PaperByAPI", reception, "application/json", `{"survey":"quay","unit":"so-cong-thuong","channel":"paper","answers":{"overall":5}}`, 422, survey.EINVALID, "channel"},
		{"BadID", reception, "application/json", `{"id":"123","survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`, 422, survey.EINVALID, "id"},
	}
	before := m.DB.ResponseCount()
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			r := post(t, c, url, b.token, b.ctype, []byte(b.body))
			if r.Status != b.status || r.errCode() != b.code || (b.field != "" && r.errField() != b.field) {
				t.Fatalf("got %d %v, want %d %s %s", r.Status, r.Body, b.status, b.code, b.field)
			}
			if msg, _ := r.Body["error"].(map[string]any)["message"].(string); msg == "" {
				t.Fatal("error without a message")
			}
		})
	}
	if n := m.DB.ResponseCount(); n != before || n != 2 {
		t.Fatalf("%d responses after bad requests, want %d", n, before)
	}

	resp, _ := http.Get(base + "/healthz")
	hb, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || strings.TrimSpace(string(hb)) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", resp.StatusCode, hb)
	}
	resp, _ = http.Get(base + "/")
	hb, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(hb), "Bộ phận Tiếp nhận và Trả kết quả") {
		t.Fatalf("home page: %d %s", resp.StatusCode, hb)
	}
	resp, _ = http.Get(base + "/metrics")
	mb, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`hailong_responses_stored_total{channel="web"} 2`, "hailong_db_size_bytes", `hailong_http_requests_total{method="POST",route="/api/v1/responses",status="422"}`} {
		if !strings.Contains(string(mb), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	resp, _ = http.Get(base + "/api/v1/nothing-here")
	if resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		t.Fatalf("unknown route: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Restart on the same data: the response is still there and a repeat
	// of its id still stores nothing.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := MustRun(t, dir)
	r = post(t, c, "http://"+m2.Addr+"/api/v1/responses", reception, "application/json", []byte(good))
	if r.Status != 200 || m2.DB.ResponseCount() != 2 {
		t.Fatalf("after restart: %d, %d stored", r.Status, m2.DB.ResponseCount())
	}
	got, err := m2.DB.ResponseByID("0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a01")
	if err != nil || got.Answers["overall"] != 4 || got.Answers["website"] != 0 || got.Channel != survey.ChannelWeb || got.Comment != "Phải đứng chờ <script>" {
		t.Fatalf("stored response: %+v %v", got, err)
	}
	// The second response came from the same token right after the first:
	// a burst by receive time, flagged misuse and left out by default.
	now := time.Now()
	q := survey.CountQuery{Dim: survey.DimBase, Units: m2.DB.Subtree("so-cong-thuong"), From: now, To: now, IncludeMisuse: true}
	counts, _ := m2.DB.Count(q)
	if counts[""] == nil || counts[""].Responses != 2 {
		t.Fatalf("counts for today: %+v", counts[""])
	}
	q.IncludeMisuse = false
	if counts, _ = m2.DB.Count(q); counts[""] == nil || counts[""].Responses != 1 {
		t.Fatalf("counts for today without misuse: %+v", counts[""])
	}
}

func TestKioskPairingAndSubmit(t *testing.T) {
	dir, _, _ := setup(t)
	var k struct{ ID, PairURL string }
	out := mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", "Quầy 1")
	if err := json.Unmarshal([]byte(strings.Replace(out, "pair_url", "PairURL", 1)), &k); err != nil || k.ID == "" || !strings.HasPrefix(k.PairURL, "/kiosk/pair/") {
		t.Fatalf("kiosk add printed %q", out)
	}
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	jar, _ := cookiejar.New(nil)
	device := &http.Client{Jar: jar}

	resp, _ := device.Get(base + "/kiosk")
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(page), "chưa được ghép nối") {
		t.Fatalf("unpaired /kiosk: %d %s", resp.StatusCode, page)
	}
	resp = pairDevice(t, device, base, k.PairURL)
	page, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Ki-ốt đã sẵn sàng") {
		t.Fatalf("after pairing: %d %s", resp.StatusCode, page)
	}
	r := post(t, device, base+"/api/v1/responses", "", "application/json", []byte(`{"answers":{"overall":5}}`))
	if r.Status != 201 {
		t.Fatalf("kiosk submit: %d %v", r.Status, r.Body)
	}
	got, _ := m.DB.ResponseByID(r.Body["id"].(string))
	if got.Channel != survey.ChannelKiosk || got.Kiosk != k.ID || got.Unit != "so-cong-thuong" || got.Survey != "quay" {
		t.Fatalf("kiosk response stored as %+v", got)
	}
	r = post(t, device, base+"/api/v1/responses", "", "application/json", []byte(`{"unit":"so-tu-phap","answers":{"overall":5}}`))
	if r.Status != 403 {
		t.Fatalf("kiosk posting for another unit: %d", r.Status)
	}
	// The pairing link works once.
	other := &http.Client{}
	resp, _ = other.Get(base + k.PairURL)
	if resp.StatusCode != 404 {
		t.Fatalf("second use of pairing link: %d", resp.StatusCode)
	}
}

var pairCodeRE = regexp.MustCompile(`name="code" value="([^"]+)"`)

// pairDevice opens a pairing link with client and presses the page's
// button as a browser does (a same-origin form post); it returns the
// answer after the redirect to /kiosk.
func pairDevice(t testing.TB, client *http.Client, base, pairURL string) *http.Response {
	t.Helper()
	resp, err := client.Get(base + pairURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := pairCodeRE.FindStringSubmatch(string(page))
	if resp.StatusCode != 200 || m == nil || !strings.Contains(string(page), `data-action="pair"`) {
		t.Fatalf("pairing page: %d %s", resp.StatusCode, page)
	}
	req, _ := http.NewRequest("POST", base+"/kiosk/pair", strings.NewReader(url.Values{"code": {html.UnescapeString(m[1])}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err = client.Do(req); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestCommandsFailFastWhileServing(t *testing.T) {
	dir, _, _ := setup(t)
	MustRun(t, dir)
	start := time.Now()
	_, err := cli(t, "", "reindex", "--data", dir)
	if survey.ErrorCode(err) != survey.ELOCKED {
		t.Fatalf("reindex while serving: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
	if !strings.Contains(errorText(err), "server") {
		t.Fatalf("message does not say why: %s", errorText(err))
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,name,parent,group\nso-a,Sở A,,\nso-b,Sở B,khong-co,\n"), 0o600)
	_, err := cli(t, "", "import", "units", "--data", dir, bad)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad units file: %v", err)
	}
	procs := filepath.Join(dir, "thu-tuc.csv")
	os.WriteFile(procs, []byte("code,name\n1.001612,Đăng ký thành lập hộ kinh doanh\n1.009972,Cấp giấy phép xây dựng\n"), 0o600)
	if out := mustCLI(t, "", "import", "procedures", "--data", dir, procs); !strings.Contains(out, `"imported":2`) {
		t.Fatalf("import procedures printed %q", out)
	}
	os.WriteFile(procs, []byte("code,name\n1.1,Tên\n1.2,\n"), 0o600)
	if _, err := cli(t, "", "import", "procedures", "--data", dir, procs); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad procedures file: %v", err)
	}
	if _, err := cli(t, "", "import", "thutuc", "--data", dir, procs); err == nil || !strings.Contains(err.Error(), "procedures") {
		t.Fatalf("unknown import kind: %v", err)
	}
	if _, err := cli(t, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if _, err := cli(t, "short\n", "user", "add", "--data", dir, "--username", "lan", "--role", "admin", "--password-stdin"); err == nil {
		t.Fatal("short password accepted")
	}
	out := mustCLI(t, "mật-khẩu-dài-đủ\n", "user", "add", "--data", dir, "--username", "lan", "--role", "admin", "--password-stdin")
	if !strings.Contains(out, `"lan"`) {
		t.Fatalf("user add printed %q", out)
	}
	backup := filepath.Join(dir, "copy.db")
	mustCLI(t, "", "backup", "--data", dir, backup)
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatalf("backup: %v", err)
	}
	out = mustCLI(t, "", "reindex", "--data", dir, "--check")
	if !strings.Contains(out, `"consistent":true`) {
		t.Fatalf("reindex --check: %s", out)
	}
	_, err = cli(t, "", "reindex", "--data", dir, "--tz", "Europe/Paris", "--check")
	if err == nil || !strings.Contains(errorText(err), "Asia/Ho_Chi_Minh") {
		t.Fatalf("changing the zone without reindex: %v", err)
	}
}

func TestServeKioskPolicyFlags(t *testing.T) {
	dir := t.TempDir()
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(t, dir), KioskIdle: "12s", KioskPartial: "discard"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	s := m.DB.Settings().Kiosk
	m.Close()
	if s.Idle != 12*time.Second || s.Partial != "discard" {
		t.Fatalf("settings %+v", s)
	}
	bad := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(t, dir), KioskIdle: "a while"}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := bad.Run()
	bad.Close()
	if err == nil || !strings.Contains(err.Error(), "--kiosk-idle") {
		t.Fatalf("bad idle accepted: %v", err)
	}
}

// Scheduled backups run inside the server (which holds the lock), are
// valid databases, and only the newest are kept.
func TestScheduledBackups(t *testing.T) {
	dir, _, _ := setup(t)
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, BackupEvery: time.Hour, BackupKeep: 2}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for i := 0; i < 3; i++ {
		m.backup.once(time.Date(2026, 11, 2, 8, i, 0, 0, time.UTC))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "backups", "hailong-*.db"))
	if len(files) != 2 || !strings.HasSuffix(files[1], "-150200.db") {
		t.Fatalf("kept backups: %v", files)
	}
	copyDir := t.TempDir()
	b, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(copyDir, "hailong.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(copyDir, "hailong.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(db.Units()) == 0 {
		t.Fatalf("the backup has no units")
	}
}

// Housekeeping deletes expired sessions and applies the comment retention.
func TestMaintenance(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	db := m.DB
	old := time.Now().AddDate(0, 0, -40)
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-cong-thuong", Answers: map[string]int{"overall": 2},
		Comment: "quá lâu", SubmittedAt: old, ReceivedAt: old}
	if _, err := db.Submit(r); err != nil {
		t.Fatal(err)
	}
	m.chores.once(time.Now())
	if got, _ := db.Response(r.Key); got.Comment == "" {
		t.Fatal("retention 0 (keep) removed a comment")
	}
	set := db.Settings()
	set.Retention.CommentDays = 30
	if err := db.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	m.chores.once(time.Now())
	if got, _ := db.Response(r.Key); got.Comment != "" || got.Answers["overall"] != 2 {
		t.Fatalf("after a 30-day retention: %+v", got)
	}
}
