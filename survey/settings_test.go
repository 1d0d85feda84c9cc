package survey_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

func TestDefaultSettingsValid(t *testing.T) {
	if err := survey.DefaultSettings().Validate(); err != nil {
		t.Fatal(err)
	}
	if s := survey.SettingsFrom(func(string) string { return "" }); !reflect.DeepEqual(s, survey.DefaultSettings()) {
		t.Fatalf("nothing stored: %+v", s)
	}
}

func TestSettingsProblems(t *testing.T) {
	for _, c := range []struct {
		name, field string
		edit        func(s *survey.Settings)
	}{
		{"ErrMethod", "analytics.method", func(s *survey.Settings) { s.Analytics.Method = "median" }},
		{"ErrMinN", "analytics.min_n", func(s *survey.Settings) { s.Analytics.MinN = 10001 }},
		{"ErrAlertDays", "analytics.alert_days", func(s *survey.Settings) { s.Analytics.AlertDays = 0 }},
		{"ErrAlertNegative", "analytics.alert_negative", func(s *survey.Settings) { s.Analytics.AlertNegative = 100 }},
		{"ErrActionWindow", "analytics.action_window_days", func(s *survey.Settings) { s.Analytics.ActionWindowDays = 6 }},
		{"ErrMisuse", "kiosk.misuse_interval", func(s *survey.Settings) { s.Kiosk.MisuseInterval = 11 * time.Minute }},
		{"ErrKioskIdle", "kiosk.idle", func(s *survey.Settings) { s.Kiosk.Idle = time.Hour + time.Second }},
		{"ErrKioskThanks", "kiosk.thanks", func(s *survey.Settings) { s.Kiosk.Thanks = 0 }},
		{"ErrKioskPartial", "kiosk.partial", func(s *survey.Settings) { s.Kiosk.Partial = "submit" }},
		{"ErrReceiptDays", "receipts.expiry_days", func(s *survey.Settings) { s.Receipts.ExpiryDays = survey.MaxReceiptDays + 1 }},
		{"ErrSessionIdle", "sessions.idle", func(s *survey.Settings) { s.Sessions.Idle = 4 * time.Minute }},
		{"ErrSessionMax", "sessions.max", func(s *survey.Settings) { s.Sessions.Max = 721 * time.Hour }},
		{"ErrSessionMaxBelowIdle", "sessions.max", func(s *survey.Settings) { s.Sessions.Idle, s.Sessions.Max = 20*time.Hour, 10*time.Hour }},
		{"ErrRetention", "retention.comment_days", func(s *survey.Settings) { s.Retention.CommentDays = 29 }},
		{"ErrReportPlace", "report.place", func(s *survey.Settings) { s.Report.Place = "Khánh\nHòa" }},
		{"ErrReportSigner", "report.signer", func(s *survey.Settings) { s.Report.Signer = strings.Repeat("Ư", 201) }},
		{"ErrPublishFrom", "publish.from", func(s *survey.Settings) { s.Publish.From, _ = survey.ParseDay("1999-12-31") }},
		{"ErrPublishGroups", "publish.groups", func(s *survey.Settings) { s.Publish.Groups = []string{"a,b"} }},
		{"ErrPublishExclude", "publish.exclude", func(s *survey.Settings) { s.Publish.Exclude = []string{""} }},
		{"ErrOrigin", "publish.origins", func(s *survey.Settings) { s.Publish.Origins = []string{"https://Portal.example.vn"} }},
		{"ErrOrigins", "publish.origins", func(s *survey.Settings) {
			for i := 0; i <= survey.MaxOrigins; i++ {
				s.Publish.Origins = append(s.Publish.Origins, "https://p"+strings.Repeat("x", i+1)+".example.vn")
			}
		}},
		{"ErrPublicURL", "public_url", func(s *survey.Settings) { s.PublicURL = "https://a b" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := survey.DefaultSettings()
			c.edit(&s)
			ps := s.Problems()
			if len(ps) != 1 || ps[0].Code != survey.EINVALID || ps[0].Field != c.field || ps[0].Message == "" {
				t.Fatalf("problems %v, want one on %s", ps, c.field)
			}
			if err := s.Validate(); err != ps[0] && err.Error() != ps[0].Error() {
				t.Errorf("Validate %v", err)
			}
		})
	}
	t.Run("AllAtOnce", func(t *testing.T) {
		s := survey.DefaultSettings()
		s.Analytics.MinN, s.Kiosk.Idle, s.Sessions.Idle = 0, 0, 0
		var fields []string
		for _, p := range s.Problems() {
			fields = append(fields, p.Field)
		}
		if want := []string{"analytics.min_n", "kiosk.idle", "sessions.idle"}; !reflect.DeepEqual(fields, want) {
			t.Errorf("fields %v, want %v", fields, want)
		}
	})
	t.Run("Bounds", func(t *testing.T) {
		s := survey.DefaultSettings()
		s.Analytics.MinN, s.Retention.CommentDays, s.Kiosk.MisuseInterval = survey.MaxMinN, 0, survey.MaxMisuseInterval
		s.Sessions = survey.SessionPolicy{Idle: 5 * time.Minute, Max: 5 * time.Minute}
		if ps := s.Problems(); len(ps) != 1 || ps[0].Field != "sessions.max" { // a maximum below 1 h
			t.Errorf("problems %v", ps)
		}
		s.Sessions = survey.SessionPolicy{Idle: 24 * time.Hour, Max: 24 * time.Hour}
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestSettingsFrom(t *testing.T) {
	stored := func(kv map[string]string) survey.Settings {
		return survey.SettingsFrom(func(k string) string { return kv[k] })
	}
	def := survey.DefaultSettings()
	for _, c := range []struct {
		name string
		kv   map[string]string
		want func(s *survey.Settings)
	}{
		{"Seconds", map[string]string{"kiosk_idle": "45", "kiosk_thanks": "2.5", "misuse_interval": "7"}, func(s *survey.Settings) {
			s.Kiosk.Idle, s.Kiosk.Thanks, s.Kiosk.MisuseInterval = 45*time.Second, 2500*time.Millisecond, 7*time.Second
		}},
		{"GoDurations", map[string]string{"kiosk_idle": "1m", "session_idle": "30m0s", "session_max": "8h"}, func(s *survey.Settings) {
			s.Kiosk.Idle, s.Sessions.Idle, s.Sessions.Max = time.Minute, 30*time.Minute, 8*time.Hour
		}},
		{"Malformed", map[string]string{"min_n": "abc", "alert_negative": "x", "session_idle": "60", "index_method": "median", "publish_from": "2025-13-01"}, nil},
		{"OutOfBounds", map[string]string{"min_n": "0", "misuse_interval": "11m", "kiosk_thanks": "61s", "comment_retention_days": "7", "action_window_days": "366", "publish_from": "1999-12-31"}, nil},
		{"MaxBelowIdle", map[string]string{"session_idle": "20h"}, func(s *survey.Settings) { s.Sessions = survey.SessionPolicy{Idle: 20 * time.Hour, Max: 20 * time.Hour} }},
		{"Flags", map[string]string{"publish_enabled": "1", "publish_staff": "yes"}, func(s *survey.Settings) { s.Publish.Enabled = true }},
		{"Lists", map[string]string{"publish_groups": "a, b,,a", "publish_exclude": "c\nd", "publish_origins": "https://A.example.vn:443 ftp://x https://b.example.vn:8443/"},
			func(s *survey.Settings) {
				s.Publish.Groups, s.Publish.Exclude = []string{"a", "b"}, []string{"c", "d"}
				s.Publish.Origins = []string{"https://a.example.vn", "https://b.example.vn:8443"}
			}},
		{"Text", map[string]string{"report_place": "Khánh Hòa", "report_signer": "GIÁM ĐỐC", "public_url": "http://10.0.0.5:8080"}, func(s *survey.Settings) {
			s.Report, s.PublicURL = survey.ReportSettings{Place: "Khánh Hòa", Signer: "GIÁM ĐỐC"}, "http://10.0.0.5:8080"
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := survey.DefaultSettings()
			if c.want != nil {
				c.want(&want)
			}
			got := stored(c.kv)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("read settings invalid: %v", err)
			}
		})
	}
	t.Run("RoundTrip", func(t *testing.T) {
		s := def
		s.Analytics.AlertNegative, s.Publish.From = 12.5, 20000
		s.Publish.Groups, s.Publish.Origins = []string{"khoi-so"}, []string{"https://portal.example.vn"}
		kv := s.Stored()
		if got := stored(kv); !reflect.DeepEqual(got, s) {
			t.Errorf("got  %+v\nwant %+v", got, s)
		}
		if kv["publish_from"] != "2024-10-04" || kv["publish_enabled"] != "" || kv["alert_negative"] != "12.5" || kv["session_idle"] != "1h0m0s" {
			t.Errorf("stored %v", kv)
		}
	})
}

func TestParseOrigin(t *testing.T) {
	good := map[string]string{
		"https://congkhai.khanhhoa.gov.vn":     "https://congkhai.khanhhoa.gov.vn",
		" HTTPS://Sct.KhanhHoa.gov.vn/ ":       "https://sct.khanhhoa.gov.vn",
		"https://portal.example.vn:8443":       "https://portal.example.vn:8443",
		"https://portal.example.vn:443":        "https://portal.example.vn",
		"https://xn--thnh-ph-5ta6i.example.vn": "https://xn--thnh-ph-5ta6i.example.vn",
	}
	for in, want := range good {
		if got, ok := survey.ParseOrigin(in); !ok || got != want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "http://portal.example.vn", "https://*.gov.vn", "https://portal.example.vn/path",
		"https://portal.example.vn?x=1", "https://user@portal.example.vn", "https://portal.example.vn:0", "https://portal.example.vn:99999",
		"https://portal example.vn", "https://portal.example.vn;script-src", "'self'", "*", "https://", "javascript:alert(1)",
		"https://portal.example.vn#x", "https://-bad.example.vn", "https://[::1]"} {
		if got, ok := survey.ParseOrigin(bad); ok {
			t.Errorf("ParseOrigin(%q) accepted as %q", bad, got)
		}
	}
}
