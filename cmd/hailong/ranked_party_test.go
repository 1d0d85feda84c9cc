package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/publish/pubtest"
	"hailong/survey"
)

// The ranked party (issue 15, docs/SECURITY.md): the manager of an agency
// tries, through the real server, what would move the agency's own figures
// — pairing a kiosk, making a pairing link or an API token, posting a
// backdated burst, clearing the `unverified` flag of its poster answers —
// and is refused every time with nothing changed; the manager's proposals
// change nothing until an administrator confirms them; the official report
// and /cong-khai then say how many responses were left out, and why.

// rankedEnv is the public data set (publish/pubtest: Sở Alpha has 100
// misuse-flagged kiosk answers and 100 unverified poster answers in Q3,
// 60 of them in September) with an administrator and Sở Alpha's manager.
type rankedEnv struct {
	*pubEnv
	admin, manager *dashClient
	year           int
	target, poster uint64 // a counted July answer of Sở Alpha; its last September poster answer
}

func newRankedEnv(t *testing.T) *rankedEnv {
	t.Helper()
	e := &rankedEnv{pubEnv: newPubEnv(t)}
	e.year = e.fx.Year
	for _, u := range [][3]string{{"dash-admin", survey.RoleAdmin, ""}, {"giamdoc-a", survey.RoleManager, pubtest.UnitA}} {
		if err := e.m.DB.CreateUser(survey.User{Username: u[0], Role: u[1], Unit: u[2]}, dashPassword); err != nil {
			t.Fatal(err)
		}
	}
	d := &dashEnv{base: e.base}
	e.admin, e.manager = d.login(t, "dash-admin"), d.login(t, "giamdoc-a")
	loc := e.m.DB.Loc()
	_ = e.m.DB.EachResponse(time.Date(e.year, 7, 1, 0, 0, 0, 0, loc), time.Date(e.year, 10, 1, 0, 0, 0, 0, loc), func(r *survey.Response) error {
		switch {
		case r.Unit != pubtest.UnitA:
		case e.target == 0 && r.Flags == 0 && r.SubmittedAt.Month() == time.July:
			e.target = r.Key
		case r.Flags == survey.FlagUnverified && r.SubmittedAt.Month() == time.September:
			e.poster = r.Key // the last: on the first page of the comments list
		}
		return nil
	})
	if e.target == 0 || e.poster == 0 {
		t.Fatal("the fixture has no counted July answer or September poster answer for Sở Alpha")
	}
	return e
}

