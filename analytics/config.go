package analytics

import "hailong/survey"

// Config is the installation's index methodology: the method of the overall
// index and the minimum n (survey.Settings.Analytics, set on the settings
// page).
type Config struct {
	Method Method
	MinN   int
}

// DefaultConfig is SPEC's default: share45, minimum n 30.
var DefaultConfig = ConfigOf(survey.DefaultSettings().Analytics)

// ConfigFrom reads the configuration from the settings in force.
func ConfigFrom(db survey.SettingsService) Config { return ConfigOf(db.Settings().Analytics) }

// ConfigOf is the configuration of analytics settings (valid ones: the
// store never returns others).
func ConfigOf(a survey.AnalyticsSettings) Config {
	return Config{Method: Method(a.Method), MinN: a.MinN}
}
