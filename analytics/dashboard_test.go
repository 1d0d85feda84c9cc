package analytics

import (
	"hailong/survey/bolt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
	"hailong/survey"
	"hailong/web"
)

// pagesEnv is a store with a small province, responses with comments, and
// the app with every analytics route, as cmd/hailong wires it.
type pagesEnv struct {
	db  *bolt.DB
	app *fiber.App
}

const evilComment = `<script>alert("x")</script> Phải đứng chờ, gọi 0905 123 456 hoặc lan@example.com`

func newPagesEnv(t *testing.T) *pagesEnv {
	t.Helper()
	db := mustOpen(t)
	mustOrg(t, db)
	mustDossiers(t, db)
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, hcm)
	var rs []*survey.Response
	add := func(unit, counter, staff string, n int, answers map[string]int, reasons []string, comment string, ch survey.Channel) {
		for i := 0; i < n; i++ {
			at := base.Add(time.Duration(len(rs)) * 37 * time.Minute)
			rs = append(rs, &survey.Response{Survey: survey.SurveyQuay, Unit: unit, Counter: counter, Staff: staff, Channel: ch,
				Answers: answers, Reasons: reasons, Comment: comment, SubmittedAt: at, ReceivedAt: at})
		}
	}
	good := map[string]int{"overall": 5, "access": 4, "facilities": 4, "staff_attitude": 5, "website": 4}
	bad := map[string]int{"overall": 2, "access": 4, "facilities": 1, "staff_attitude": 4, "website": 2}
	add("so-a", "a-q1", "nv-lan", 40, good, nil, "", survey.ChannelKiosk)
	add("so-a", "a-q2", "", 20, bad, []string{"had_to_stand", "glass_partition"}, "Quầy chật, phải đứng.", survey.ChannelKiosk)
	add("so-a", "a-q2", "", 1, bad, []string{"had_to_stand"}, evilComment, survey.ChannelWeb)
	add("so-a-vp", "", "", 10, good, nil, "Rất tốt", survey.ChannelWeb)
	add("so-b", "b-q1", "nv-hung", 35, good, nil, "Sở B tốt", survey.ChannelKiosk)
	add("so-c", "", "", 12, bad, nil, "", survey.ChannelWeb)
	for _, r := range rs {
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.InsertMany(rs); err != nil {
		t.Fatal(err)
	}
	d := &web.Deps{Services: survey.ServicesOf(db), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := web.New(d)
	app.Get("/static/*", static.Handler)
	Routes(app, d)
	app.Use(web.NotFound)
	return &pagesEnv{db: db, app: app}
}

// login creates a user and a session; it returns the session cookie and
// the session's CSRF token.
func (e *pagesEnv) login(t *testing.T, name, role, unit string) (sid, csrf string) {
	t.Helper()
	if err := e.db.CreateUser(survey.User{Username: name, Role: role, Unit: unit}, "mật-khẩu-đủ-dài-1"); err != nil {
		t.Fatal(err)
	}
	sid, s, err := e.db.CreateSession(name)
	if err != nil {
		t.Fatal(err)
	}
	return sid, s.CSRF
}

func (e *pagesEnv) do(t *testing.T, method, path, sid string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	if sid != "" {
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sid})
	}
	resp, err := e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (e *pagesEnv) get(t *testing.T, path, sid string) (int, string) {
	t.Helper()
	st, body, _ := e.do(t, "GET", path, sid, nil)
	return st, body
}

