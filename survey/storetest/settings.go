package storetest

import (
	"reflect"
	"testing"
	"time"

	"hailong/survey"
)

// changed is a valid Settings with every group changed from the default.
func changed() survey.Settings {
	s := survey.DefaultSettings()
	s.Sessions = survey.SessionPolicy{Idle: 30 * time.Minute, Max: 10 * time.Hour}
	s.Kiosk = survey.KioskSettings{Idle: 45 * time.Second, Thanks: 4 * time.Second, Partial: survey.PartialDiscard, MisuseInterval: time.Minute}
	s.Receipts.ExpiryDays = 30
	s.Retention.CommentDays = 730
	s.Analytics = survey.AnalyticsSettings{Method: "pooled", MinN: 50, AlertDays: 14, AlertNegative: 12.5, ActionWindowDays: 30}
	s.Report = survey.ReportSettings{Place: "Khánh Hòa", Signer: "Giám đốc"}
	s.Publish = survey.PublishSettings{Enabled: true, From: 20454, Groups: []string{"khoi-so"}, Exclude: []string{"so-b"},
		Staff: true, Origins: []string{"https://congkhai.example.gov.vn"}}
	s.PublicURL = "https://hailong.example.gov.vn"
	return s
}

var settingsCases = []testCase{
	{"Settings/Default", func(t *testing.T, e *env) {
		if got := e.Settings(); !reflect.DeepEqual(got, survey.DefaultSettings()) {
			t.Fatalf("new store: %+v", got)
		}
	}},
	{"SaveSettings", func(t *testing.T, e *env) {
		want := changed()
		must(t, e.SaveSettings(want))
		if got := e.Settings(); !reflect.DeepEqual(got, want) {
			t.Fatalf("read back:\n got %+v\nwant %+v", got, want)
		}
		// Only what differs is written: saving what was read changes nothing.
		must(t, e.SaveSettings(e.Settings()))
		if got := e.Settings(); !reflect.DeepEqual(got, want) {
			t.Fatalf("saved again: %+v", got)
		}
	}},
	{"SaveSettings/Copy", func(t *testing.T, e *env) {
		must(t, e.SaveSettings(changed()))
		s := e.Settings()
		s.Publish.Groups[0] = "khac"
		equal(t, "cached group", e.Settings().Publish.Groups[0], "khoi-so")
	}},
	{"SaveSettings/MisuseInForce", func(t *testing.T, e *env) {
		e.org(t)
		kiosk := func() *survey.Response {
			r := e.response()
			r.Channel, r.Kiosk, r.Counter, r.SubmittedAt = survey.ChannelKiosk, "k-a1", "a-q1", e.clock.Now()
			return e.submit(t, r)
		}
		flagged := func(r *survey.Response) bool {
			got, err := e.ResponseByID(r.ID)
			must(t, err)
			return got.Flags&survey.FlagMisuse != 0
		}
		kiosk()
		e.clock.Add(30 * time.Second)
		if flagged(kiosk()) {
			t.Fatal("30 s apart flagged under the default interval")
		}
		s := e.Settings()
		s.Kiosk.MisuseInterval = time.Minute
		must(t, e.SaveSettings(s))
		e.clock.Add(30 * time.Second)
		if !flagged(kiosk()) {
			t.Fatal("30 s apart not flagged once the interval is a minute")
		}
	}},
	{"SaveSettings/ErrInvalid", func(t *testing.T, e *env) {
		must(t, e.SaveSettings(changed()))
		for field, edit := range map[string]func(s *survey.Settings){
			"sessions.max":          func(s *survey.Settings) { s.Sessions.Max = 20 * time.Minute },
			"kiosk.partial":         func(s *survey.Settings) { s.Kiosk.Partial = "" },
			"kiosk.misuse_interval": func(s *survey.Settings) { s.Kiosk.MisuseInterval = 0 },
			"analytics.method":      func(s *survey.Settings) { s.Analytics.Method = "median" },
			"receipts.expiry_days":  func(s *survey.Settings) { s.Receipts.ExpiryDays = 0 },
			"publish.origins":       func(s *survey.Settings) { s.Publish.Origins = []string{"http://a.example.vn"} },
		} {
			s := e.Settings()
			s.Analytics.MinN = 99 // valid, and not stored either
			edit(&s)
			wantErr(t, e.SaveSettings(s), survey.EINVALID, field)
		}
		if got := e.Settings(); !reflect.DeepEqual(got, changed()) {
			t.Fatalf("a refused save changed the settings: %+v", got)
		}
	}},
	{"ClientKey", func(t *testing.T, e *env) {
		k, err := e.ClientKey()
		must(t, err)
		if len(k) < 32 {
			t.Fatalf("key %q", k)
		}
		again, err := e.ClientKey()
		must(t, err)
		equal(t, "second call", again, k)
	}},
}
