package analytics

import (
	"testing"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The methodology comes from the settings; an invalid one is never stored.
func TestConfigFromSettings(t *testing.T) {
	db := mustOpen(t)
	if c := ConfigFrom(db); c != engine.DefaultConfig {
		t.Fatalf("unset: %+v", c)
	}
	s := db.Settings()
	s.Analytics.Method, s.Analytics.MinN = "pooled", 50
	if err := db.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	if c := ConfigFrom(db); c.Method != engine.MethodPooled || c.MinN != 50 {
		t.Fatalf("config %+v", c)
	}
	s.Analytics.Method = "median"
	if err := db.SaveSettings(s); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("invalid method saved: %v", err)
	}
}
