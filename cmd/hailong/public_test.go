package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hailong/publish/pubtest"
	"hailong/survey"
)

// The public pages on the real server over a dataset seeded with what must
// stay private (publish/pubtest): comments with a marker, named staff and
// counters, a unit under the minimum n, misuse- and unverified-flagged
// responses, responses before the "published from" day, a withheld unit
// and a non-public group. An administrator turns publication on through
// /admin/publish; then every page, widget, badge and data file reachable
// from /cong-khai is fetched and searched.

type pubEnv struct {
	m    *Main
	base string
	fx   pubtest.Fixture
}

func newPubEnv(t *testing.T) *pubEnv {
	t.Helper()
	m := MustRun(t, t.TempDir())
	fx, err := pubtest.Seed(survey.ServicesOf(m.DB), time.Now().In(m.DB.Loc()).Year()-1)
	if err != nil {
		t.Fatal(err)
	}
	return &pubEnv{m: m, base: "http://" + m.Addr, fx: fx}
}

func (e *pubEnv) fetch(t *testing.T, path, accept string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.base+path, nil)
	req.Header.Set("Accept", accept)
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		t.Errorf("%s: %d", path, res.StatusCode)
	}
	return res.StatusCode, res.Header, string(b)
}

// enable turns publication on through the admin page, as an administrator.
func (e *pubEnv) enable(t *testing.T, extra url.Values) {
	t.Helper()
	if err := e.m.DB.CreateUser(survey.User{Username: "dash-admin", Role: survey.RoleAdmin}, dashPassword); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatal(err)
	}
	c := (&dashEnv{base: e.base}).login(t, "dash-admin")
	v := url.Values{"enabled": {"1"}, "from": {e.fx.PublishFrom}, "group": {pubtest.GroupID},
		"unit": {pubtest.UnitA, pubtest.UnitB, pubtest.FewUnitID}, "origins": {"https://congkhai.example.gov.vn"}}
	for k, x := range extra {
		v[k] = x
	}
	_, body := c.get("/admin/publish")
	m := dashCSRF.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on /admin/publish")
	}
	v.Set("_csrf", m[1])
	if st, body, _ := c.do("POST", "/admin/publish", v); st != http.StatusSeeOther {
		t.Fatalf("save publication settings: %d %s", st, body)
	}
}

var (
	pubHref   = regexp.MustCompile(`href="(/cong-khai[^"#]*)"`)
	pubOption = regexp.MustCompile(`<option value="([0-9q-]+)"`)
	pubRow    = regexp.MustCompile(`(?s)<tr\b.*?</tr>`)
	pubTag    = regexp.MustCompile(`<[^>]*>`)
)

var pubPrivate = []string{pubtest.CommentMarker, "0912345678", "Phải đứng chờ", pubtest.StaffName, pubtest.FewStaffName,
	pubtest.CounterName, pubtest.HiddenUnitName, pubtest.HiddenGroupName, pubtest.HiddenGroupUnit, pubtest.HiddenUnitID,
	pubtest.HiddenGroupUID, pubtest.StaffID, pubtest.CounterID, "Theo quầy", "Theo công chức"}

