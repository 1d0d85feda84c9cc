package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
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

// Time you can believe (issue 15): submitted_at only within the window of
// live submissions, misuse by receive time per device, import batches
// listed and withdrawn as a whole.

// metric returns the value of one sample line of /metrics ("" if absent).
func metric(t *testing.T, base, sample string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// The reported attack: six 5-score answers dated 2019 and 2025, seconds
// apart, as a reception token and as a kiosk. Each is refused with 422 on
// submitted_at, nothing is stored, and /metrics counts the refusals.
func TestSubmitOutsideWindowRefused(t *testing.T) {
	dir, reception, _ := setup(t)
	var k struct{ ID, PairURL string }
	out := mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", "Quầy 1")
	if err := json.Unmarshal([]byte(strings.Replace(out, "pair_url", "PairURL", 1)), &k); err != nil {
		t.Fatal(out)
	}
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	jar, _ := cookiejar.New(nil)
	device := &http.Client{Jar: jar}
	pairDevice(t, device, base, k.PairURL).Body.Close()
	dates := []string{"2019-04-02T09:00:00+07:00", "2019-04-02T09:00:03+07:00", "2019-04-02T09:00:07+07:00",
		"2025-06-10T14:00:00+07:00", "2025-06-10T14:00:02+07:00", "2025-06-10T14:00:05+07:00"}
	refused := 0
	for _, who := range []struct {
		name   string
		client *http.Client
		token  string
	}{{"token", http.DefaultClient, reception}, {"kiosk", device, ""}} {
		for _, at := range dates {
			body := fmt.Sprintf(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5,"staff_attitude":5},"submitted_at":%q}`, at)
			if who.name == "kiosk" {
				body = fmt.Sprintf(`{"answers":{"overall":5,"staff_attitude":5},"submitted_at":%q}`, at)
			}
			r := post(t, who.client, base+"/api/v1/responses", who.token, "application/json", []byte(body))
			if r.Status != 422 || r.errCode() != survey.EINVALID || r.errField() != "submitted_at" {
				t.Fatalf("%s dated %s: %d %v", who.name, at, r.Status, r.Body)
			}
			refused++
		}
	}
	if n := m.DB.ResponseCount(); n != 0 {
		t.Fatalf("%d responses stored by the attack", n)
	}
	if v := metric(t, base, `hailong_responses_refused_total{reason="submitted_at"}`); v != fmt.Sprint(refused) {
		t.Fatalf("refusals counted %q, want %d", v, refused)
	}
	// More than 5 minutes ahead: refused; less: stored at the receive time.
	ahead := func(d time.Duration) apiResult {
		return post(t, http.DefaultClient, base+"/api/v1/responses", reception, "application/json",
			[]byte(fmt.Sprintf(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":4},"submitted_at":%q}`, time.Now().Add(d).Format(time.RFC3339))))
	}
	if r := ahead(6 * time.Minute); r.Status != 422 || r.errField() != "submitted_at" {
		t.Fatalf("6 minutes ahead: %d %v", r.Status, r.Body)
	}
	r := ahead(4 * time.Minute)
	if r.Status != 201 {
		t.Fatalf("4 minutes ahead: %d %v", r.Status, r.Body)
	}
	got, err := m.DB.ResponseByID(r.Body["id"].(string))
	if err != nil || got.SubmittedAt.After(got.ReceivedAt) {
		t.Fatalf("a clock 4 minutes fast stored as %+v %v", got, err)
	}
	if v := metric(t, base, `hailong_responses_refused_total{reason="submitted_at"}`); v != fmt.Sprint(refused+1) {
		t.Fatalf("refusals counted %q, want %d", v, refused+1)
	}
	if ok, err := m.DB.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild (%v)", err)
	}
}

// Within the window, a burst posted in about a second with dates spread
// over six days is a burst: flagged misuse for a token and for a kiosk,
// and excluded from the default counts.
func TestMisuseBurstByReceiveTime(t *testing.T) {
	dir, reception, _ := setup(t)
	var k struct{ ID, PairURL string }
	out := mustCLI(t, "", "kiosk", "add", "--data", dir, "--unit", "so-cong-thuong", "--name", "Quầy 1")
	if err := json.Unmarshal([]byte(strings.Replace(out, "pair_url", "PairURL", 1)), &k); err != nil {
		t.Fatal(out)
	}
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	jar, _ := cookiejar.New(nil)
	device := &http.Client{Jar: jar}
	pairDevice(t, device, base, k.PairURL).Body.Close()
	now := time.Now()
	for _, who := range []struct {
		name   string
		client *http.Client
		token  string
	}{{"token", http.DefaultClient, reception}, {"kiosk", device, ""}} {
		start := time.Now()
		var ids []string
		for i := range 6 {
			at := now.Add(-time.Duration(i) * 25 * time.Hour).Format(time.RFC3339)
			body := fmt.Sprintf(`{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":5},"submitted_at":%q}`, at)
			if who.name == "kiosk" {
				body = fmt.Sprintf(`{"answers":{"overall":5},"submitted_at":%q}`, at)
			}
			r := post(t, who.client, base+"/api/v1/responses", who.token, "application/json", []byte(body))
			if r.Status != 201 {
				t.Fatalf("%s %d: %d %v", who.name, i, r.Status, r.Body)
			}
			ids = append(ids, r.Body["id"].(string))
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Skipf("the burst took %v, longer than the misuse interval", d)
		}
		for i, id := range ids {
			got, err := m.DB.ResponseByID(id)
			if err != nil {
				t.Fatal(err)
			}
			if misuse := got.Flags&survey.FlagMisuse != 0; misuse != (i > 0) {
				t.Errorf("%s answer %d (dated %s, received %s): misuse=%v", who.name, i+1,
					got.SubmittedAt.Format(time.DateTime), got.ReceivedAt.Format("15:04:05.000"), misuse)
			}
		}
	}
	q := survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-cong-thuong"}, From: now.AddDate(0, 0, -7), To: now}
	counts, _ := m.DB.Count(q)
	if c := counts[""]; c == nil || c.Responses != 2 {
		t.Fatalf("default counts (misuse excluded): %+v", counts[""])
	}
	if ok, err := m.DB.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild (%v)", err)
	}
}

