package admin_test

import (
	"hailong/survey/bolt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"hailong/survey"
)

// submitV1 stores a web response answering the current quay version.
func submitV1(t *testing.T, db *bolt.DB) uint64 {
	t.Helper()
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a",
		Answers: map[string]int{"overall": 4, "facilities": 2, "website": 1}, Reasons: []string{"had_to_stand", "website_slow"}}
	if _, err := db.Submit(r); err != nil {
		t.Fatal(err)
	}
	return r.Key
}

func TestSurveyNewVersion(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	key := submitV1(t, s.DB)
	_, body := adm.get("/admin/surveys/quay/edit")
	v := formValues(t, body, "/admin/surveys/quay/edit")
	if v.Get("base") != "1" || v.Get("ncrit") != "9" || v.Get("c1-key") != "access" || v.Get("c6-key") != "website" {
		t.Fatalf("editor: %v", v)
	}
	v.Set("c2-vi", "Chỗ ngồi chờ và trang thiết bị")
	v.Set("c2-en", "Seating and equipment")
	v.Set("c2-order", "9") // facilities last
	v.Set("c5-scale", "3") // timeliness on 3 levels
	v.Set("c6-remove", "1")
	v.Set("c7-key", "wifi") // a new criterion
	v.Set("c7-element", "tiep_can")
	v.Set("c7-vi", "Có wifi miễn phí")
	v.Set("c7-en", "Free wifi")
	v.Set("c7-order", "3")
	v.Set("r5-remove", "1") // website_slow
	v.Set("r8-key", "no_wifi")
	v.Set("r8-vi", "Không có wifi")
	v.Set("r8-en", "No wifi")
	st, _ := adm.post("/admin/surveys/quay/edit", v)
	if st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	v2 := s.DB.Survey("quay", 0)
	var keys []string
	for _, c := range v2.Criteria {
		keys = append(keys, c.Key)
	}
	if v2.Version != 2 || strings.Join(keys, ",") != "overall,access,wifi,staff_attitude,staff_guidance,timeliness,facilities" {
		t.Fatalf("v%d criteria %v", v2.Version, keys)
	}
	if c, _ := v2.Criterion("timeliness"); c.Scale != 3 {
		t.Errorf("timeliness scale %d", c.Scale)
	}
	if c, _ := v2.Criterion("wifi"); c.Short.Vi != "Có wifi miễn phí" || c.Element != "tiep_can" {
		t.Errorf("wifi: %+v", c)
	}
	if v2.Reason("website_slow") >= 0 || v2.Reason("no_wifi") < 0 || len(v2.Elements) != 3 {
		t.Errorf("reasons %v, elements %v", v2.Reasons, v2.Elements)
	}
	// The old version is intact, and the old response still resolves against it.
	if v1 := s.DB.Survey("quay", 1); !reflect.DeepEqual(v1.Criteria, survey.DefaultQuay().Criteria) || !reflect.DeepEqual(v1.Reasons, survey.DefaultQuay().Reasons) {
		t.Errorf("v1 changed: %+v", v1)
	}
	r, err := s.DB.Response(key)
	if err != nil || r.Version != 1 || r.Answers["website"] != 1 || r.Answers["facilities"] != 2 || strings.Join(r.Reasons, ",") != "had_to_stand,website_slow" {
		t.Fatalf("old response: %+v, %v", r, err)
	}
	_, body = adm.get("/admin/surveys")
	mustContain(t, "list", body, "/admin/surveys/quay/v/2", "/admin/surveys/quay/v/1")
	_, body = adm.get("/admin/surveys/quay/v/2")
	mustContain(t, "v2", body, "Free wifi", "Không hài lòng · 2 Hài lòng · 3 Rất hài lòng")
	if e := s.DB.AuditLog(1, zeroTime); len(e) != 1 || e[0].Action != "survey.version" || e[0].Actor != "root" {
		t.Errorf("audit: %+v", e)
	}
	// Saving the same again is not a new version; a stale editor is a conflict.
	_, body = adm.get("/admin/surveys/quay/edit")
	same := formValues(t, body, "/admin/surveys/quay/edit")
	if st, body := adm.post("/admin/surveys/quay/edit", same); st != http.StatusUnprocessableEntity || !strings.Contains(body, "Không có thay đổi") {
		t.Errorf("unchanged save: %d", st)
	}
	if st, body := adm.post("/admin/surveys/quay/edit", v); st != http.StatusConflict || !strings.Contains(body, "phiên bản mới") {
		t.Errorf("stale editor: %d", st)
	}
	if s.DB.Survey("quay", 0).Version != 2 {
		t.Error("a third version was stored")
	}
}

