package analytics

import (
	"hailong/analytics/engine"
	"hailong/survey"
)

// ConfigFrom reads the settings, falling back to the defaults for any that
// is unset or invalid (an invalid value must not break every dashboard).
func ConfigFrom(db survey.SettingsService) engine.Config {
	return engine.ConfigOf(db.Meta(engine.MetaMethod), db.Meta(engine.MetaMinN))
}