var batchRE = regexp.MustCompile(`"batch":"([0-9]+)"`)

// An import of responses is a batch: listed by the CLI and the admin page,
// withdrawn as a whole (CLI and page), after which the responses are gone,
// 'reindex --check' passes and the audit log says who withdrew it and why.
func TestImportBatchesCLIAndPage(t *testing.T) {
	dir, _, _ := setup(t)
	csv := filepath.Join(dir, "giay-2024.csv")
	content := "submitted_at,unit,channel,survey,overall,facilities\n" +
		"2024-03-01,so-cong-thuong,paper,quay,5,4\n2024-03-02 10:00,so-tu-phap,paper,quay,2,1\n2019-01-05,so-cong-thuong,paper,quay,4,\n"
	if err := os.WriteFile(csv, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, "", "import", "responses", "--data", dir, "--actor", "ops", csv)
	mm := batchRE.FindStringSubmatch(out)
	if mm == nil || !strings.Contains(out, `"imported":3`) {
		t.Fatalf("import printed %s", out)
	}
	first := mm[1]
	var list struct{ Batches []survey.ImportBatch }
	if err := json.Unmarshal([]byte(mustCLI(t, "", "import", "batches", "--data", dir)), &list); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	if len(list.Batches) != 1 || list.Batches[0].ID != first || list.Batches[0].Actor != "ops" || list.Batches[0].Rows != 3 ||
		list.Batches[0].SHA256 != hex.EncodeToString(sum[:]) || list.Batches[0].FirstDay != "2019-01-05" || list.Batches[0].LastDay != "2024-03-02" {
		t.Fatalf("batches %+v", list.Batches)
	}
	if _, err := cli(t, "", "import", "withdraw", "--data", dir, "--batch", first); err == nil {
		t.Fatal("a withdrawal without a reason succeeded")
	}
	out = mustCLI(t, "", "import", "withdraw", "--data", dir, "--batch", first, "--reason", "Nhập nhầm năm", "--actor", "ops")
	if !strings.Contains(out, `"status":"withdrawn"`) {
		t.Fatalf("withdraw printed %s", out)
	}
	if _, err := cli(t, "", "import", "withdraw", "--data", dir, "--batch", first, "--reason", "again"); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("a second withdrawal: %v", err)
	}
	if out := mustCLI(t, "", "reindex", "--data", dir, "--check"); !strings.Contains(out, `"consistent":true`) {
		t.Fatalf("reindex --check: %s", out)
	}
	// Again, without --actor (the OS user), then withdrawn from the page.
	out = mustCLI(t, "", "import", "responses", "--data", dir, csv)
	second := batchRE.FindStringSubmatch(out)[1]
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	if n := m.DB.ResponseCount(); n != 3 {
		t.Fatalf("%d responses after the second import", n)
	}
	b, _ := m.DB.Batch(second)
	if !strings.HasPrefix(b.Actor, "cli:") {
		t.Fatalf("actor without --actor: %q", b.Actor)
	}
	adm := loginAs(t, m, "quantri", survey.RoleAdmin, "")
	res, err := adm.client.Get(base + "/admin/imports")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"giay-2024.csv", `action="/admin/imports/` + second + `/withdraw"`, "Nhập nhầm năm", "ops"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("imports page lacks %q", want)
		}
	}
	mgr := loginAs(t, m, "giamdoc", survey.RoleManager, "so-cong-thuong")
	if r := mgr.call(t, base, "POST", "/admin/imports/"+second+"/withdraw", url.Values{"reason": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a manager withdrew: %d", r.StatusCode)
	}
	if r := adm.call(t, base, "POST", "/admin/imports/"+second+"/withdraw", url.Values{"reason": {"Tệp trùng"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw from the page: %d", r.StatusCode)
	}
	if n := m.DB.ResponseCount(); n != 0 {
		t.Fatalf("%d responses after withdrawing both batches", n)
	}
	if ok, err := m.DB.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild (%v)", err)
	}
	seen := map[string]bool{}
	for _, e := range m.DB.AuditLog(50, time.Time{}) {
		if strings.HasPrefix(e.Action, "import.") {
			seen[e.Action+" "+e.Target+" "+e.Actor] = true
		}
	}
	for _, want := range []string{"import.responses " + first + " ops", "import.withdraw " + first + " ops", "import.withdraw " + second + " quantri"} {
		if !seen[want] {
			t.Errorf("no audit entry %q in %v", want, seen)
		}
	}
}