func TestSurveyEditInvalid(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	_, body := adm.get("/admin/surveys/quay/edit")
	base := formValues(t, body, "/admin/surveys/quay/edit")
	cases := []struct {
		name, field string
		set         map[string]string
	}{
		{"EmptyLabel", "c3-vi", map[string]string{"c3-vi": "", "c1-en": "Kept input <b>"}},
		{"Scale4", "c2-scale", map[string]string{"c2-scale": "4"}},
		{"DuplicateReason", "r8-key", map[string]string{"r8-key": "waited_long", "r8-vi": "Chờ", "r8-en": "Wait"}},
		{"DuplicateCriterion", "c7-key", map[string]string{"c7-key": "access", "c7-element": "tiep_can", "c7-vi": "x", "c7-en": "x"}},
		{"BadNewKey", "c7-key", map[string]string{"c7-key": "Wi Fi", "c7-element": "tiep_can", "c7-vi": "x", "c7-en": "x"}},
		{"NewWithoutElement", "c7-element", map[string]string{"c7-key": "wifi", "c7-vi": "x", "c7-en": "x"}},
		{"RenamedKey", "c1-key", map[string]string{"c1-key": "access2"}},
		{"RemoveOverall", "c0-remove", map[string]string{"c0-remove": "1"}},
		{"EmptyTitle", "title-en", map[string]string{"title-en": " "}},
		{"BadOrder", "r0-order", map[string]string{"r0-order": "đầu"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := cloneValues(base)
			v.Set("c2-vi", "Nhãn đã sửa được giữ lại")
			for k, x := range tc.set {
				v.Set(k, x)
			}
			st, body := adm.post("/admin/surveys/quay/edit", v)
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", st)
			}
			mustContain(t, tc.name, body, `class="error-summary"`, `href="#`+tc.field+`"`, `id="`+tc.field+`-error"`, "Nhãn đã sửa được giữ lại")
			if tc.name == "EmptyLabel" {
				mustContain(t, tc.name, body, "Kept input &lt;b&gt;")
			}
			if s.DB.Survey("quay", 0).Version != 1 {
				t.Fatal("a new version was stored")
			}
		})
	}
	for _, bad := range []map[string]string{{"ncrit": "x"}, {"ncrit": "9999"}, {"base": ""}} {
		v := cloneValues(base)
		for k, x := range bad {
			v.Set(k, x)
		}
		if st, _ := adm.post("/admin/surveys/quay/edit", v); st != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, st)
		}
	}
}

func TestSurveyUse(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	if err := s.DB.PutUnits([]survey.Unit{{ID: "so-a-vp", Name: "Văn phòng", Parent: "so-a"}}); err != nil {
		t.Fatal(err)
	}
	alt := survey.DefaultQuay()
	alt.Key = "quay-ngan"
	if err := s.DB.AddSurveyVersion(alt); err != nil {
		t.Fatal(err)
	}
	if st, _ := adm.post("/admin/surveys/use", map[string][]string{"unit": {"so-a"}, "kiosk": {"quay-ngan"}, "receipt": {"quay"}}); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	for unit, want := range map[string][2]string{"so-a": {"quay-ngan", "quay"}, "so-a-vp": {"quay-ngan", "quay"}, "so-b": {"quay", "sipas"}, "prov": {"quay", "sipas"}} {
		if k, r := s.DB.SurveyFor(unit, survey.UseKiosk), s.DB.SurveyFor(unit, survey.UseReceipt); k != want[0] || r != want[1] {
			t.Errorf("%s: %s/%s, want %v", unit, k, r, want)
		}
	}
	if st, _ := adm.post("/admin/surveys/use", map[string][]string{"unit": {"*"}, "kiosk": {"quay-ngan"}}); st != http.StatusSeeOther {
		t.Fatalf("save installation-wide: %d", st)
	}
	if k := s.DB.SurveyFor("so-b", survey.UseKiosk); k != "quay-ngan" {
		t.Errorf("so-b after the installation-wide choice: %s", k)
	}
	_, body := adm.get("/admin/surveys/use?unit=so-a")
	mustContain(t, "use page", body, `<option value="so-a" selected>`, `<option value="quay-ngan" selected>`, "đặt tại đây")
	st, body := adm.post("/admin/surveys/use", map[string][]string{"unit": {"khong-co"}, "kiosk": {"nope"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad choice: %d", st)
	}
	mustContain(t, "bad choice", body, `href="#unit"`, `href="#kiosk"`, `id="kiosk-error"`)
	if st, _ := adm.post("/admin/surveys/use", map[string][]string{"unit": {"so-a"}}); st != http.StatusSeeOther || s.DB.SurveyFor("so-a", survey.UseKiosk) != "quay-ngan" {
		t.Errorf("back to inherit: %d, %s", st, s.DB.SurveyFor("so-a", survey.UseKiosk))
	}
	if s.DB.OwnSurveyFor("so-a", survey.UseKiosk) != "" {
		t.Error("the unit's own setting remains")
	}
}
