package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hailong/survey"
	"hailong/survey/pg/pgtest"
)

// TestMigrateCarriesSecrets copies a running installation to a new bbolt
// file with `hailong migrate` and serves the copy: the password hashes,
// API tokens, kiosk device keys, receipt tokens (answered and not),
// idempotency keys and reclassified flags all work there as they did, and
// so do the cases, their contacts and rating links, holidays, webhooks and
// pending deliveries (migrate_cases_test.go),
// the checks print what they compared, and a second copy into the now
// non-empty target is refused without --force.
func TestMigrateCarriesSecrets(t *testing.T) {
	e := newReceiptEnv(t)
	answered, open := e.issue(receiptBody("HS-MIG-1")), e.issue(receiptBody("HS-MIG-2"))
	if p := e.form(answered.SurveyURL, url.Values{"lang": {"vi"}, "c.overall": {"4"}, "c.staff_attitude": {"5"}, "c.online_speed": {"na"},
		"f.tt01_contacts": {"0"}, "f.tt01_complaint": {"0"}}); p.Status != 200 {
		t.Fatalf("answering a receipt: %d", p.Status)
	}
	const id = "0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a09"
	body := `{"id":"` + id + `","survey":"quay","unit":"sct-van-phong","answers":{"overall":2}}`
	if r := post(t, http.DefaultClient, e.base+"/api/v1/responses", e.reception, "application/json", []byte(body)); r.Status != 201 {
		t.Fatalf("submit: %d %v", r.Status, r.Body)
	}
	if err := e.m.DB.SetResponseFlags(id, survey.FlagUnverified, "cli:test", "thử chuyển dữ liệu"); err != nil {
		t.Fatal(err)
	}
	if err := e.m.DB.CreateUser(survey.User{Username: "lan", Role: survey.RoleManager}, "mat-khau-cua-lan"); err != nil {
		t.Fatal(err)
	}
	if resp, err := e.kiosk.Get(e.base + "/kiosk/state.json"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the paired kiosk before: %v %v", resp, err)
	}
	mc := addMigCases(t, e.m.DB)
	e.m.Close()

	for _, to := range []string{"bbolt", "PostgreSQL"} {
		t.Run(to, func(t *testing.T) { migrateAndServe(t, e, to == "PostgreSQL", id, body, answered, open, mc) })
	}
}

// migrateAndServe copies e's installation to a new store of either kind
// and checks what TestMigrateCarriesSecrets says, on the copy.
func migrateAndServe(t *testing.T, e *receiptEnv, toPG bool, id, body string, answered, open issued, mc migCases) {
	target := filepath.Join(t.TempDir(), "copy")
	if toPG {
		target = pgtest.Cluster(t)
	}
	from := e.dir
	if onPostgres {
		from = testAddr(t, e.dir)
	}
	out, err := cli(t, "", "migrate", "--from", from, "--to", target)
	if err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^response +3 `).MatchString(out) {
		t.Errorf("migrate printed no count of responses:\n%s", out)
	}
	for _, want := range []string{"checked: response count 3, idempotency keys 3", "count queries", "CheckAgg", "checked: 1 logins, 3 API tokens, 1 kiosks",
		"raw responses chosen at random", fmt.Sprintf("checked: 3 cases field by field, 1 contacts, %d holidays, 1 webhooks, deliveries by state map[pending:6]", len(mc.holidays)), "OK: the target holds what the source holds"} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate printed no %q:\n%s", want, out)
		}
	}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: target, TZ: "Asia/Ho_Chi_Minh"}, Log: slog.New(slog.DiscardHandler)}
	if toPG {
		m.Config.Data, m.Config.DB = t.TempDir(), target
	}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Addr
	t.Run("IdempotencyAndFlags", func(t *testing.T) {
		if r := post(t, http.DefaultClient, base+"/api/v1/responses", e.reception, "application/json", []byte(body)); r.Status != 200 {
			t.Fatalf("the same id again on the copy: %d %v (the API token or the idempotency key was not carried)", r.Status, r.Body)
		}
		r, err := m.DB.ResponseByID(id)
		if err != nil || r.Flags&survey.FlagUnverified == 0 || r.Flags&survey.FlagReclassified == 0 {
			t.Fatalf("the reclassified response on the copy: %+v %v", r, err)
		}
	})
	t.Run("Login", func(t *testing.T) {
		if res, _ := newLoginClient(t, base).post(t, "lan", "mat-khau-cua-lan", ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with the old password on the copy: %d", res.StatusCode)
		}
	})
	t.Run("Receipts", func(t *testing.T) {
		copyURL := func(u string) string { return base + u[strings.Index(u, "/r/"):] }
		if p := e.get(copyURL(open.SurveyURL), ""); p.Status != 200 {
			t.Fatalf("an open receipt on the copy: %d", p.Status)
		}
		again := e.form(copyURL(answered.SurveyURL), url.Values{"lang": {"vi"}, "c.overall": {"1"}, "c.staff_attitude": {"1"}, "c.online_speed": {"na"}})
		if again.Status != 409 {
			t.Fatalf("an answered receipt answered again on the copy: %d", again.Status)
		}
	})
	t.Run("Kiosk", func(t *testing.T) {
		resp, err := e.kiosk.Get(base + "/kiosk/state.json")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("the paired kiosk on the copy: %v %v", resp, err)
		}
		resp.Body.Close()
	})
	checkMigCases(t, m, base, mc)
	m.Close()
	t.Run("RefusesNonEmpty", func(t *testing.T) {
		print := func() string {
			c := &Config{Data: target}
			if toPG {
				c = &Config{DB: target}
			}
			db, err := cliStore(c, false)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			return fingerprint(t, db)
		}
		before := print()
		_, err := cli(t, "", "migrate", "--from", from, "--to", target)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("a second copy into the copy: %v", err)
		}
		if after := print(); after != before {
			t.Fatalf("the refused copy changed the target:\n%s\n%s", before, after)
		}
	})

}
