package engine

import "testing"

func TestConfigOf(t *testing.T) {
	if c := ConfigOf("pooled", "50"); c.Method != MethodPooled || c.MinN != 50 {
		t.Fatalf("config %+v", c)
	}
	for _, c := range []struct{ method, minN string }{{"", ""}, {"median", "0"}, {"MEAN", "abc"}, {"share45", "1000001"}} {
		if got := ConfigOf(c.method, c.minN); got != DefaultConfig {
			t.Errorf("%q, %q: %+v, want the default", c.method, c.minN, got)
		}
	}
}
