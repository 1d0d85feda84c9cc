package analytics

import (
	"testing"

	"hailong/analytics/engine"
)

// The methodology comes from the settings index_method and min_n; an
// invalid value falls back to the default.
func TestConfigFromSettings(t *testing.T) {
	db := mustOpen(t)
	if c := ConfigFrom(db); c != engine.DefaultConfig {
		t.Fatalf("unset: %+v", c)
	}
	db.SetMeta(engine.MetaMethod, "pooled")
	db.SetMeta(engine.MetaMinN, "50")
	if c := ConfigFrom(db); c.Method != engine.MethodPooled || c.MinN != 50 {
		t.Fatalf("config %+v", c)
	}
	db.SetMeta(engine.MetaMethod, "median")
	if c := ConfigFrom(db); c.Method != engine.MethodShare45 {
		t.Fatalf("invalid method kept: %+v", c)
	}
}
