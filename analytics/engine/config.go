package engine

import "hailong/survey"

// Config is the installation's index methodology: the method of the overall
// index and the minimum n (survey.Settings.Analytics, where they are stored
// and checked); the engine takes a Config and reads no settings itself.
type Config struct {
	Method Method
	MinN   int
}

// DefaultConfig is SPEC's default: share45, minimum n 30.
var DefaultConfig = ConfigOf(survey.DefaultSettings().Analytics)

// ConfigOf is the Config of the analytics settings (valid ones: the store
// never returns others).
func ConfigOf(a survey.AnalyticsSettings) Config {
	return Config{Method: Method(a.Method), MinN: a.MinN}
}
