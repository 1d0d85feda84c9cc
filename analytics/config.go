package analytics

import (
	"hailong/survey"
	"strconv"
)

// Config is the installation's index methodology: the method of the overall
// index and the minimum n. Both are read from the store's settings
// (db.Meta "index_method" and "min_n") when set; the admin pages that set
// them come later.
type Config struct {
	Method Method
	MinN   int
}

// Meta keys of the settings.
const (
	MetaMethod = "index_method"
	MetaMinN   = "min_n"
)

// DefaultConfig is SPEC's default: share45, minimum n 30.
var DefaultConfig = Config{Method: MethodShare45, MinN: DefaultMinN}

// ConfigFrom reads the settings, falling back to the defaults for any that
// is unset or invalid (an invalid value must not break every dashboard).
func ConfigFrom(db survey.SettingsService) Config {
	return ConfigOf(db.Meta(MetaMethod), db.Meta(MetaMinN))
}

// ConfigOf is ConfigFrom for the stored values of index_method and min_n,
// for a caller that reads them together with other settings.
func ConfigOf(method, minN string) Config {
	c := DefaultConfig
	if m, ok := ParseMethod(method); ok {
		c.Method = m
	}
	if n, err := strconv.Atoi(minN); err == nil && n >= 1 && n <= 1000000 {
		c.MinN = n
	}
	return c
}
