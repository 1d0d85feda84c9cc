package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"hailong/demo"
	"hailong/survey"
)

// The dashboard, the official report, comments, flags and exports on the
// real server over the demo province, through real logins; then in real
// Chromium, with screenshots in ./artifacts and an axe scan.

const dashPassword = "mật-khẩu-bảng-điều-khiển"

// dashEnv is a server over the demo province with three logins and a
// reception token for Sở Công Thương, all made by the CLI.
type dashEnv struct {
	m         *Main
	base      string
	reception string
}

func newDashEnv(t *testing.T) *dashEnv {
	t.Helper()
	dir := t.TempDir()
	m := MustRun(t, dir)
	if _, err := demo.Generate(m.DB, time.Now().In(m.DB.Loc()), 1); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for _, u := range [][3]string{{"dash-admin", "admin", ""}, {"dash-manager", "manager", "so-cong-thuong"}, {"dash-viewer", "viewer", "so-cong-thuong"}} {
		args := []string{"user", "add", "--data", dir, "--username", u[0], "--role", u[1], "--password-stdin"}
		if u[2] != "" {
			args = append(args, "--unit", u[2])
		}
		mustCLI(t, dashPassword+"\n", args...)
	}
	e := &dashEnv{reception: aToken(t, dir, "reception", "so-cong-thuong")}
	e.m = MustRun(t, dir)
	e.base = "http://" + e.m.Addr
	return e
}

// dashClient is a browser without JavaScript: a cookie jar, no redirects.
type dashClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

var dashCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login logs in through the login form (its CSRF token and hl_pre cookie).
func (e *dashEnv) login(t *testing.T, user string) *dashClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &dashClient{t: t, base: e.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	st, body, _ := c.do("GET", "/login", nil)
	m := dashCSRF.FindStringSubmatch(body)
	if st != 200 || m == nil {
		t.Fatalf("login page: %d", st)
	}
	st, _, hdr := c.do("POST", "/login", url.Values{"username": {user}, "password": {dashPassword}, "_csrf": {m[1]}})
	if st != http.StatusSeeOther {
		t.Fatalf("login %s: %d", user, st)
	}
	if user != "dash-admin" && hdr.Get("Location") != "/dashboard" {
		t.Fatalf("%s lands on %q, want /dashboard", user, hdr.Get("Location"))
	}
	return c
}

func (c *dashClient) do(method, path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *dashClient) get(path string) (int, string) {
	c.t.Helper()
	st, body, _ := c.do("GET", path, nil)
	return st, body
}

// summary reads the JSON summary with the session.
func (c *dashClient) summary(query string) map[string]any {
	c.t.Helper()
	st, body := c.get("/api/v1/analytics/summary?" + query)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil || st != 200 {
		c.t.Fatalf("summary: %d %s", st, body)
	}
	return m
}

func TestDashboardPages(t *testing.T) {
	e := newDashEnv(t)
	year := strconv.Itoa(time.Now().Year() - 1)
	pages := []struct{ path, want string }{
		{"/dashboard", "Xếp hạng trong khối"},
		{"/dashboard?lang=en", "Rank in group"},
		{"/dashboard/criteria/facilities", "Bố trí quầy, trang thiết bị"},
		{"/dashboard/comments", "Ý kiến người dân"},
		{"/reports/official?p=" + year, "BÁO CÁO"},
	}
	for _, user := range []string{"dash-viewer", "dash-manager", "dash-admin"} {
		c := e.login(t, user)
		for _, p := range pages {
			if st, body := c.get(p.path); st != 200 || !strings.Contains(body, p.want) || !strings.Contains(body, "Sở Công Thương") {
				t.Errorf("%s %s: %d, want %q", user, p.path, st, p.want)
			}
		}
	}

	t.Run("OtherUnitForbidden", func(t *testing.T) { dashForbidden(t, e) })
	t.Run("SummaryCSVEqualsJSON", func(t *testing.T) { dashSummaryCSV(t, e, year) })
	t.Run("CommentEscapedMaskedFlagged", func(t *testing.T) { dashCommentFlag(t, e) })
}

// dashForbidden: a manager of Sở Công Thương asks for Sở Tư pháp.
func dashForbidden(t *testing.T, e *dashEnv) {
	c := e.login(t, "dash-manager")
	for _, p := range []string{"/dashboard?unit=so-tu-phap", "/dashboard/criteria/facilities?unit=so-tu-phap", "/dashboard/comments?unit=so-tu-phap",
		"/reports/official?unit=so-tu-phap", "/exports/responses.csv?unit=so-tu-phap", "/exports/summary.xlsx?unit=so-tu-phap", "/exports/summary.csv?unit=so-tu-phap"} {
		if st, _ := c.get(p); st != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", p, st)
		}
	}
}

