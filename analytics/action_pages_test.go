package analytics

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// actionEnv is newPagesEnv with a known jump at Sở B: facilities 50 % in
// November 2025, 90 % in December, the counter action done on 1 December
// (windows of 30 days, by the setting); an overdue website action at Sở B
// and a planned one at Sở A.
func newActionEnv(t *testing.T) *pagesEnv {
	t.Helper()
	e := newPagesEnv(t)
	set := e.db.Settings()
	set.Analytics.ActionWindowDays = 30
	if err := e.db.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	nov, dec := time.Date(2025, 11, 3, 9, 0, 0, 0, hcm), time.Date(2025, 12, 2, 9, 0, 0, 0, hcm)
	var rs []resp
	rs = append(rs, repeat(20, resp{Unit: "so-b", At: nov, Answers: map[string]int{"facilities": 4}})...)
	rs = append(rs, repeat(20, resp{Unit: "so-b", At: nov.Add(24 * time.Hour), Answers: map[string]int{"facilities": 2}})...)
	rs = append(rs, repeat(36, resp{Unit: "so-b", At: dec, Answers: map[string]int{"facilities": 5}})...)
	rs = append(rs, repeat(4, resp{Unit: "so-b", At: dec.Add(24 * time.Hour), Answers: map[string]int{"facilities": 1}})...)
	mustInsert(t, e.db, rs)
	for _, a := range []survey.Action{
		{Unit: "so-b", Title: "Cải tạo, bố trí lại khu vực tiếp nhận", Criteria: []string{"facilities"}, Office: "Văn phòng Sở B",
			Due: "2025-12-15", Status: survey.ActionDone, Done: "2025-12-01", CreatedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, hcm)},
		{Unit: "so-b", Title: "Nâng cấp trang web", Criteria: []string{"website"}, Office: "Văn phòng Sở B",
			Due: "2026-02-01", Status: survey.ActionInProgress, CreatedAt: time.Date(2025, 11, 1, 9, 0, 0, 0, hcm)},
		{Unit: "so-a", Title: "Tập huấn công chức <b>một cửa</b>", Criteria: []string{"staff_attitude"}, Office: "Văn phòng Sở A",
			Due: "2026-06-30", Status: survey.ActionPlanned},
	} {
		if _, err := e.db.CreateAction(a, "fixture"); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestActionPagesRender(t *testing.T) {
	e := newActionEnv(t)
	admin, _ := e.login(t, "admin1", survey.RoleAdmin, "")
	mgr, _ := e.login(t, "mgr-b", survey.RoleManager, "so-b")
	viewer, _ := e.login(t, "viewer-b", survey.RoleViewer, "so-b")
	for _, c := range []struct {
		who, path string
		status    int
		want      string
	}{
		{admin, "/actions", 200, "Nâng cấp trang web"},
		{admin, "/actions?status=overdue&lang=en", 200, "Improvement actions"},
		{admin, "/actions/3", 200, "Tập huấn công chức &lt;b&gt;một cửa&lt;/b&gt;"},
		{admin, "/actions/1?lang=en", 200, "Criterion “Counter layout &amp; facilities” rose 40.0\u00a0points (from 50.0\u00a0% to 90.0\u00a0%), a statistically significant difference."},
		{mgr, "/actions/1", 200, "Tiêu chí “Bố trí quầy, trang thiết bị” tăng 40,0\u00a0điểm (từ 50,0\u00a0% lên 90,0\u00a0%), khác biệt có ý nghĩa thống kê."},
		{mgr, "/actions/1", 200, "Sửa hành động"},
		{mgr, "/actions/2", 200, "Ghi nhận hoàn thành"},
		{mgr, "/actions/new?criterion=facilities", 200, `value="facilities" checked`},
		{mgr, "/actions/1?window=7", 200, "mỗi khoảng 7 ngày"},
		{mgr, "/actions/1?window=3", 422, "Số ngày phải là số nguyên từ 7 đến 365."},
		{mgr, "/actions", 200, "1 quá hạn"},
		{viewer, "/actions/2", 200, "Hiệu quả đo được"},
		{viewer, "/actions/new", 403, ""},
		{mgr, "/actions/3", 403, ""},
		{mgr, "/actions?unit=so-a", 403, ""},
		{mgr, "/actions/99", 404, ""},
		{mgr, "/actions?status=closed", 422, ""},
		{mgr, "/actions?sort=due", 400, ""},
		{mgr, "/actions/new?unit=so-khong-co", 422, ""},
		{mgr, "/dashboard/criteria/facilities?unit=so-b&from=2025-10-01&to=2026-01-31", 200, `class="marker done"`},
		{mgr, "/dashboard?unit=so-b", 200, "Hành động cải tiến"},
	} {
		st, body := e.get(t, c.path, c.who)
		if st != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want %d containing %q", c.path, st, c.status, c.want)
			continue
		}
		if st == 200 {
			checkPage(t, c.path, body)
		}
	}
	st, body := e.get(t, "/actions/1", viewer)
	if st != 200 || strings.Contains(body, `class="action-form"`) || strings.Contains(body, "/close") {
		t.Errorf("a viewer gets the edit or close form (%d)", st)
	}
}

