package storetest

import (
	"slices"
	"testing"

	"hailong/survey"
)

// thu is a one-question survey of its own, key "thu".
func thu() *survey.Survey {
	s := survey.DefaultQuay()
	s.Key, s.Criteria, s.Elements = "thu", s.Criteria[:1], nil
	return s
}

var surveyCases = []testCase{
	{"Defaults", func(t *testing.T, e *env) {
		keys := e.SurveyKeys()
		for _, k := range []string{survey.SurveyQuay, survey.SurveySipas} {
			if !slices.Contains(keys, k) {
				t.Fatalf("SurveyKeys = %v, want %s", keys, k)
			}
			s := e.Survey(k, 0)
			if s == nil || s.Key != k || s.Version < 1 {
				t.Fatalf("Survey(%s, 0) = %+v", k, s)
			}
			if v1 := e.Survey(k, 1); v1 == nil || v1.Version != 1 {
				t.Fatalf("Survey(%s, 1) = %+v", k, v1)
			}
			if c, _ := s.Criterion(survey.OverallKey); c == nil {
				t.Fatalf("survey %s has no overall question", k)
			}
		}
		if e.Survey("nope", 0) != nil || e.Survey(survey.SurveyQuay, 99) != nil || e.Survey(survey.SurveyQuay, -1) != nil {
			t.Fatal("Survey found a version that does not exist")
		}
		equal(t, "KnownCriterion(staff_attitude)", e.KnownCriterion("staff_attitude"), true)
		equal(t, "KnownCriterion(result_on_time)", e.KnownCriterion("result_on_time"), true)
		equal(t, "KnownCriterion(nope)", e.KnownCriterion("nope"), false)
	}},
	{"AddSurveyVersion", func(t *testing.T, e *env) {
		cur := e.Survey(survey.SurveyQuay, 0).Version
		s := survey.DefaultQuay()
		s.Criteria = append(s.Criteria, survey.Criterion{Key: "parking", Element: "tiep_can", Scale: 3,
			Label: survey.Text{Vi: "Chỗ gửi xe", En: "Parking"}, Short: survey.Text{Vi: "Gửi xe", En: "Parking"}})
		must(t, e.AddSurveyVersion(s))
		equal(t, "version", s.Version, cur+1)
		if got := e.Survey(survey.SurveyQuay, 0); got.Version != cur+1 || len(got.Criteria) != 8 {
			t.Fatalf("current version %d with %d criteria", got.Version, len(got.Criteria))
		}
		if old := e.Survey(survey.SurveyQuay, cur); old == nil || len(old.Criteria) != 7 {
			t.Fatal("the old version changed or vanished")
		}
		equal(t, "KnownCriterion(parking)", e.KnownCriterion("parking"), true)
		must(t, e.AddSurveyVersion(thu()))
		if !slices.Contains(e.SurveyKeys(), "thu") || e.Survey("thu", 0).Version != 1 {
			t.Fatal("a new survey key starts at version 1")
		}
	}},
	{"AddSurveyVersion/ErrInvalid", func(t *testing.T, e *env) {
		cur := e.Survey(survey.SurveyQuay, 0).Version
		bad := survey.DefaultQuay()
		bad.Criteria = bad.Criteria[1:] // no overall question
		wantErr(t, e.AddSurveyVersion(bad), survey.EINVALID)
		bad = thu()
		bad.Key = "Thu Nghiem"
		wantErr(t, e.AddSurveyVersion(bad), survey.EINVALID)
		equal(t, "current version", e.Survey(survey.SurveyQuay, 0).Version, cur)
		equal(t, "survey keys", len(e.SurveyKeys()), 2)
	}},
	{"AddSurveyVersionAfter", func(t *testing.T, e *env) {
		base := e.Survey(survey.SurveyQuay, 0).Version
		s := survey.DefaultQuay()
		s.Title.Vi = "Lần một"
		must(t, e.AddSurveyVersionAfter(s, base))
		stale := survey.DefaultQuay()
		stale.Title.Vi = "Lần hai, từ bản cũ"
		wantErr(t, e.AddSurveyVersionAfter(stale, base), survey.ECONFLICT)
		if cur := e.Survey(survey.SurveyQuay, 0); cur.Version != base+1 || cur.Title.Vi != "Lần một" {
			t.Fatalf("current version %d %q", cur.Version, cur.Title.Vi)
		}
		bad := survey.DefaultQuay()
		bad.Criteria = nil
		wantErr(t, e.AddSurveyVersionAfter(bad, base+1), survey.EINVALID)
		equal(t, "current version", e.Survey(survey.SurveyQuay, 0).Version, base+1)
	}},
	{"SurveyFor", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.AddSurveyVersion(thu()))
		equal(t, "default kiosk", e.SurveyFor("so-a-vp", survey.UseKiosk), survey.SurveyQuay)
		equal(t, "default receipt", e.SurveyFor("so-a-vp", survey.UseReceipt), survey.SurveySipas)
		must(t, e.SetSurveyFor("so-a", survey.UseKiosk, "thu"))
		must(t, e.SetSurveyFor("", survey.UseReceipt, "thu"))
		for unit, want := range map[string][2]string{"so-a-vp": {"thu", "thu"}, "so-a": {"thu", "thu"},
			"so-b": {"quay", "thu"}, "tinh": {"quay", "thu"}, "": {"quay", "thu"}} {
			if k, r := e.SurveyFor(unit, survey.UseKiosk), e.SurveyFor(unit, survey.UseReceipt); k != want[0] || r != want[1] {
				t.Errorf("SurveyFor(%q) = %s/%s, want %v", unit, k, r, want)
			}
		}
		equal(t, "OwnSurveyFor(so-a-vp) inheriting", e.OwnSurveyFor("so-a-vp", survey.UseKiosk), "")
		equal(t, "OwnSurveyFor(so-a)", e.OwnSurveyFor("so-a", survey.UseKiosk), "thu")
		equal(t, "OwnSurveyFor(installation)", e.OwnSurveyFor("", survey.UseReceipt), "thu")
		must(t, e.SetSurveyFor("so-a-vp", survey.UseKiosk, survey.SurveySipas))
		equal(t, "own setting", e.SurveyFor("so-a-vp", survey.UseKiosk), survey.SurveySipas)
		must(t, e.SetSurveyFor("so-a-vp", survey.UseKiosk, ""))
		must(t, e.SetSurveyFor("so-a", survey.UseKiosk, ""))
		equal(t, "inherited again", e.SurveyFor("so-a-vp", survey.UseKiosk), survey.SurveyQuay)
		equal(t, "OwnSurveyFor(so-a) removed", e.OwnSurveyFor("so-a", survey.UseKiosk), "")
	}},
	{"SetSurveyFor/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct{ unit, use, key string }{
			{"so-a", "poster", survey.SurveyQuay}, {"nope", survey.UseKiosk, survey.SurveyQuay}, {"so-a", survey.UseKiosk, "nope"},
		} {
			wantErr(t, e.SetSurveyFor(c.unit, c.use, c.key), survey.EINVALID)
		}
		equal(t, "SurveyFor(so-a)", e.SurveyFor("so-a", survey.UseKiosk), survey.SurveyQuay)
	}},
}

