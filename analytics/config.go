package analytics

import (
	"hailong/analytics/engine"
	"hailong/survey"
)

// ConfigFrom reads the methodology from the settings in force.
func ConfigFrom(db survey.SettingsService) engine.Config {
	return engine.ConfigOf(db.Settings().Analytics)
}