// crawl fetches /cong-khai in both languages and every period, every
// /cong-khai link on those pages, and the widget, badge and data files of
// every period and agency; it returns each body by path.
func (e *pubEnv) crawl(t *testing.T) map[string]string {
	t.Helper()
	seen := map[string]string{}
	queue := []string{"/cong-khai", "/cong-khai?lang=en"}
	_, _, first := e.fetch(t, "/cong-khai", "text/html")
	for _, m := range pubOption.FindAllStringSubmatch(first, -1) {
		queue = append(queue, "/cong-khai?p="+m[1], "/cong-khai/data.json?p="+m[1], "/cong-khai/data.csv?p="+m[1])
		for _, u := range []string{pubtest.UnitA, pubtest.UnitB, pubtest.FewUnitID} {
			queue = append(queue, "/cong-khai/widget/"+u+"?p="+m[1], "/cong-khai/badge/"+u+".svg?p="+m[1])
		}
	}
	for len(queue) > 0 && len(seen) < 400 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		st, _, body := e.fetch(t, p, "text/html")
		if st != 200 {
			t.Errorf("%s: %d", p, st)
		}
		seen[p] = body
		for _, m := range pubHref.FindAllStringSubmatch(body, -1) {
			queue = append(queue, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
	}
	if len(seen) < 60 {
		t.Fatalf("crawled only %d public paths", len(seen))
	}
	return seen
}

func TestPublicNothingPrivateLeaks(t *testing.T) {
	e := newPubEnv(t)
	for _, p := range []string{"/cong-khai", "/cong-khai/data.json", "/cong-khai/data.csv", "/cong-khai/widget/so-a", "/cong-khai/badge/so-a.svg"} {
		if st, _, body := e.fetch(t, p, "text/html"); st != http.StatusNotFound || strings.Contains(body, "Sở Alpha") {
			t.Errorf("%s before publication: %d", p, st)
		}
	}
	e.enable(t, nil)
	pages := e.crawl(t)
	y := strconv.Itoa(e.fx.Year)
	for p, body := range pages {
		for _, bad := range pubPrivate {
			if strings.Contains(body, bad) {
				t.Errorf("%s shows %q", p, bad)
			}
		}
		if strings.Contains(p, "p="+strconv.Itoa(e.fx.Year-1)) {
			t.Errorf("a period before the published-from day is offered: %s", p)
		}
		// The unit under the minimum n is words, never a number (nor a rank).
		if !strings.HasPrefix(p, "/cong-khai/") && strings.Contains(body, pubtest.FewUnitName) {
			for _, r := range pubRow.FindAllString(body, -1) {
				if strings.Contains(r, pubtest.FewUnitName) && regexp.MustCompile(`\d`).MatchString(pubTag.ReplaceAllString(r, "")) {
					t.Errorf("%s: Sở Gamma shows a number: %s", p, pubTag.ReplaceAllString(r, " "))
				}
			}
		}
	}
	// Flagged responses and those before 1 March are not counted: Sở Alpha
	// reads 80 responses at 50,00 % for the year, not 130 or 330.
	year, found := pages["/cong-khai?p="+y], false
	for _, r := range pubRow.FindAllString(year, -1) {
		if strings.Contains(r, "Sở Alpha") && strings.Contains(r, `class="num rank"`) {
			found = true
			if !strings.Contains(r, "50,00\u00a0%") || !strings.Contains(r, ">80<") {
				t.Errorf("Sở Alpha's year row: %s", pubTag.ReplaceAllString(r, " "))
			}
		}
	}
	if !found {
		t.Error("no rank row for Sở Alpha")
	}
	t.Logf("%d public paths fetched", len(pages))
	for _, p := range []string{"/cong-khai/widget/" + pubtest.FewUnitID + "?p=" + y, "/cong-khai/badge/" + pubtest.FewUnitID + ".svg?p=" + y} {
		if body := pages[p]; !strings.Contains(body, "Chưa đủ số phiếu để kết luận") || strings.Contains(body, "%") {
			t.Errorf("%s: %q", p, body)
		}
	}
	if j := pages["/cong-khai/data.json?p="+y]; !strings.Contains(j, `"id":"so-c","name":"Sở Gamma","reason":"too_few_responses","responses":null,"index":null`) {
		t.Errorf("data.json: Sở Gamma not withheld with a reason")
	}
}

func TestPublicStaffLevelOnlyWhenEnabled(t *testing.T) {
	e := newPubEnv(t)
	e.enable(t, url.Values{"staff": {"1"}})
	y := strconv.Itoa(e.fx.Year)
	_, _, page := e.fetch(t, "/cong-khai?p="+y+"-q3&unit=so-a", "text/html")
	for _, want := range []string{pubtest.StaffName, pubtest.CounterName, "Theo công chức"} {
		if !strings.Contains(page, want) {
			t.Errorf("staff-level publication on: missing %q", want)
		}
	}
	for _, bad := range []string{pubtest.FewStaffName, pubtest.CommentMarker, pubtest.HiddenUnitName} {
		if strings.Contains(page, bad) {
			t.Errorf("staff-level publication on: shows %q", bad)
		}
	}
}

func TestPublicFramePolicy(t *testing.T) {
	e := newPubEnv(t)
	e.enable(t, nil)
	_, h, _ := e.fetch(t, "/cong-khai/widget/so-a", "text/html")
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://congkhai.example.gov.vn;") || h.Get("X-Frame-Options") != "" {
		t.Errorf("widget: CSP %q, X-Frame-Options %q", csp, h.Get("X-Frame-Options"))
	}
	if h.Get("Cache-Control") != "public, max-age=300" || h.Get("ETag") == "" {
		t.Errorf("widget caching: %q %q", h.Get("Cache-Control"), h.Get("ETag"))
	}
	for _, p := range []string{"/cong-khai", "/cong-khai/badge/so-a.svg", "/cong-khai/data.json", "/login", "/kiosk", "/admin/publish", "/dashboard", "/"} {
		_, h, _ := e.fetch(t, p, "text/html")
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q", p, h.Get("Content-Security-Policy"), h.Get("X-Frame-Options"))
		}
	}
	// Publication off again: the page is a polite 404, the data files 404.
	mustSet(t, e.m.DB, func(s *survey.Settings) { s.Publish.Enabled = false })
	if st, h, body := e.fetch(t, "/cong-khai", "text/html"); st != http.StatusNotFound || !strings.Contains(body, "Chưa công bố") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("off: %d %q", st, h.Get("Cache-Control"))
	}
	if st, _, body := e.fetch(t, "/cong-khai/data.json", "application/json"); st != http.StatusNotFound || !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("data while off: %d %s", st, body)
	}
}