// TestActionReportSection: the official report lists the period's actions
// with their measured effect and assigns the open ones to their offices.
func TestActionReportSection(t *testing.T) {
	e := newActionEnv(t)
	admin, _ := e.login(t, "admin1", survey.RoleAdmin, "")
	st, body := e.get(t, "/reports/official?unit=so-b&p=2025", admin)
	if st != 200 {
		t.Fatalf("report: %d", st)
	}
	checkPage(t, "report", body)
	for _, want := range []string{
		"V. KẾT QUẢ THỰC HIỆN CÁC HÀNH ĐỘNG CẢI TIẾN", "VI. NHIỆM VỤ TRONG THỜI GIAN TỚI", "VII. PHƯƠNG PHÁP VÀ CỠ MẪU",
		"trong 30 ngày trước và 30 ngày kể từ ngày hoàn thành",
		"Cải tạo, bố trí lại khu vực tiếp nhận", "Đã hoàn thành ngày 01/12/2025",
		"Tiêu chí “Bố trí quầy, trang thiết bị” tăng 40,0\u00a0điểm (từ 50,0\u00a0% lên 90,0\u00a0%), khác biệt có ý nghĩa thống kê.",
		"Quá hạn, đang thực hiện",
		"1. Giao Văn phòng Sở B chủ trì, phối hợp với các phòng, đơn vị có liên quan thực hiện “Nâng cấp trang web” nhằm nâng cao mức độ hài lòng của người dân, tổ chức về tiêu chí “Trang web, dịch vụ trực tuyến”; hoàn thành trước ngày 01/02/2026 (đã quá hạn, đề nghị khẩn trương hoàn thành).",
		"Yêu cầu Thủ trưởng các phòng, đơn vị được giao nhiệm vụ nghiêm túc triển khai thực hiện; định kỳ hằng tháng báo cáo kết quả thực hiện về Giám đốc để theo dõi, chỉ đạo.",
		"Các phòng, đơn vị được giao nhiệm vụ (để thực hiện);",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(body, "Tập huấn công chức") {
		t.Error("Sở A's action in Sở B's report")
	}
	// a year before the actions: none listed, the open one still assigned
	_, body = e.get(t, "/reports/official?unit=so-b&p=2024", admin)
	if !strings.Contains(body, "Trong kỳ không có hành động cải tiến nào được ghi nhận.") || !strings.Contains(body, "1. Giao Văn phòng Sở B") {
		t.Error("report of 2024: the period's actions or the open tasks are wrong")
	}
	_, body = e.get(t, "/reports/official?unit=so-b&p=2025&lang=en", admin)
	if !strings.Contains(body, "“Nâng cấp trang web”: assigned to Văn phòng Sở B, leading in coordination with the relevant divisions and units") {
		t.Error("English assignment missing")
	}
}

// TestActionForms: create, edit and close through the pages, with CSRF,
// validation (422, input kept, messages beside the fields) and the subtree.
func TestActionForms(t *testing.T) {
	e := newActionEnv(t)
	mgr, csrf := e.login(t, "mgr-b", survey.RoleManager, "so-b")
	viewer, vcsrf := e.login(t, "viewer-b", survey.RoleViewer, "so-b")
	form := func(csrf string, kv ...string) url.Values {
		v := url.Values{"_csrf": {csrf}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	good := []string{"unit", "so-b", "title", "Bố trí ghế chờ", "criteria", "facilities", "criteria", "access",
		"office", "Văn phòng Sở B", "due_date", "2026-04-30", "status", "planned"}

	if st, _, _ := e.do(t, "POST", "/actions", mgr, form("", good...)); st != 403 {
		t.Errorf("no CSRF token: %d", st)
	}
	if st, _, _ := e.do(t, "POST", "/actions", viewer, form(vcsrf, good...)); st != 403 {
		t.Errorf("viewer creates: %d", st)
	}
	outside := replaced(good, "unit", "so-a")
	if st, _, _ := e.do(t, "POST", "/actions", mgr, form(csrf, outside...)); st != 403 {
		t.Errorf("manager creates outside the subtree: %d", st)
	}
	st, body, _ := e.do(t, "POST", "/actions", mgr, form(csrf, "unit", "so-b", "office", "Văn phòng <i>B</i>", "criteria", "website", "due_date", "30/04/2026"))
	if st != 422 || !strings.Contains(body, `id="f-title-error">Nhập tên hành động.`) || !strings.Contains(body, `value="Văn phòng &lt;i&gt;B&lt;/i&gt;"`) ||
		!strings.Contains(body, `value="website" checked`) || !strings.Contains(body, `href="#f-due_date"`) {
		t.Errorf("refused form: %d", st)
	}
	checkPage(t, "refused form", body)
	st, _, hdr := e.do(t, "POST", "/actions", mgr, form(csrf, good...))
	if st != 303 || hdr.Get("Location") != "/actions/4?ok=created" {
		t.Fatalf("create: %d %s", st, hdr.Get("Location"))
	}
	if _, body := e.get(t, "/actions/4?ok=created", mgr); !strings.Contains(body, "Đã lưu hành động cải tiến.") {
		t.Error("no confirmation after create")
	}
	edit := replaced(good, "status", "in_progress")
	if st, _, hdr := e.do(t, "POST", "/actions/4?lang=en", mgr, form(csrf, edit...)); st != 303 || hdr.Get("Location") != "/actions/4?lang=en&ok=saved" {
		t.Fatalf("edit: %d %s", st, hdr.Get("Location"))
	}
	if a, _ := e.db.Action("4"); a.Status != survey.ActionInProgress || a.UpdatedBy != "mgr-b" || len(a.Criteria) != 2 {
		t.Fatalf("after edit: %+v", a)
	}
	st, body, _ = e.do(t, "POST", "/actions/4/close", mgr, form(csrf, "done_date", "2026-03-19", "notes", "Đã bố trí 20 ghế."))
	if st != 422 || !strings.Contains(body, `id="c-done_date-error">Ngày hoàn thành không thể sau hôm nay.`) {
		t.Errorf("close in the future: %d", st)
	}
	if st, _, hdr := e.do(t, "POST", "/actions/4/close", mgr, form(csrf, "done_date", "2026-03-18", "notes", "Đã bố trí 20 ghế.")); st != 303 || hdr.Get("Location") != "/actions/4?ok=closed" {
		t.Fatalf("close: %d %s", st, hdr.Get("Location"))
	}
	if st, _, _ := e.do(t, "POST", "/actions/4/close", mgr, form(csrf, "done_date", "2026-03-18")); st != 409 {
		t.Errorf("close twice: %d", st)
	}
	if st, _, _ := e.do(t, "POST", "/actions/3", mgr, form(csrf, good...)); st != 403 {
		t.Errorf("manager edits outside the subtree: %d", st)
	}
	if st, _, _ := e.do(t, "POST", "/actions/2", mgr, form(csrf, outside...)); st != 403 {
		t.Errorf("manager moves an action outside the subtree: %d", st)
	}
	var names []string
	for _, a := range e.db.AuditLog(20, time.Time{}) {
		if a.Actor == "mgr-b" {
			names = append(names, a.Action)
		}
	}
	if strings.Join(names, " ") != "action.close action.update action.create" {
		t.Errorf("audit of the manager: %v", names)
	}
	_, body = e.get(t, "/actions/4", mgr)
	if !strings.Contains(body, "chưa đủ thời gian để kết luận") {
		t.Error("an action done today should say it is too early to tell")
	}
}

// replaced is a copy of the form pairs kv with key's value set to value.
func replaced(kv []string, key, value string) []string {
	out := append([]string{}, kv...)
	for i := 0; i+1 < len(out); i += 2 {
		if out[i] == key {
			out[i+1] = value
		}
	}
	return out
}