var procedureCases = []testCase{
	{"PutProcedures", func(t *testing.T, e *env) {
		equal(t, "empty catalogue", len(e.Procedures()), 0)
		must(t, e.PutProcedures([]survey.Procedure{{Code: "2.002", Name: "Cấp phép B"}, {Code: "1.001", Name: "Cấp phép A"}}))
		equalSlice(t, "Procedures", e.Procedures(), []survey.Procedure{{Code: "1.001", Name: "Cấp phép A"}, {Code: "2.002", Name: "Cấp phép B"}})
		must(t, e.PutProcedures([]survey.Procedure{{Code: "1.001", Name: "Cấp giấy phép A"}}))
		equal(t, "ProcedureName(1.001)", e.ProcedureName("1.001"), "Cấp giấy phép A")
		equal(t, "ProcedureName(9.999)", e.ProcedureName("9.999"), "")
		equal(t, "ProcedureName()", e.ProcedureName(""), "")
	}},
	{"PutProcedures/ErrInvalid", func(t *testing.T, e *env) {
		must(t, e.PutProcedures([]survey.Procedure{{Code: "1.001", Name: "A"}}))
		wantErr(t, e.PutProcedures([]survey.Procedure{{Code: "1.001", Name: "Đổi"}, {Code: "2.002", Name: ""}}), survey.EINVALID, "procedures[1].name")
		wantErr(t, e.PutProcedures([]survey.Procedure{{Code: "", Name: "X"}}), survey.EINVALID, "procedures[0].code")
		equalSlice(t, "Procedures", e.Procedures(), []survey.Procedure{{Code: "1.001", Name: "A"}})
	}},
	{"DeleteProcedure", func(t *testing.T, e *env) {
		must(t, e.PutProcedures([]survey.Procedure{{Code: "1.001", Name: "A"}, {Code: "2.002", Name: "B"}}))
		must(t, e.DeleteProcedure("1.001"))
		equalSlice(t, "Procedures", e.Procedures(), []survey.Procedure{{Code: "2.002", Name: "B"}})
		wantErr(t, e.DeleteProcedure("1.001"), survey.ENOTFOUND)
		wantErr(t, e.DeleteProcedure(""), survey.ENOTFOUND)
		equal(t, "catalogue", len(e.Procedures()), 1)
	}},
}
