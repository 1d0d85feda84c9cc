package engine

import "strconv"

// Config is the installation's index methodology: the method of the overall
// index and the minimum n. The settings index_method and min_n hold them
// (ConfigOf parses their stored values); the engine takes a Config and
// reads no settings itself.
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

// ConfigOf is the Config of the stored values of index_method and min_n,
// falling back to the defaults for any that is unset or invalid (an
// invalid value must not break every dashboard).
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