// csrf reads the session's CSRF token from a page.
func (c *dashClient) csrf(path string) string {
	c.t.Helper()
	_, body := c.get(path)
	m := dashCSRF.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// q3 is the query of Sở Alpha's third quarter.
func (e *rankedEnv) q3() string {
	return fmt.Sprintf("unit=%s&from=%d-07-01&to=%d-09-30", pubtest.UnitA, e.year, e.year)
}

func (e *rankedEnv) n(t *testing.T) float64 {
	t.Helper()
	return aPath(e.admin.summary(e.q3()), "index", "n").(float64)
}

func (e *rankedEnv) flags(t *testing.T, key uint64) survey.Flags {
	t.Helper()
	r, err := e.m.DB.Response(key)
	if err != nil {
		t.Fatal(err)
	}
	return r.Flags
}

func TestRankedPartyCannotMoveItsFigures(t *testing.T) {
	e := newRankedEnv(t)
	db := e.m.DB
	if _, err := db.AddKiosk(survey.Kiosk{ID: "a-k1", Unit: pubtest.UnitA, Name: "Ki-ốt sảnh"}); err != nil {
		t.Fatal(err)
	}
	kiosks, tokens, responses, n0 := len(db.Kiosks()), len(db.Tokens()), db.ResponseCount(), e.n(t)
	mc := e.manager.csrf("/admin/kiosks")
	poster := strconv.FormatUint(e.poster, 10)

	t.Run("ManagerIsRefused", func(t *testing.T) {
		for _, try := range []struct {
			what, path string
			form       url.Values
		}{
			{"pair a kiosk", "/admin/kiosks", url.Values{"name": {"Ki-ốt riêng"}, "unit": {pubtest.UnitA}}},
			{"make a pairing link", "/admin/kiosks/a-k1/pair", url.Values{}},
			{"make an API token", "/admin/tokens", url.Values{"name": {"Máy riêng"}, "role": {"reception"}, "unit": {pubtest.UnitA}}},
			{"clear its poster answer's flag", "/dashboard/comments/flag", url.Values{"key": {poster}, "flag": {"unverified"}, "op": {"clear"}, "reason": {"phiếu thật"}}},
		} {
			try.form.Set("_csrf", mc)
			if st, _, _ := e.manager.do("POST", try.path, try.form); st != http.StatusForbidden {
				t.Errorf("the manager could %s: %d", try.what, st)
			}
		}
		// a backdated burst through the API with the session
		for i := range 5 {
			body := fmt.Sprintf(`{"survey":"quay","unit":%q,"answers":{"overall":5},"submitted_at":%q}`, pubtest.UnitA,
				time.Now().AddDate(0, 0, -3).Add(time.Duration(i)*time.Second).Format(time.RFC3339))
			req, _ := http.NewRequest("POST", e.base+"/api/v1/responses", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", mc)
			res, err := e.manager.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("the manager posted a response: %d", res.StatusCode)
			}
		}
		if len(db.Kiosks()) != kiosks || len(db.Tokens()) != tokens || db.ResponseCount() != responses || e.flags(t, e.poster) != survey.FlagUnverified {
			t.Fatal("a refused attempt changed something")
		}
		_, page := e.manager.get("/admin/kiosks")
		if !strings.Contains(page, "data-kiosk-admin-only") || !strings.Contains(page, "Ki-ốt sảnh") {
			t.Error("the manager's kiosk page does not list the kiosk read-only with the note to ask an administrator")
		}
	})

	t.Run("ManagerProposesAdminDecides", func(t *testing.T) {
		back := "/dashboard/comments?" + e.q3()
		for _, p := range []url.Values{
			{"key": {strconv.FormatUint(e.target, 10)}, "change": {"misuse:set"}, "reason": {"nhân viên bấm thử khi lắp máy"}},
			{"key": {poster}, "change": {"unverified:clear"}, "reason": {"người dân gọi điện xác nhận"}},
		} {
			p.Set("_csrf", mc)
			p.Set("back", back)
			if st, _, hdr := e.manager.do("POST", "/dashboard/proposals", p); st != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=proposed") {
				t.Fatalf("propose: %d %v", st, hdr)
			}
		}
		if e.n(t) != n0 || e.flags(t, e.target) != 0 || e.flags(t, e.poster) != survey.FlagUnverified {
			t.Fatal("a proposal changed what counts")
		}
		ac := e.admin.csrf("/dashboard/proposals")
		// an administrator's own change needs a reason: 422 beside the field, nothing changed
		audits := len(db.AuditLog(10000, time.Time{}))
		st, body, _ := e.admin.do("POST", "/dashboard/comments/flag", url.Values{"_csrf": {ac}, "key": {poster}, "change": {"unverified:clear"}, "reason": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-reason-error"`) {
			t.Fatalf("a flag change without a reason: %d", st)
		}
		if e.flags(t, e.poster) != survey.FlagUnverified || len(db.AuditLog(10000, time.Time{})) != audits {
			t.Fatal("the change without a reason changed something")
		}
		open := db.FlagProposals(survey.ProposalOpen)
		if len(open) != 2 {
			t.Fatalf("open proposals: %+v", open)
		}
		_, list := e.admin.get("/dashboard/proposals")
		for _, p := range open {
			if !strings.Contains(list, `data-proposal="`+p.ID+`"`) || !strings.Contains(list, p.Reason) {
				t.Fatalf("proposal #%s is not listed with its reason", p.ID)
			}
		}
		decide := func(id string) {
			t.Helper()
			if st, _, _ := e.admin.do("POST", "/dashboard/proposals/"+id, url.Values{"_csrf": {ac}, "decision": {"confirm"}, "note": {"đã kiểm tra"}}); st != http.StatusSeeOther {
				t.Fatalf("confirm #%s: %d", id, st)
			}
		}
		decide(open[1].ID) // the older one: misuse on the counted answer
		if got := e.n(t); got != n0-1 {
			t.Fatalf("after excluding one answer n = %v, want %v", got, n0-1)
		}
		decide(open[0].ID) // the poster answer verified
		if got := e.n(t); got != n0 {
			t.Fatalf("after verifying one poster answer n = %v, want %v", got, n0)
		}
		if e.flags(t, e.target) != survey.FlagMisuse|survey.FlagReclassified || e.flags(t, e.poster) != survey.FlagReclassified {
			t.Fatalf("flags: %v, %v", e.flags(t, e.target), e.flags(t, e.poster))
		}
		reasons := map[string]string{}
		for _, a := range db.AuditLog(20, time.Time{}) {
			if a.Action == "response.flags" {
				if a.Actor != "dash-admin" {
					t.Errorf("flag change by %s", a.Actor)
				}
				reasons[a.Target] = a.Detail
			}
		}
		if !strings.Contains(reasons[strconv.FormatUint(e.target, 10)], "nhân viên bấm thử khi lắp máy") ||
			!strings.Contains(reasons[poster], "người dân gọi điện xác nhận") || !strings.Contains(reasons[poster], "giamdoc-a") {
			t.Fatalf("audit reasons: %v", reasons)
		}
	})

	want := map[string]any{"misuse": 100.0, "unverified": 59.0, "reclassified": 1.0, "total": 160.0, "reinstated": 1.0}
	t.Run("ReportStatesExclusions", func(t *testing.T) {
		st, page := e.admin.get("/reports/official?" + e.q3())
		if st != 200 {
			t.Fatalf("report: %d", st)
		}
		for k, v := range want {
			if k == "total" {
				continue
			}
			if cell := fmt.Sprintf(`data-excluded="%s">%v<`, k, v); !strings.Contains(page, cell) {
				t.Errorf("report: no %s", cell)
			}
		}
	})

	t.Run("PublicDataStatesExclusions", func(t *testing.T) {
		e.enable(t, nil)
		_, _, body := e.fetch(t, fmt.Sprintf("/cong-khai/data.json?p=%d-q3", e.year), "application/json")
		var data struct {
			Groups []struct {
				Units []struct {
					ID       string         `json:"id"`
					Excluded map[string]any `json:"excluded"`
				} `json:"units"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(body), &data); err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		for _, g := range data.Groups {
			for _, u := range g.Units {
				if u.ID == pubtest.UnitA {
					got = u.Excluded
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("data.json excluded = %v, want %v", got, want)
		}
		_, _, body = e.fetch(t, fmt.Sprintf("/cong-khai/data.csv?p=%d-q3", e.year), "text/csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, c := range rows[0] {
			col[c] = i
		}
		for _, r := range rows[1:] {
			if r[col["unit"]] == pubtest.UnitA && r[col["kind"]] == "index" &&
				r[col["excluded_misuse"]]+","+r[col["excluded_unverified"]]+","+r[col["excluded_reclassified"]]+","+r[col["excluded_total"]]+","+r[col["reinstated"]] != "100,59,1,160,1" {
				t.Fatalf("data.csv index row: %v", r)
			}
		}
		_, _, page := e.fetch(t, fmt.Sprintf("/cong-khai?p=%d-q3&unit=%s", e.year, pubtest.UnitA), "text/html")
		if !strings.Contains(page, `data-excluded="reclassified">1<`) || !strings.Contains(page, `data-excluded="unverified">59<`) {
			t.Fatal("the agency page does not state the exclusions")
		}
	})
}

// flagsAPI posts a flag change as JSON with c's session and CSRF token.
func flagsAPI(t *testing.T, c *dashClient, csrf, ref, body string) apiResult {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/api/v1/responses/"+ref+"/flags", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return apiResult{res.StatusCode, m}
}

// TestRankedPartyFlagsAPI: the JSON route for flag changes follows the
// same rules as the page: administrators only, a reason required.
func TestRankedPartyFlagsAPI(t *testing.T) {
	e := newRankedEnv(t)
	ref := strconv.FormatUint(e.poster, 10)
	change := `{"flag":"unverified","op":"clear","reason":%q}`
	if r := flagsAPI(t, e.manager, e.manager.csrf("/dashboard"), ref, fmt.Sprintf(change, "phiếu thật")); r.Status != http.StatusForbidden {
		t.Fatalf("the manager changed a flag through the API: %d %v", r.Status, r.Body)
	}
	ac := e.admin.csrf("/dashboard/proposals")
	if r := flagsAPI(t, e.admin, ac, ref, fmt.Sprintf(change, " ")); r.Status != http.StatusUnprocessableEntity || r.errField() != "reason" {
		t.Fatalf("without a reason: %d %v", r.Status, r.Body)
	}
	if e.flags(t, e.poster) != survey.FlagUnverified {
		t.Fatal("the refused change was stored")
	}
	r := flagsAPI(t, e.admin, ac, ref, fmt.Sprintf(change, "đã gọi điện xác minh"))
	if r.Status != http.StatusOK || fmt.Sprint(r.Body["flags"]) != "[reclassified]" {
		t.Fatalf("with a reason: %d %v", r.Status, r.Body)
	}
}

// TestRankedPartyBrowser: the comments page as the manager (proposals) and
// as the administrator (flag changes with a reason), and the proposals
// page, in Chromium, with screenshots in ./artifacts.
func TestRankedPartyBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e := newRankedEnv(t)
	mc := e.manager.csrf("/dashboard")
	if st, _, _ := e.manager.do("POST", "/dashboard/proposals", url.Values{"_csrf": {mc}, "key": {strconv.FormatUint(e.poster, 10)},
		"change": {"unverified:clear"}, "reason": {"người dân gọi điện xác nhận"}}); st != http.StatusSeeOther {
		t.Fatalf("propose: %d", st)
	}
	comments := fmt.Sprintf("/dashboard/comments?%s&show=all&flagged=yes", e.q3())
	for _, who := range []struct{ user, shot, form string }{
		{"giamdoc-a", "comments-manager-propose", `[data-flag-form="propose"]`},
		{"dash-admin", "comments-admin-flag", `[data-flag-form="admin"]`},
	} {
		d := rankedTab(t, browser, e.base, who.user)
		d.run(chromedp.Navigate(e.base+comments), chromedp.WaitVisible(chromedp.CSS(".comments")))
		if dashJS[int](d, `document.querySelectorAll('`+who.form+`').length`) == 0 {
			t.Errorf("%s: no %s form on the comments page", who.user, who.form)
		}
		if dashJS[int](d, `document.querySelectorAll('[data-proposed]').length`) == 0 && who.user == "giamdoc-a" {
			t.Error("the manager does not see the open proposal")
		}
		d.shot(who.shot, false)
		if who.user == "dash-admin" {
			d.run(chromedp.Navigate(e.base+"/dashboard/proposals"), chromedp.WaitVisible(chromedp.CSS(".proposals")))
			d.shot("proposals-admin", true)
			d.run(chromedp.Navigate(e.base+"/dashboard/comments/flag?key="+strconv.FormatUint(e.poster, 10)+"&flag=unverified&op=clear"),
				chromedp.WaitVisible(chromedp.CSS("#f-reason")), chromedp.Click(chromedp.CSS("form.stack button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#f-reason-error")))
			d.shot("flag-admin-422", true)
		}
	}
}

// rankedTab is a Chromium tab logged in as user (who may land anywhere;
// waiting for the logout button, not any page, so that the next navigation
// does not race the login's redirect).
func rankedTab(t *testing.T, browser context.Context, base, user string) *dashTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	d := &dashTab{t: t, ctx: ctx, base: base}
	d.run(chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), dashPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))) // logged in: not the login page
	return d
}