// dashSummaryCSV: the summary export of last year equals the JSON summary.
func dashSummaryCSV(t *testing.T, e *dashEnv, year string) {
	c := e.login(t, "dash-viewer")
	q := "unit=so-cong-thuong&from=" + year + "-01-01&to=" + year + "-12-31"
	js := c.summary(q)
	st, body := c.get("/exports/summary.csv?" + q)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if st != 200 || err != nil || !strings.HasPrefix(body, "\uFEFF") {
		t.Fatalf("summary.csv: %d %v", st, err)
	}
	index := fmt.Sprintf("%.2f", aPath(js, "index", "value"))
	if rows[1][4] != "index" || rows[1][9] != index {
		t.Fatalf("CSV index row %v, JSON %s", rows[1], index)
	}
	t.Logf("Sở Công Thương %s: index %s, rank %v/%v (before %v)", year, index, aPath(js, "rank", "position"), aPath(js, "rank", "of"), aPath(js, "rank", "previous_position"))
}

// dashCommentFlag: a comment with markup and a phone number, submitted
// through the API, is escaped and masked on the comments page. The manager
// (the ranked party) cannot flag it but proposes; the administrator's
// confirmation takes it out of the summary's n with an audit record naming
// the reason; the administrator's unflag (with a reason) brings it back.
func dashCommentFlag(t *testing.T, e *dashEnv) {
	body := `{"survey":"quay","unit":"so-cong-thuong","answers":{"overall":1,"facilities":1},"reasons":["had_to_stand"],"comment":"<script>alert('x')</script> gọi 0912 345 678"}`
	r := post(t, http.DefaultClient, e.base+"/api/v1/responses", e.reception, "application/json", []byte(body))
	if r.Status != 201 {
		t.Fatalf("submit: %d %v", r.Status, r.Body)
	}
	c := e.login(t, "dash-manager")
	st, page := c.get("/dashboard/comments")
	if st != 200 || strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; gọi [số ẩn]") ||
		strings.Contains(page, "0912 345 678") {
		t.Fatalf("the new comment is not escaped and masked on the comments page (%d)", st)
	}
	stored, _ := e.m.DB.ResponseByID(r.Body["id"].(string))
	key := strconv.FormatUint(stored.Key, 10)
	csrf := dashCSRF.FindStringSubmatch(page)[1]
	q := "unit=so-cong-thuong"
	n0 := aPath(c.summary(q), "index", "n").(float64)
	form := func(csrf, op, reason string) url.Values {
		return url.Values{"_csrf": {csrf}, "key": {key}, "flag": {"misuse"}, "op": {op}, "reason": {reason}, "back": {"/dashboard/comments"}}
	}
	if st, _, _ := c.do("POST", "/dashboard/comments/flag", form(csrf, "set", "tự đánh dấu")); st != http.StatusForbidden {
		t.Fatalf("the manager flagged: %d", st)
	}
	if st, _, hdr := c.do("POST", "/dashboard/proposals", form(csrf, "set", "nhân viên bấm thử")); st != http.StatusSeeOther ||
		!strings.HasPrefix(hdr.Get("Location"), "/dashboard/comments?done=proposed") {
		t.Fatalf("propose: %d %v", st, hdr)
	}
	if n := aPath(c.summary(q), "index", "n").(float64); n != n0 {
		t.Fatalf("a proposal moved n to %v", n)
	}
	a := e.login(t, "dash-admin")
	_, list := a.get("/dashboard/proposals")
	acsrf := dashCSRF.FindStringSubmatch(list)[1]
	open := e.m.DB.FlagProposals(survey.ProposalOpen)
	if len(open) != 1 || !strings.Contains(list, `data-proposal="`+open[0].ID+`"`) {
		t.Fatalf("the proposal is not listed for the administrator: %+v", open)
	}
	if st, _, _ := a.do("POST", "/dashboard/proposals/"+open[0].ID, url.Values{"_csrf": {acsrf}, "decision": {"confirm"}}); st != http.StatusSeeOther {
		t.Fatalf("confirm: %d", st)
	}
	if n := aPath(c.summary(q), "index", "n").(float64); n != n0-1 {
		t.Fatalf("after the confirmed proposal n = %v, want %v", n, n0-1)
	}
	var flagged *survey.AuditEntry
	for _, x := range e.m.DB.AuditLog(5, time.Time{}) {
		if x.Action == "response.flags" {
			flagged = &x
			break
		}
	}
	if flagged == nil || flagged.Actor != "dash-admin" || flagged.Target != key || !strings.Contains(flagged.Detail, "nhân viên bấm thử") {
		t.Fatalf("audit: %+v", flagged)
	}
	if st, _, hdr := a.do("POST", "/dashboard/comments/flag", form(acsrf, "clear", "ki-ốt thật, đã kiểm tra")); st != http.StatusSeeOther ||
		!strings.HasPrefix(hdr.Get("Location"), "/dashboard/comments?done=clear") {
		t.Fatalf("clear: %d %v", st, hdr)
	}
	if n := aPath(c.summary(q), "index", "n").(float64); n != n0 {
		t.Fatalf("after unflagging n = %v, want %v", n, n0)
	}
}

