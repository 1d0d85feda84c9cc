package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hailong/survey"
)

// The case pages in headless Chromium: the inbox (an overdue case first),
// the case page, and the assign → note → reply-by-phone flow by clicking;
// the citizen's rating page on a phone. Screenshots at 1366 px and 360 px
// go to ./artifacts for a person to look at.

type caseTab struct {
	t   *testing.T
	tab context.Context
	e   *casesEnv
}

func (e *casesEnv) tab(t *testing.T, browser context.Context, user string) *caseTab {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	c := &caseTab{t: t, tab: tab, e: e}
	c.do(chromedp.EmulateViewport(1366, 900))
	if user != "" {
		c.do(chromedp.Navigate(e.base+"/login"), chromedp.SetValue(chromedp.CSS("#username"), user),
			chromedp.SetValue(chromedp.CSS("#password"), "mat-khau-vai-tro"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".who")))
	}
	return c
}

func (c *caseTab) do(actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.tab, actions...); err != nil {
		c.t.Fatal(err)
	}
}

func caseJS[T any](c *caseTab, expr string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.tab, chromedp.Evaluate[T](expr))
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

// shoot saves the whole page at width w and checks it does not scroll
// sideways.
func (c *caseTab) shoot(name string, w int64) {
	c.t.Helper()
	c.do(chromedp.EmulateViewport(w, 900))
	if caseJS[bool](c, `document.scrollingElement.scrollWidth > innerWidth`) {
		c.t.Errorf("%s scrolls sideways at %d px", name, w)
	}
	png, err := chromedp.Run(c.tab, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactsDir(c.t), "cases-"+name+"-"+itoa(w)+".png"), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.do(chromedp.EmulateViewport(1366, 900))
}

