package bolt_test

import (
	"encoding/json"
	"hailong/survey"
	"reflect"
	"testing"
)

// FuzzSurveyDefinition decodes arbitrary JSON as a survey definition (what
// the survey editor and any future import produce): Validate must never
// panic, and a definition it accepts is stored as a new version and read
// back unchanged.
func FuzzSurveyDefinition(f *testing.F) {
	for _, s := range survey.DefaultSurveys() {
		b, _ := json.Marshal(s)
		f.Add(b)
	}
	f.Add([]byte(`{"key":"x","version":1,"criteria":[{"key":"overall","scale":4}]}`))
	f.Add([]byte(`{"key":"x","criteria":[{"key":"overall","element":"e","scale":5,"label":{"vi":"","en":""}}]}`))
	f.Add([]byte(`{"key":"<script>","reasons":[{"key":"a"},{"key":"a"}]}`))
	db := MustOpen(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		var s survey.Survey
		if json.Unmarshal(raw, &s) != nil {
			return
		}
		s.Version = 1
		if s.Validate() != nil {
			return
		}
		s.Key = "fz" // one key: versions pile up instead of keys
		if err := db.AddSurveyVersion(&s); err != nil {
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("valid definition refused with %v", err)
			}
			return
		}
		got := db.Survey("fz", s.Version)
		if got == nil {
			t.Fatal("stored version not found")
		}
		got.CreatedAt = s.CreatedAt
		if !reflect.DeepEqual(*got, s) {
			t.Fatalf("round trip changed the survey:\n got %+v\nwant %+v", *got, s)
		}
	})
}
