package engine

import (
	"slices"
	"testing"

	"hailong/survey"
)

func TestConfigOf(t *testing.T) {
	if c := ConfigOf(survey.AnalyticsSettings{Method: "pooled", MinN: 50}); c.Method != MethodPooled || c.MinN != 50 {
		t.Fatalf("config %+v", c)
	}
	if DefaultConfig.Method != MethodShare45 || DefaultConfig.MinN != DefaultMinN {
		t.Fatalf("default %+v", DefaultConfig)
	}
}

// survey validates the stored method; the engine computes it.
func TestMethodsAgreeWithSettings(t *testing.T) {
	for _, m := range survey.IndexMethods {
		if _, ok := ParseMethod(m); !ok {
			t.Errorf("survey.IndexMethods has %q, which the engine does not compute", m)
		}
	}
	for _, m := range []Method{MethodShare45, MethodMean, MethodPooled, MethodOverall} {
		if !slices.Contains(survey.IndexMethods, string(m)) {
			t.Errorf("the engine computes %q, which the settings refuse", m)
		}
	}
}
