package bolt_test

import (
	"reflect"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
)

// everySetting changes every setting from its default.
func everySetting() survey.Settings {
	s := survey.DefaultSettings()
	s.Sessions = survey.SessionPolicy{Idle: 30 * time.Minute, Max: 10 * time.Hour}
	s.Kiosk = survey.KioskSettings{Idle: 45 * time.Second, Thanks: 4 * time.Second, Partial: survey.PartialDiscard, MisuseInterval: 8 * time.Second}
	s.Receipts.ExpiryDays = 30
	s.Retention.CommentDays = 730
	s.Analytics = survey.AnalyticsSettings{Method: "pooled", MinN: 50, AlertDays: 14, AlertNegative: 12.5, ActionWindowDays: 30}
	s.Report = survey.ReportSettings{Place: "Khánh Hòa", Signer: "Giám đốc"}
	from, _ := survey.ParseDay("2025-03-01")
	s.Publish = survey.PublishSettings{Enabled: true, From: from, Groups: []string{"khoi-so", "khoi-xa"}, Exclude: []string{"so-b"},
		Staff: true, Origins: []string{"https://congkhai.example.gov.vn", "https://portal.example.vn:8443"}}
	s.PublicURL = "https://hailong.example.gov.vn"
	return s
}

func TestSettings(t *testing.T) {
	db := MustOpen(t)
	if got := db.Settings(); !reflect.DeepEqual(got, survey.DefaultSettings()) {
		t.Fatalf("new database: %+v", got)
	}
	if bolt.MisuseInForce(db) != 5*time.Second {
		t.Fatalf("misuse interval %v", bolt.MisuseInForce(db))
	}
	want := everySetting()
	if err := db.SaveSettings(want); err != nil {
		t.Fatal(err)
	}
	if got := db.Settings(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after save:\n got %+v\nwant %+v", got, want)
	}
	if bolt.MisuseInForce(db) != 8*time.Second {
		t.Errorf("misuse interval not applied at once: %v", bolt.MisuseInForce(db))
	}

	t.Run("Copy", func(t *testing.T) {
		s := db.Settings()
		s.Publish.Groups[0] = "changed"
		if db.Settings().Publish.Groups[0] != "khoi-so" {
			t.Fatal("Settings shares its slices with the cache")
		}
	})

	t.Run("StoredFormat", func(t *testing.T) {
		// The keys and texts of the untyped settings, so that older
		// databases and older binaries read the same values.
		for k, v := range map[string]string{
			"session_idle": "30m0s", "session_max": "10h0m0s", "kiosk_idle": "45s", "kiosk_thanks": "4s", "kiosk_partial": "discard",
			"misuse_interval": "8s", "receipt_expiry_days": "30", "comment_retention_days": "730", "index_method": "pooled", "min_n": "50",
			"alert_days": "14", "alert_negative": "12.5", "action_window_days": "30", "report_place": "Khánh Hòa", "report_signer": "Giám đốc",
			"publish_enabled": "1", "publish_from": "2025-03-01", "publish_groups": "khoi-so,khoi-xa", "publish_exclude": "so-b",
			"publish_staff": "1", "publish_origins": "https://congkhai.example.gov.vn https://portal.example.vn:8443",
			"public_url": "https://hailong.example.gov.vn",
		} {
			if got := bolt.Meta(db, k); got != v {
				t.Errorf("%s stored as %q, want %q", k, got, v)
			}
		}
	})

	db = reopen(t, db)
	t.Run("Reopen", func(t *testing.T) {
		if got := db.Settings(); !reflect.DeepEqual(got, want) {
			t.Fatalf("after reopening:\n got %+v\nwant %+v", got, want)
		}
		if bolt.MisuseInForce(db) != 8*time.Second {
			t.Errorf("misuse interval not applied at open: %v", bolt.MisuseInForce(db))
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		before := bolt.Digest(db)
		for field, edit := range map[string]func(s *survey.Settings){
			"sessions.idle":         func(s *survey.Settings) { s.Sessions.Idle = time.Minute },
			"sessions.max":          func(s *survey.Settings) { s.Sessions.Max = 20 * time.Minute },
			"kiosk.idle":            func(s *survey.Settings) { s.Kiosk.Idle = 0 },
			"kiosk.partial":         func(s *survey.Settings) { s.Kiosk.Partial = "" },
			"kiosk.misuse_interval": func(s *survey.Settings) { s.Kiosk.MisuseInterval = time.Hour },
			"analytics.method":      func(s *survey.Settings) { s.Analytics.Method = "median" },
			"publish.origins":       func(s *survey.Settings) { s.Publish.Origins = []string{"http://insecure.example"} },
		} {
			s := db.Settings()
			s.Analytics.MinN = 99 // a valid change that must not be stored either
			edit(&s)
			err := db.SaveSettings(s)
			if e, ok := err.(*survey.Error); !ok || e.Code != survey.EINVALID || e.Field != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		if bolt.Digest(db) != before || !reflect.DeepEqual(db.Settings(), want) {
			t.Error("a refused save changed something")
		}
	})

	t.Run("OnlyChangesWritten", func(t *testing.T) {
		// A value not changed keeps its stored text; a value set to ""
		// removes its key.
		if err := bolt.SetMeta(db, "kiosk_idle", "45"); err != nil { // seconds, as once stored
			t.Fatal(err)
		}
		s := db.Settings()
		s.Analytics.MinN = 60
		s.Publish.Enabled = false
		if err := db.SaveSettings(s); err != nil {
			t.Fatal(err)
		}
		got := db.Settings()
		if got.Analytics.MinN != 60 || got.Publish.Enabled || bolt.Meta(db, "publish_enabled") != "" {
			t.Errorf("min n %d, publish %v (%q)", got.Analytics.MinN, got.Publish.Enabled, bolt.Meta(db, "publish_enabled"))
		}
		if v := bolt.Meta(db, "kiosk_idle"); v != "45" {
			t.Errorf("unchanged kiosk idle rewritten as %q", v)
		}
	})
}

func TestSettingsFromOlderText(t *testing.T) {
	db := MustOpen(t)
	for k, v := range map[string]string{
		"kiosk_idle": "45", "kiosk_thanks": "1.5", "misuse_interval": "7", // plain seconds
		"min_n": "abc", "session_idle": "2m", "receipt_expiry_days": "0", "kiosk_partial": "maybe", // malformed or out of bounds: defaults
		"publish_origins": "https://ok.example.vn https://bad.example.vn;script-src HTTPS://Upper.Example.VN:443",
		"publish_groups":  "khoi-so, khoi-xa,,khoi-so",
	} {
		if err := bolt.SetMeta(db, k, v); err != nil {
			t.Fatal(err)
		}
	}
	db = reopen(t, db)
	s, def := db.Settings(), survey.DefaultSettings()
	if s.Kiosk.Idle != 45*time.Second || s.Kiosk.Thanks != 1500*time.Millisecond || s.Kiosk.MisuseInterval != 7*time.Second || bolt.MisuseInForce(db) != 7*time.Second {
		t.Errorf("seconds: %+v", s.Kiosk)
	}
	if s.Analytics.MinN != def.Analytics.MinN || s.Sessions.Idle != def.Sessions.Idle || s.Receipts != def.Receipts || s.Kiosk.Partial != survey.PartialKeep {
		t.Errorf("defaults: %+v", s)
	}
	if !reflect.DeepEqual(s.Publish.Origins, []string{"https://ok.example.vn", "https://upper.example.vn"}) ||
		!reflect.DeepEqual(s.Publish.Groups, []string{"khoi-so", "khoi-xa"}) {
		t.Errorf("lists: %q %q", s.Publish.Origins, s.Publish.Groups)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("read settings invalid: %v", err)
	}
}

func TestClientKey(t *testing.T) {
	db := MustOpen(t)
	k, err := db.ClientKey()
	if err != nil || len(k) != 43 {
		t.Fatalf("%q %v", k, err)
	}
	if again, _ := db.ClientKey(); again != k {
		t.Fatal("a second key")
	}
	db = reopen(t, db)
	if again, _ := db.ClientKey(); again != k {
		t.Fatal("the key changed on reopening")
	}
}