var (
	styleAttr    = regexp.MustCompile(`(?i)\sstyle\s*=`)
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]+</script>|<script>`)
)

// checkPage fails on what a page must never contain: a template that
// printed nothing, an inline style or script (the CSP forbids both).
func checkPage(t *testing.T, path, body string) {
	t.Helper()
	for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: page contains %q", path, bad)
		}
	}
	if styleAttr.MatchString(body) {
		t.Errorf("%s: a style attribute (the CSP forbids it)", path)
	}
	if m := inlineScript.FindString(body); m != "" {
		t.Errorf("%s: inline script %q", path, m)
	}
}

func TestPagesRenderForEveryRole(t *testing.T) {
	e := newPagesEnv(t)
	pages := []struct{ path, want string }{
		{"/dashboard", "Chỉ số hài lòng"},
		{"/dashboard?lang=en", "Satisfaction index"},
		{"/dashboard?p=2026-q1&survey=quay&channel=kiosk", "Các tiêu chí, yếu nhất trước"},
		{"/dashboard?from=2026-01-01&to=2026-02-28", "Diễn biến theo tháng"},
		{"/dashboard/criteria/facilities", "Lý do được chọn khi không hài lòng"},
		{"/dashboard/criteria/facilities?lang=en", "Reasons chosen when dissatisfied"},
		{"/dashboard/comments", "Ý kiến người dân"},
		{"/dashboard/comments?criterion=facilities&show=all&flagged=no", "Phiếu không hài lòng với"},
		{"/reports/official", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
		{"/reports/official?p=2026-q1", "quý I năm 2026"},
		{"/reports/official?p=2026&lang=en", "SOCIALIST REPUBLIC OF VIET NAM"},
		{"/dashboard?p=2026", "Mức độ hài lòng theo Quyết định 766/QĐ-TTg"},
		{"/dashboard?p=2026&lang=en", "Response rate: receipts answered ÷ receipts issued"},
		{"/reports/official?p=2026", "Bảng 3. Mức độ hài lòng theo Quyết định 766/QĐ-TTg"},
		{"/reports/official?p=2026&lang=en", "Table 3. Satisfaction figures of Decision 766/QĐ-TTg"},
	}
	for _, u := range []struct{ name, role, unit string }{
		{"xem", survey.RoleViewer, "so-a"}, {"giamdoc", survey.RoleManager, "so-a"}, {"quantri", survey.RoleAdmin, ""},
	} {
		sid, _ := e.login(t, u.name, u.role, u.unit)
		for _, p := range pages {
			t.Run(u.role+p.path, func(t *testing.T) {
				st, body := e.get(t, p.path, sid)
				if st != 200 || !strings.Contains(body, p.want) {
					t.Fatalf("%d, want 200 with %q:\n%.600s", st, p.want, body)
				}
				checkPage(t, p.path, body)
			})
		}
	}
}

func TestPagesNeedALogin(t *testing.T) {
	e := newPagesEnv(t)
	if st, _ := e.get(t, "/dashboard", ""); st != http.StatusSeeOther {
		t.Fatalf("no session: %d, want a redirect to /login", st)
	}
	sid, _ := e.login(t, "tiepnhan", survey.RoleReception, "so-a")
	for _, p := range []string{"/dashboard", "/reports/official", "/dashboard/comments", "/exports/summary.csv"} {
		if st, _ := e.get(t, p, sid); st != http.StatusForbidden {
			t.Errorf("reception on %s: %d, want 403", p, st)
		}
	}
}

func TestPagesOutsideSubtreeForbidden(t *testing.T) {
	e := newPagesEnv(t)
	sid, csrf := e.login(t, "giamdoc", survey.RoleManager, "so-a")
	for _, p := range []string{"/dashboard?unit=so-b", "/dashboard/criteria/facilities?unit=so-b", "/dashboard/comments?unit=so-b",
		"/reports/official?unit=so-b", "/exports/responses.csv?unit=so-b", "/exports/responses.xlsx?unit=so-b",
		"/exports/summary.csv?unit=so-b", "/exports/summary.xlsx?unit=so-b", "/exports/breakdown.csv?unit=so-b&by=counter",
		"/dashboard?unit=tinh"} {
		if st, _ := e.get(t, p, sid); st != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", p, st)
		}
	}
	// The unit picker offers only the subtree.
	_, body := e.get(t, "/dashboard", sid)
	if !strings.Contains(body, `value="so-a-vp"`) || strings.Contains(body, `value="so-b"`) {
		t.Error("the unit picker goes outside the manager's subtree")
	}
	// Flagging a response of another unit.
	var other uint64
	e.db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		if r.Unit == "so-b" {
			other = r.Key
		}
		return nil
	})
	form := url.Values{"_csrf": {csrf}, "key": {itoa(other)}, "flag": {"misuse"}, "op": {"set"}}
	if st, _, _ := e.do(t, "POST", "/dashboard/comments/flag", sid, form); st != http.StatusForbidden {
		t.Fatalf("flag outside the subtree: %d", st)
	}
	form.Set("reason", "phiếu giả")
	if st, _, _ := e.do(t, "POST", "/dashboard/proposals", sid, form); st != http.StatusForbidden {
		t.Fatalf("proposal outside the subtree: %d", st)
	}
	if len(e.db.FlagProposals("")) != 0 {
		t.Fatal("a refused proposal was stored")
	}
}

func TestPagesBadInput(t *testing.T) {
	e := newPagesEnv(t)
	sid, _ := e.login(t, "quantri", survey.RoleAdmin, "")
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{"/dashboard?from=2026-02-30", 422, "f-from"},
		{"/dashboard?from=hôm-qua", 422, "f-from"},
		{"/dashboard?from=2026-03-01&to=2026-01-01", 422, "f-from"},
		{"/dashboard?unit=khong-co", 422, "f-unit"},
		{"/dashboard?survey=khong-co", 422, "f-survey"},
		{"/dashboard?channel=fax", 422, "f-channel"},
		{"/dashboard?p=2026-q5", 422, "f-p"},
		{"/dashboard?p=2026&from=2026-01-01", 422, "f-p"},
		{"/dashboard?lang=fr", 422, ""},
		{"/dashboard?frobnicate=1", 400, ""},
		{"/dashboard?unit=so-a&unit=so-b", 400, ""},
		{"/reports/official?to=2026-13-01", 422, "f-to"},
		{"/dashboard/comments?before=abc", 422, ""},
		{"/dashboard/comments?criterion=khong-co", 422, ""},
		{"/dashboard/comments?show=everything", 422, ""},
	} {
		st, body := e.get(t, c.path, sid)
		if st != c.status || !strings.Contains(body, "error-summary") || (c.field != "" && !strings.Contains(body, `href="#`+c.field+`"`)) {
			t.Errorf("%s: %d, want %d with the message linked to %s:\n%.400s", c.path, st, c.status, c.field, body)
		}
		checkPage(t, c.path, body)
	}
	if st, _ := e.get(t, "/dashboard/criteria/khong-co", sid); st != 404 {
		t.Errorf("unknown criterion: %d, want 404", st)
	}
	for _, p := range []string{"/exports/summary.csv?from=2026-03-01&to=2026-01-01", "/exports/breakdown.csv?by=colour", "/exports/responses.csv?unit=khong-co"} {
		if st, _ := e.get(t, p, sid); st != 422 {
			t.Errorf("%s: %d, want 422", p, st)
		}
	}
}

func TestCommentsEscapedAndMasked(t *testing.T) {
	e := newPagesEnv(t)
	sid, _ := e.login(t, "giamdoc", survey.RoleManager, "so-a")
	for _, p := range []string{"/dashboard/comments", "/dashboard/criteria/facilities", "/reports/official"} {
		st, body := e.get(t, p, sid)
		if st != 200 {
			t.Fatalf("%s: %d", p, st)
		}
		if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
			t.Errorf("%s: the comment's markup is not escaped", p)
		}
		if strings.Contains(body, "0905 123 456") || strings.Contains(body, "lan@example.com") || !strings.Contains(body, "[số ẩn]") || !strings.Contains(body, "[email ẩn]") {
			t.Errorf("%s: phone number or e-mail address not masked", p)
		}
	}
}

func TestCommentsPages(t *testing.T) {
	e := newPagesEnv(t)
	sid, _ := e.login(t, "quantri", survey.RoleAdmin, "")
	// Every response with a comment, newest first, page by page.
	var want []string
	e.db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		if r.Comment != "" {
			want = append([]string{itoa(r.Key)}, want...)
		}
		return nil
	})
	walk := func(t *testing.T, maxPages int) (got []string, notes int) {
		next := "/dashboard/comments?from=2025-06-01&to=2026-03-18"
		keyRe := regexp.MustCompile(`data-response="(\d+)"`)
		nextRe := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
		for pages := 0; next != ""; pages++ {
			if pages == maxPages {
				t.Fatalf("more than %d pages", maxPages)
			}
			st, body := e.get(t, strings.ReplaceAll(next, "&amp;", "&"), sid)
			if st != 200 {
				t.Fatalf("%s: %d", next, st)
			}
			for _, m := range keyRe.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			notes += strings.Count(body, "data-searched")
			next = ""
			if m := nextRe.FindStringSubmatch(body); m != nil {
				next = m[1]
			}
		}
		return got, notes
	}
	got, notes := walk(t, 20)
	if strings.Join(got, ",") != strings.Join(want, ",") || notes != 0 {
		t.Fatalf("pages list %d responses, want %d newest first (%d pages stopped early)", len(got), len(want), notes)
	}
	t.Run("SmallScanBudget", func(t *testing.T) {
		// Pages that stop at the budget say so and lead on; the walk lists
		// the same responses, none skipped or repeated.
		defer func(b int) { commentScanBudget = b }(commentScanBudget)
		commentScanBudget = 20
		got, notes := walk(t, 200)
		if strings.Join(got, ",") != strings.Join(want, ",") || notes == 0 {
			t.Fatalf("with a budget of 20: %d responses, want %d; %d pages said they stopped early", len(got), len(want), notes)
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
