package main

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"hailong/publish/pubtest"
	"hailong/survey"
)

// The tamper-evident log end to end (docs/INTEGRITY.md): a real server
// whose clock starts a day behind, the public dataset and a flag change
// stored "yesterday"; today the heads are final and published. What a
// citizen or an inspector saves over HTTP is then checked with the CLI.

type logEnv struct {
	pubEnv
	dir    string
	offset *atomic.Int64 // the server clock's lag behind the real one, ns
}

func newLogEnv(t *testing.T) *logEnv {
	t.Helper()
	dir := t.TempDir()
	off := &atomic.Int64{}
	off.Store(int64(24 * time.Hour))
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: dir, DB: testAddr(t, dir), TZ: "Asia/Ho_Chi_Minh",
		Now: func() time.Time { return time.Now().Add(-time.Duration(off.Load())) }},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	fx, err := pubtest.Seed(survey.ServicesOf(m.DB), time.Now().In(m.DB.Loc()).Year()-1)
	if err != nil {
		t.Fatal(err)
	}
	e := &logEnv{pubEnv: pubEnv{m: m, base: "http://" + m.Addr, fx: fx}, dir: dir, offset: off}
	// A flag change by an administrator: one counted Sở Alpha answer of Q3
	// becomes misuse, which moves its published figures.
	var key uint64
	_ = m.DB.EachResponse(time.Date(fx.Year, 7, 1, 0, 0, 0, 0, m.DB.Loc()), time.Date(fx.Year, 8, 1, 0, 0, 0, 0, m.DB.Loc()), func(r *survey.Response) error {
		if key == 0 && r.Unit == pubtest.UnitA && r.Flags == 0 {
			key = r.Key
		}
		return nil
	})
	if err := m.DB.SetResponseFlags(strconv.FormatUint(key, 10), survey.FlagMisuse, "dash-admin", "repeated taps seen on the camera"); err != nil {
		t.Fatal(err)
	}
	off.Store(0) // a new day: yesterday's head is final
	e.enable(t, nil)
	return e
}

// save fetches path and writes it under name in the data folder's parent.
func (e *logEnv) save(t *testing.T, path, name string) (string, string) {
	t.Helper()
	st, _, body := e.fetch(t, path, "application/json")
	if st != 200 {
		t.Fatalf("%s: %d %s", path, st, body)
	}
	file := filepath.Join(filepath.Dir(e.dir), name)
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, body
}

func TestLogPublishedFiguresRecomputed(t *testing.T) {
	e := newLogEnv(t)
	headsFile, body := e.save(t, "/cong-khai/heads.json", "heads.json")
	var hf survey.HeadsFile
	if err := json.Unmarshal([]byte(body), &hf); err != nil || len(hf.Heads) != 1 || hf.Heads[0].Entries == 0 {
		t.Fatalf("heads.json: %v %s", err, body)
	}
	head := hf.Heads[0]
	if st, _, page := e.fetch(t, "/cong-khai", "text/html"); st != 200 || !strings.Contains(page, head.Hash) || !strings.Contains(page, "Sổ ghi nhận chống sửa đổi") {
		t.Fatalf("/cong-khai (%d) does not show the head %s", st, head.Hash)
	}
	year := strconv.Itoa(e.fx.Year)
	dataFile, _ := e.save(t, "/cong-khai/data.json?p="+year, "data.json")
	c := (&dashEnv{base: e.base}).login(t, "dash-admin")
	yesterday := time.Now().In(e.m.DB.Loc()).AddDate(0, 0, -1).Format(time.DateOnly)
	if st, rep := c.get("/reports/official?from=" + yesterday + "&to=" + yesterday); st != 200 || !strings.Contains(rep, head.Hash) {
		t.Fatalf("the official report (%d) does not print the period's last head", st)
	}
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}

	out := mustCLI(t, "", "verify", "--data", e.dir, "--heads", headsFile)
	if !strings.Contains(out, "published heads compared ("+headsFile+"): 1") || !strings.Contains(out, "OK:") {
		t.Fatalf("verify:\n%s", out)
	}
	logFile := filepath.Join(filepath.Dir(e.dir), "log.jsonl")
	mustCLI(t, "", "export", "log", "--data", e.dir, logFile)
	exported, _ := os.ReadFile(logFile)
	if strings.Contains(string(exported), pubtest.CommentMarker) || strings.Contains(string(exported), pubtest.StaffName) {
		t.Fatal("the exported log carries a comment or a staff name")
	}
	out = mustCLI(t, "", "verify", "--log", logFile, "--heads", headsFile, "--published", dataFile)
	t.Logf("hailong verify --log:\n%s", out)
	if !strings.Contains(out, "every published figure equals") || !strings.Contains(out, pubtest.UnitA) {
		t.Fatalf("verify --log:\n%s", out)
	}
	// A figure that differs from the log is named.
	var data map[string]any
	raw, _ := os.ReadFile(dataFile)
	_ = json.Unmarshal(raw, &data)
	u := data["groups"].([]any)[0].(map[string]any)["units"].([]any)[0].(map[string]any)
	u["index"] = u["index"].(float64) + 0.01
	raw, _ = json.Marshal(data)
	_ = os.WriteFile(dataFile, raw, 0o600)
	out, err := cli(t, "", "verify", "--log", logFile, "--heads", headsFile, "--published", dataFile)
	if err == nil || !strings.Contains(out, "FIGURES DIFFER") || !strings.Contains(out, ".index") {
		t.Fatalf("a doctored data.json passed: %v\n%s", err, out)
	}
}