// landed waits until the tab shows a page whose address holds query and
// whose main content is there.
func (c *caseTab) landed(query string) {
	c.t.Helper()
	for i := 0; i < 100; i++ {
		if v, err := chromedp.Run(c.tab, chromedp.Evaluate[bool](`location.search.includes(`+"`"+query+"`"+`) && document.readyState === "complete" && !!document.querySelector(".timeline")`)); err == nil && v {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("never landed on a page with %s", query)
}

// overdue stores a case of the unit opened three weeks ago, not replied.
func (e *casesEnv) overdue(t *testing.T) survey.Case {
	t.Helper()
	now := e.m.DB.Now()
	opened := now.AddDate(0, 0, -21)
	c := survey.Case{ID: opened.Format("2006") + "-0900", Unit: "sct-van-phong", Kind: survey.CasePetition, Source: survey.SourceLetter,
		Summary: "Đề nghị niêm yết rõ phí, lệ phí tại quầy.", Status: survey.CaseNew, OpenedBy: "lt-sct", OpenedAt: opened,
		DueAt: e.m.DB.Calendar().AddWorkdays(opened, 10), UpdatedAt: opened,
		Steps: []survey.CaseStep{{At: opened, By: "lt-sct", Action: survey.StepOpen, Detail: survey.SourceLetter}}}
	if err := e.m.DB.InsertCases([]survey.Case{c}, nil, "test"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCasesBrowser(t *testing.T) {
	browser := mustBrowser(t)
	e, cs := newCasesEnv(t)
	late := e.overdue(t)
	loginAs(t, e.m, "ql-sct", survey.RoleManager, "so-cong-thuong")
	loginAs(t, e.m, "lt-sct", survey.RoleReception, "so-cong-thuong")
	ql := e.tab(t, browser, "ql-sct")

	ql.do(chromedp.Navigate(e.base+"/phan-anh"), chromedp.WaitVisible(chromedp.CSS("table.cases")))
	first := caseJS[string](ql, `document.querySelector("table.cases tbody tr a").textContent`)
	if first != late.ID {
		t.Fatalf("the inbox starts with %s, want the overdue %s", first, late.ID)
	}
	if !strings.Contains(caseJS[string](ql, `document.querySelector("table.cases tbody tr").textContent`), "Quá hạn") {
		t.Error("the overdue case does not say it is overdue")
	}
	ql.shoot("inbox", 1366)
	ql.shoot("inbox", 360)

	ql.do(chromedp.Click(chromedp.CSS(`a[href="/phan-anh/`+cs.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS("#assign-h")))
	ql.shoot("case", 1366)
	ql.shoot("case", 360)
	axeCheck(t, ql.tab, "case page", 20)

	ql.do(chromedp.SetValue(chromedp.CSS("#f-assignee"), "lt-sct"), chromedp.Click(chromedp.CSS(`form[action$="/assign"] button`)))
	ql.landed("ok=assigned")
	ql.do(chromedp.SendKeys(chromedp.CSS("#f-note"), "Đã gọi điện cho bà Bích, hẹn trả lời bằng điện thoại."),
		chromedp.Click(chromedp.CSS(`form[action$="/note"] button`)))
	ql.landed("ok=note")
	if tl := caseJS[string](ql, `document.querySelector(".timeline").textContent`); !strings.Contains(tl, "Giao cho lt-sct") || !strings.Contains(tl, "hẹn trả lời bằng điện thoại") {
		t.Fatalf("timeline after assign and note: %q", tl)
	}
	ql.do(chromedp.Click(chromedp.CSS(`#f-via-phone`)),
		chromedp.Click(chromedp.CSS(`form[action$="/reply"] button`)), chromedp.WaitVisible(chromedp.CSS("#rating-link")))
	ql.shoot("replied", 1366)
	link := caseJS[string](ql, `document.querySelector("#rating-link").href`)
	stored, _ := e.m.DB.Case(cs.ID)
	if stored.Status != survey.CaseReplied || stored.Reply == nil || stored.Reply.Via != survey.ReplyByPhone || !strings.Contains(stored.Reply.Text, "Kính gửi Ông/Bà Trần Thị Bích") {
		t.Fatalf("after the reply: %+v", stored)
	}

	lt := e.tab(t, browser, "lt-sct")
	lt.do(chromedp.Navigate(e.base+"/phan-anh/moi"), chromedp.WaitVisible(chromedp.CSS("#f-summary")),
		chromedp.SetValue(chromedp.CSS("#f-unit"), "so-cong-thuong"), chromedp.Click(chromedp.CSS("#f-source-letter")),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Thư đề nghị hướng dẫn thủ tục cấp giấy phép bán lẻ rượu."),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "0912 34"), chromedp.Click(chromedp.CSS(`form[action="/phan-anh/moi"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if msg := caseJS[string](lt, `document.querySelector("#f-phone-error") ? "" : document.querySelector(".error-summary").textContent`); msg != "" {
		t.Fatalf("no message beside the phone: %q", msg)
	}
	lt.shoot("new-errors", 1366)
	lt.shoot("new-errors", 360)
	lt.do(chromedp.SetValue(chromedp.CSS("#f-phone"), "0912 345 679"), chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS(`form[action="/phan-anh/moi"] button`)))
	lt.landed("ok=opened")
	if src := caseJS[string](lt, `document.querySelector(".facts").textContent`); !strings.Contains(src, "Thư, văn bản") {
		t.Errorf("the new case: %q", src)
	}

	citizen := e.tab(t, browser, "")
	citizen.do(chromedp.EmulateViewport(360, 740), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(".choice.good")))
	if h := caseJS[float64](citizen, `document.querySelector(".choice.good").getBoundingClientRect().height`); h < 96 {
		t.Errorf("the rating buttons are %.0f px high at 360 px", h)
	}
	citizen.shoot("rating", 360)
	citizen.do(chromedp.EmulateViewport(360, 740))
	axeCheck(t, citizen.tab, "rating page", 10)
	citizen.do(chromedp.Click(chromedp.CSS(".choice.good")), chromedp.WaitVisible(chromedp.CSS(`[data-state="thanks"]`)))
	citizen.shoot("rating-thanks", 360)
	citizen.do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-state="gone"]`)))
	citizen.shoot("rating-gone", 360)
	if got, _ := e.m.DB.Case(cs.ID); got.Rating != survey.RatingGood {
		t.Fatalf("rating %q", got.Rating)
	}
}
