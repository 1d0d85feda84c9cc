package admin_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"hailong/analytics"
	"hailong/analytics/engine"
	"hailong/survey"
)

func goodSettings() url.Values {
	return url.Values{"method": {"pooled"}, "min_n": {"50"}, "misuse": {"8"}, "receipt_days": {"120"}, "session_idle": {"30m"},
		"session_max": {"10h"}, "kiosk_idle": {"45"}, "kiosk_thanks": {"4"}, "kiosk_partial": {"discard"}, "retention": {"730"},
		"window": {"3"}, "deadline_days": {"15"}, "contact_days": {"60"}}
}

func TestSettingsSave(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	_, body := adm.get("/admin/settings")
	v := formValues(t, body, "/admin/settings")
	want := url.Values{"method": {"share45"}, "min_n": {"30"}, "misuse": {"5"}, "receipt_days": {"90"}, "session_idle": {"1h"},
		"session_max": {"12h"}, "kiosk_idle": {"30"}, "kiosk_thanks": {"6"}, "kiosk_partial": {"keep"}, "retention": {"0"}, "window": {"7"},
		"deadline_days": {"10"}, "contact_days": {"30"}}
	for k := range want {
		if v.Get(k) != want.Get(k) {
			t.Errorf("default %s = %q, want %q", k, v.Get(k), want.Get(k))
		}
	}
	if st, _ := adm.post("/admin/settings", goodSettings()); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	set := s.DB.Settings()
	if c := analytics.ConfigFrom(s.DB); c.Method != engine.MethodPooled || c.MinN != 50 {
		t.Errorf("analytics config %+v", c)
	}
	if n := set.Receipts.ExpiryDays; n != 120 {
		t.Errorf("receipt expiry %d", n)
	}
	if p := set.Sessions; p.Idle != 30*time.Minute || p.Max != 10*time.Hour {
		t.Errorf("session policy %+v", p)
	}
	if k := set.Kiosk; k.Idle != 45*time.Second || k.Thanks != 4*time.Second || k.Partial != survey.PartialDiscard || k.MisuseInterval != 8*time.Second {
		t.Errorf("kiosk settings %+v", k)
	}
	if set.Submissions.WindowDays != 3 || set.Stored()["submission_window_days"] != "3" {
		t.Errorf("submission window %+v", set.Submissions)
	}
	if set.Retention.CommentDays != 730 || set.Stored()["comment_retention_days"] != "730" {
		t.Errorf("retention %+v", set.Retention)
	}
	if set.Cases.DeadlineDays != 15 || set.Retention.ContactDays != 60 {
		t.Errorf("cases: deadline %d, contact retention %d", set.Cases.DeadlineDays, set.Retention.ContactDays)
	}
	if got := s.DB.ReceiptExpiry(time.Date(2026, 1, 1, 9, 0, 0, 0, s.DB.Loc())); !got.Equal(time.Date(2026, 5, 2, 0, 0, 0, 0, s.DB.Loc())) {
		t.Errorf("receipt expiry in force: %v", got)
	}
	_, body = adm.get("/admin/settings?ok=settings")
	mustContain(t, "after", body, `value="pooled" selected`, `value="10h"`, "Đã lưu cài đặt")
	e := s.DB.AuditLog(1, zeroTime)
	if len(e) != 1 || e[0].Action != "settings.update" || !strings.Contains(e[0].Detail, "min_n: 30 → 50") || !strings.Contains(e[0].Detail, "kiosk_partial: keep → discard") {
		t.Errorf("audit %+v", e)
	}
}

func TestSettingsInvalid(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	cases := map[string]string{
		"method": "median", "min_n": "0", "misuse": "601", "receipt_days": "99999", "session_idle": "1 hour",
		"session_max": "2000h", "kiosk_idle": "-1", "kiosk_thanks": "61", "kiosk_partial": "maybe", "retention": "10",
		"window": "31", "deadline_days": "61", "contact_days": "0",
	}
	for field, bad := range cases {
		t.Run(field, func(t *testing.T) {
			v := goodSettings()
			v.Set(field, bad)
			v.Set("min_n", "<b>40</b>") // every wrong field is reported, with its input kept
			st, body := adm.post("/admin/settings", v)
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", st)
			}
			mustContain(t, field, body, `href="#`+field+`"`, `id="`+field+`-error"`, `href="#min_n"`, "&lt;b&gt;40&lt;/b&gt;")
		})
	}
	v := goodSettings()
	v.Set("session_idle", "3h")
	v.Set("session_max", "2h")
	if st, body := adm.post("/admin/settings", v); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="session_max-error"`) {
		t.Errorf("max shorter than idle: %d", st)
	}
	if set := s.DB.Settings(); !reflect.DeepEqual(set, survey.DefaultSettings()) {
		t.Errorf("stored after invalid input: %+v", set)
	}
}