// dashTab is a browser tab logged in as one user.
type dashTab struct {
	t        *testing.T
	ctx      context.Context
	base     string
	mu       sync.Mutex
	jsErrors []string
}

func (e *dashEnv) tab(t *testing.T, browser context.Context, user string) *dashTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	d := &dashTab{t: t, ctx: ctx, base: e.base}
	if err := chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			d.mu.Lock()
			d.jsErrors = append(d.jsErrors, ex.ExceptionDetails.Text)
			d.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, s := range d.jsErrors {
			t.Errorf("uncaught JavaScript error: %s", s)
		}
	})
	d.run(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(e.base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), dashPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(".headline")))
	return d
}

func (d *dashTab) run(actions ...chromedp.Action[chromedp.Void]) {
	d.t.Helper()
	if err := chromedp.Do(d.ctx, actions...); err != nil {
		d.t.Fatal(err)
	}
}

func dashJS[T any](d *dashTab, expr string) T {
	d.t.Helper()
	v, err := chromedp.Run(d.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		d.t.Fatal(err)
	}
	return v
}

// shot writes a screenshot (the viewport, or the whole page) to artifacts.
func (d *dashTab) shot(name string, full bool) {
	d.t.Helper()
	a := chromedp.CaptureScreenshot()
	if full {
		a = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(d.ctx, a)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(d.t), name+".png"), png, 0o644); err != nil {
		d.t.Fatal(err)
	}
}

func dashMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// overflow lists elements wider than the page (a layout that scrolls sideways).
const overflowJS = `(() => { const W = document.documentElement.clientWidth, out = [];
	if (document.scrollingElement.scrollWidth > W) out.push("page scrolls sideways: " + document.scrollingElement.scrollWidth);
	for (const el of document.querySelectorAll("main *")) { const r = el.getBoundingClientRect();
		if (r.width && r.right > W + 1 && !el.closest(".table-wrap")) out.push(el.tagName + "." + el.className + " ends at " + Math.round(r.right)); }
	return out.slice(0, 10); })()`

func TestDashboardBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newDashEnv(t)
	d := e.tab(t, browser, "dash-manager")
	t.Run("Dashboard", func(t *testing.T) { d.t = t; dashBrowseDashboard(t, e, d) })
	t.Run("Accessibility", func(t *testing.T) {
		d.t = t
		axePages(t, e, d, "/dashboard", "/dashboard/criteria/facilities", "/dashboard/comments", "/reports/official")
	})
	t.Run("Criterion", func(t *testing.T) { d.t = t; dashBrowseCriterion(t, e, d) })
	t.Run("WithoutJavaScript", func(t *testing.T) { d.t = t; dashNoScript(t, e, d) })
	t.Run("ReportPrintedOnA4", func(t *testing.T) { d.t = t; dashReportA4(t, e, d) })
	t.Run("Satisfaction766", func(t *testing.T) { d.t = t; dashBrowse766(t, e, d) })
}

// dashBrowse766 looks at the 766 satisfaction figures on the dashboard and
// in the official report: five figures, each with its numerator and
// denominator, in the page's number format.
func dashBrowse766(t *testing.T, e *dashEnv, d *dashTab) {
	pct := regexp.MustCompile(`^\d{1,3},\d{2}\x{00a0}%$|^—$`)
	for _, pg := range []struct{ path, table, shot string }{
		{"/dashboard", "#sat766", "dashboard-766"},
		{"/reports/official?p=" + strconv.Itoa(time.Now().Year()-1), "table.sat766", "report-766"},
	} {
		d.run(chromedp.Navigate(e.base+pg.path), chromedp.WaitVisible(chromedp.CSS("table.sat766")))
		rows := dashJS[[][]string](d, `[...document.querySelectorAll("table.sat766 tbody tr")].map(r => [r.dataset["766"], ...[...r.cells].slice(-2).map(c => c.textContent.trim())])`)
		if len(rows) != 5 {
			t.Fatalf("%s: %d rows of 766 figures", pg.path, len(rows))
		}
		for i, code := range []string{"", "5.4", "5.2", "5.3", ""} {
			if rows[i][0] != code || !pct.MatchString(rows[i][1]) || !regexp.MustCompile(`^[\d.]+ / [\d.]+ \pL`).MatchString(rows[i][2]) {
				t.Errorf("%s row %d: %q", pg.path, i, rows[i])
			}
		}
		if rows[0][1] == "—" || rows[1][1] == "—" {
			t.Errorf("%s: the demo's response rate and per-dossier rate are missing: %q", pg.path, rows)
		}
		d.shotOf(pg.shot, pg.table)
	}
}