var firstDiffRe = regexp.MustCompile(`entry (\d+), kind response, day (\S+), response (\d+)`)

// One answer nibble changed behind the server's back: verify exits 1 and
// names that entry and response.
func TestLogVerifyNamesEditedEntry(t *testing.T) {
	e := newLogEnv(t)
	headsFile, _ := e.save(t, "/cong-khai/heads.json", "heads.json")
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	// Entry 57's response, from the exported log.
	const seq = 57
	logFile := filepath.Join(filepath.Dir(e.dir), "log.jsonl")
	mustCLI(t, "", "export", "log", "--data", e.dir, logFile)
	lines, _ := os.ReadFile(logFile)
	var ent survey.LogEntry
	if err := json.Unmarshal([]byte(strings.Split(string(lines), "\n")[seq]), &ent); err != nil || ent.Seq != seq {
		t.Fatalf("entry %d of the export: %v %+v", seq, err, ent)
	}
	key := ent.Key
	raw, err := bbolt.Open(filepath.Join(e.dir, "hailong.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		k := binary.BigEndian.AppendUint64(nil, key)
		rec := append([]byte(nil), tx.Bucket([]byte("responses")).Get(k)...)
		rec[answersAt(rec)] ^= 0x10 // the first criterion's nibble
		return tx.Bucket([]byte("responses")).Put(k, rec)
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, "", "verify", "--data", e.dir, "--heads", headsFile)
	if err == nil {
		t.Fatalf("verify passed an edited database:\n%s", out)
	}
	t.Logf("hailong verify:\n%s", out)
	m := firstDiffRe.FindStringSubmatch(out)
	if m == nil || m[1] != strconv.FormatUint(seq, 10) || m[3] != strconv.FormatUint(key, 10) {
		t.Fatalf("verify does not name entry %d (response %d):\n%s", seq, key, out)
	}
}

// answersAt returns the index of a record's first answer byte (the layout
// of survey/bolt/responses_codec.go).
func answersAt(rec []byte) int {
	bits, p := rec[3], 4
	uv := func() {
		for rec[p]&0x80 != 0 {
			p++
		}
		p++
	}
	uv()
	uv()
	uv()                                      // survey, version, unit
	for _, bit := range []byte{2, 4, 8, 16} { // counter, staff, procedure, kiosk
		if bits&bit != 0 {
			uv()
		}
	}
	uv() // received − submitted (a zigzag varint)
	return p
}

// A citizen's confirmation code: given with the 201, checked on the public
// page; a forged one reads like an unknown one; the check is rate-limited.
func TestLogConfirmationCode(t *testing.T) {
	dir, reception, _ := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	r := post(t, http.DefaultClient, base+"/api/v1/responses", reception, "application/json",
		[]byte(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5}}`))
	code, _ := r.Body["code"].(string)
	if r.Status != 201 || len(code) < 11 {
		t.Fatalf("submit: %d %v", r.Status, r.Body)
	}
	get := func(q string) (int, string) {
		res, err := http.Get(base + "/cong-khai/xac-minh?code=" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	st, page := get(code)
	if st != 200 || !strings.Contains(page, "Được tính cho") || !strings.Contains(page, "Sở Công Thương") ||
		!strings.Contains(page, "được công bố vào ngày mai") || strings.Contains(page, ":") && regexp.MustCompile(`\d\d:\d\d`).MatchString(page) {
		t.Fatalf("xac-minh (%d):\n%s", st, page)
	}
	forged := []byte(code)
	if forged[len(forged)-1] == '0' {
		forged[len(forged)-1] = '1'
	} else {
		forged[len(forged)-1] = '0'
	}
	st1, p1 := get(string(forged))
	st2, p2 := get("ZZZZZ-ZZZZZ")
	norm := func(s string) string { return regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(s, "") }
	if st1 != 404 || st2 != 404 || norm(p1) != norm(p2) {
		t.Fatalf("forged %d and unknown %d answer differently", st1, st2)
	}
	for i := 0; i < 20; i++ {
		if st, _ = get("ZZZZZ-ZZZZZ"); st == 429 {
			return
		}
	}
	t.Fatal("the confirmation check is not rate-limited")
}
