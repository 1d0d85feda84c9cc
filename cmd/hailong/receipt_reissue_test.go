package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A re-issued receipt (a reprinted slip) never moves a dossier's dates: a
// finished, late dossier stays late, the timeliness figures stay, and the
// re-issue is in the audit log (issue 13, finding 5).
func TestReceiptReissueKeepsDossier(t *testing.T) {
	e := newReceiptEnv(t)
	today := time.Now().In(mustZone(t))
	d := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	reqBody := func(received, due, extra string) []byte {
		return []byte(`{"dossier_code":"HS-TRE","unit":"so-cong-thuong","received_at":"` + received + `","due_at":"` + due + `"` + extra + `}`)
	}
	issue := func(b []byte) apiResult {
		return post(t, http.DefaultClient, e.base+"/api/v1/receipts", e.reception, "application/json", b)
	}
	if r := issue(reqBody(d(-10), d(-5), `,"procedure":"1.004227","staff":"nv-a"`)); r.Status != 201 {
		t.Fatalf("issue: %d %v", r.Status, r.Body)
	}
	first, _ := e.m.DB.Dossier("HS-TRE")
	if r := post(t, http.DefaultClient, e.base+"/api/v1/dossiers/HS-TRE/finish", e.reception, "application/json",
		[]byte(`{"finished_at":"`+d(-2)+`"}`)); r.Status != 200 || r.Body["outcome"] != "late" {
		t.Fatalf("finish: %d %v", r.Status, r.Body)
	}
	figures := timelinessOf(t, e, d(-30), d(0))
	if figures["late"] != 1.0 || figures["early"] != 0.0 {
		t.Fatalf("timeliness before: %v", figures)
	}
	for _, c := range []struct{ name, body, field string }{
		{"NewDueDate", string(reqBody(d(-10), d(5), "")), "due_at"},
		{"NewReceivedDate", string(reqBody(d(-1), d(5), "")), "received_at"},
		{"NewProcedure", string(reqBody(d(-10), d(-5), `,"procedure":"2.000001"`)), "procedure"},
		{"NewStaff", string(reqBody(d(-10), d(-5), `,"staff":"nv-b"`)), "staff"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := issue([]byte(c.body))
			e, _ := r.Body["error"].(map[string]any)
			msg, _ := e["message"].(string)
			if r.Status != 409 || r.errField() != c.field || !strings.Contains(msg, "HS-TRE") {
				t.Fatalf("re-issue with a new %s: %d %v, want 409 naming the field", c.field, r.Status, r.Body)
			}
		})
	}
	// A reprint with the stored dates (procedure and staff left out) is fine.
	r := issue(reqBody(d(-10), d(-5), ""))
	if r.Status != 201 {
		t.Fatalf("reprint: %d %v", r.Status, r.Body)
	}
	got, _ := e.m.DB.Dossier("HS-TRE")
	if !got.ReceivedAt.Equal(first.ReceivedAt) || !got.DueAt.Equal(first.DueAt) || got.Procedure != "1.004227" ||
		got.Staff != "nv-a" || got.FinishedAt.IsZero() || got.Outcome(mustZone(t)).String() != "late" {
		t.Fatalf("dossier after the re-issues: %+v", got)
	}
	if after := timelinessOf(t, e, d(-30), d(0)); !reflect.DeepEqual(after, figures) {
		t.Fatalf("timeliness changed:\n before %v\n after  %v", figures, after)
	}
	var reissues []string
	for _, a := range e.m.DB.AuditLog(50, time.Time{}) {
		if a.Action == "receipt.reissue" {
			reissues = append(reissues, a.Actor+" "+a.Target+" "+a.Detail)
		}
	}
	if len(reissues) != 1 || !strings.Contains(reissues[0], "HS-TRE") || !strings.Contains(reissues[0], "old token revoked") ||
		!strings.HasPrefix(reissues[0], "token:") {
		t.Fatalf("audit entries for re-issues: %q", reissues)
	}
}

// timelinessOf reads the timeliness API for so-cong-thuong as the viewer.
func timelinessOf(t *testing.T, e *receiptEnv, from, to string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", e.base+"/api/v1/analytics/timeliness?unit=so-cong-thuong&from="+url.QueryEscape(from)+"&to="+url.QueryEscape(to), nil)
	req.Header.Set("Authorization", "Bearer "+e.viewer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("timeliness: %d %s", resp.StatusCode, raw)
	}
	return m
}