func dashBrowseDashboard(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(".headline .value")))
	d.shot("dashboard-1366x768", false)
	d.shot("dashboard-full", true)
	big := dashJS[string](d, `document.querySelector('[data-figure="index"] .value').textContent`)
	if !regexp.MustCompile(`^\d{2},\d{2}\x{00a0}%$`).MatchString(big) {
		t.Errorf("index shown as %q, want the Vietnamese format 76,29 %%", big)
	}
	rank := dashJS[string](d, `document.querySelector('[data-figure="rank"]').textContent`)
	if !strings.Contains(rank, "/14 khối Sở") || !strings.Contains(rank, "năm trước:") {
		t.Errorf("rank reads %q", rank)
	}
	if o := dashJS[[]string](d, overflowJS); len(o) > 0 {
		t.Errorf("overflow at 1366 px: %v", o)
	}
	// The sort buttons (dashboard.js) sort a breakdown table.
	order := dashJS[string](d, `(() => { const t = document.querySelector("#h-by-counter").parentNode.querySelector("table");
		t.querySelectorAll("thead button")[1].click();
		return [...t.tBodies[0].rows].map(r => r.cells[1].dataset.sort).join(" "); })()`)
	vals := strings.Fields(order)
	for i := 1; i < len(vals); i++ {
		a, _ := strconv.ParseFloat(vals[i-1], 64)
		b, _ := strconv.ParseFloat(vals[i], 64)
		if a > b {
			t.Errorf("counters not sorted ascending after a click: %v", vals)
			break
		}
	}
}

func dashBrowseCriterion(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Navigate(e.base+"/dashboard"), chromedp.Click(chromedp.CSS(`table.bars tbody tr:first-child th a`)),
		chromedp.WaitVisible(chromedp.CSS("#h-reasons")))
	title := dashJS[string](d, `document.querySelector("h1").textContent`)
	if !strings.Contains(title, "Bố trí quầy") {
		t.Errorf("the weakest criterion of Sở Công Thương is %q, want the counter layout", title)
	}
	d.shot("criterion-1366x768", false)
	d.shot("criterion-full", true)
}

func dashNoScript(t *testing.T, e *dashEnv, d *dashTab) {
	d.run(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}), chromedp.Navigate(e.base+"/dashboard?p="+strconv.Itoa(time.Now().Year()-1)), chromedp.WaitVisible(chromedp.CSS(".headline")))
	if n := dashJS[int](d, `document.querySelectorAll("table.bars tbody tr").length`); n < 7 {
		t.Errorf("%d criteria rows without JavaScript", n)
	}
	d.run(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))
}

func dashReportA4(t *testing.T, e *dashEnv, d *dashTab) {
	year := strconv.Itoa(time.Now().Year() - 1)
	d.run(chromedp.EmulateViewport(794, 1123), dashMedia("print"), chromedp.Navigate(e.base+"/reports/official?p="+year),
		chromedp.WaitVisible(chromedp.CSS(".sheet")))
	font := dashJS[string](d, `getComputedStyle(document.querySelector(".sheet")).fontFamily + " " + getComputedStyle(document.querySelector(".sheet .para")).fontSize`)
	if !strings.HasPrefix(font, `"Times New Roman"`) || !strings.HasSuffix(font, "17.3333px") { // 13 pt
		t.Errorf("report body in %s, want Times New Roman 13 pt", font)
	}
	// The screenshot shows the first page as printed: the @page margins
	// (20/15/20/30 mm) are applied by the printer, so add them here.
	dashJS[any](d, `document.body.style.padding = "20mm 15mm 20mm 30mm"`)
	d.shot("report-print-a4", true)
	dashJS[any](d, `document.body.style.padding = ""`)
	pdf, err := chromedp.Run(d.ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
		yes := true
		p.PreferCSSPageSize, p.PrintBackground = &yes, &yes
	}))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(artifactsDir(t), "report-a4.pdf"), pdf, 0o644)
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`).FindAllSubmatch(pdf, -1)
	if len(boxes) < 2 || len(boxes) > 5 {
		t.Errorf("the report printed on %d pages", len(boxes))
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if math.Abs(w-595.28) > 1 || math.Abs(h-841.89) > 1 {
			t.Errorf("page of %s × %s pt, want A4 (595.28 × 841.89)", b[1], b[2])
		}
	}
	d.run(dashMedia(""), chromedp.EmulateViewport(1366, 768))
}
