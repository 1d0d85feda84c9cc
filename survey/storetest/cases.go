package storetest

import (
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// negative submits a dissatisfied response of unit with a comment.
func (e *env) negative(t *testing.T, unit string) *survey.Response {
	t.Helper()
	r := e.response()
	r.Unit, r.Answers[survey.OverallKey], r.Comment = unit, 2, "Phải chờ quá lâu."
	return e.submit(t, r)
}

// openCase opens an ask-reply case from a new negative response of unit.
func (e *env) openCase(t *testing.T, unit string) survey.Case {
	t.Helper()
	c, err := e.OpenCaseFromResponse(e.negative(t, unit).ID, survey.CaseAskReply, &survey.Contact{Phone: "0912345678"})
	must(t, err)
	return c
}

// caseUsers adds the logins the case cases assign to.
func (e *env) caseUsers(t *testing.T) {
	t.Helper()
	for _, u := range []survey.User{{Username: "ql-a", Role: survey.RoleManager, Unit: "so-a"},
		{Username: "ql-b", Role: survey.RoleManager, Unit: "so-b"}, {Username: "xem-a", Role: survey.RoleViewer, Unit: "so-a"},
		{Username: "lt-a", Role: survey.RoleReception, Unit: "so-a"}, {Username: "tat-a", Role: survey.RoleManager, Unit: "so-a", Disabled: true}} {
		must(t, e.CreateUser(u, pw))
	}
}

func caseIDs(cs []survey.Case) []string { return ids(cs, func(c survey.Case) string { return c.ID }) }

func ptr(s string) *string { return &s }

var caseCases = []testCase{
	{"OpenCaseFromResponse", func(t *testing.T, e *env) {
		e.org(t)
		r := e.negative(t, "so-a")
		audits := e.auditCount()
		c, err := e.OpenCaseFromResponse(r.ID, survey.CaseAskReply, &survey.Contact{Name: " Lan ", Phone: "+84 912.345-678"})
		must(t, err)
		if c.ID != "2026-0001" || c.Unit != "so-a" || c.Status != survey.CaseNew || c.OpenedBy != survey.Citizen ||
			c.Source != survey.SourceResponse || c.Channel != "web" || c.Response != r.ID || c.Summary != "Phải chờ quá lâu." ||
			!c.HasContact || !c.OpenedAt.Equal(T0) || c.RatingHash != nil {
			t.Fatalf("opened %+v", c)
		}
		// Monday 2 March + 10 working days = Monday 16 March, end of day.
		equal(t, "due", c.DueAt.Equal(e.at(2026, 3, 17, 0, 0).Add(-time.Nanosecond)), true)
		equal(t, "audit", e.lastAudit(t).Action, "case.open")
		ct, err := e.CaseContact(c.ID, "ql-a")
		must(t, err)
		if ct == nil || ct.Phone != "0912345678" || ct.Name != "Lan" || !ct.ConsentAt.Equal(T0) {
			t.Fatalf("contact %+v", ct)
		}
		if a := e.lastAudit(t); a.Action != "case.contact.read" || a.Actor != "ql-a" || a.Target != c.ID {
			t.Fatalf("contact read audit %+v", a)
		}
		equal(t, "audit entries", e.auditCount(), audits+2)
		_, err = e.OpenCaseFromResponse(r.ID, survey.CasePetition, nil)
		wantErr(t, err, survey.ECONFLICT, "response")
		got, err := e.Case(c.ID)
		must(t, err)
		equal(t, "stored summary", got.Summary, c.Summary)
		_, err = e.Case("2026-9999")
		wantErr(t, err, survey.ENOTFOUND)
		c2 := e.openCase(t, "so-b")
		equal(t, "second id", c2.ID, "2026-0002")
	}},
	{"OpenCaseFromResponse/Errors", func(t *testing.T, e *env) {
		e.org(t)
		pos := e.submit(t, e.response()) // overall 4
		neg := e.negative(t, "so-a")
		audits := e.auditCount()
		_, err := e.OpenCaseFromResponse(pos.ID, survey.CaseAskReply, &survey.Contact{Email: "a@b.vn"})
		wantErr(t, err, survey.EINVALID, "response")
		_, err = e.OpenCaseFromResponse(e.uuid(), survey.CaseAskReply, &survey.Contact{Email: "a@b.vn"})
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.OpenCaseFromResponse("not-a-uuid", survey.CasePetition, nil)
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.OpenCaseFromResponse(neg.ID, "complaint", nil)
		wantErr(t, err, survey.EINVALID, "kind")
		_, err = e.OpenCaseFromResponse(neg.ID, survey.CaseAskReply, nil)
		wantErr(t, err, survey.EINVALID, "contact")
		for _, c := range []struct {
			ct    survey.Contact
			field string
		}{
			{survey.Contact{Phone: "12345"}, "phone"}, {survey.Contact{Phone: "0212345678"}, "phone"},
			{survey.Contact{Email: "lan@"}, "email"}, {survey.Contact{Email: "Lan <lan@x.vn>"}, "email"},
			{survey.Contact{Name: "Lan"}, "contact"},
		} {
			_, err = e.OpenCaseFromResponse(neg.ID, survey.CaseAskReply, &c.ct)
			wantErr(t, err, survey.EINVALID, c.field)
		}
		all, err := e.Cases(survey.CaseQuery{})
		must(t, err)
		equal(t, "cases after refusals", len(all), 0)
		equal(t, "audit entries", e.auditCount(), audits)
		// A petition needs neither a negative answer nor a contact.
		p, err := e.OpenCaseFromResponse(pos.ID, survey.CasePetition, nil)
		must(t, err)
		equal(t, "petition contact", p.HasContact, false)
		ct, err := e.CaseContact(p.ID, "x")
		must(t, err)
		equal(t, "no contact", ct == nil, true)
	}},
	{"OpenCase", func(t *testing.T, e *env) {
		e.org(t)
		d := e.dossier("HS-9")
		e.issue(t, d)
		in := survey.Case{Unit: "so-b", Kind: survey.CasePetition, Source: survey.SourceCall, Summary: " Hỏi về hồ sơ ",
			Dossier: "HS-9", Status: survey.CaseClosed, Assignee: "x", OpenedBy: "x"}
		c, err := e.OpenCase(in, &survey.Contact{Email: "dan@example.vn"}, "lt-a")
		must(t, err)
		if c.Status != survey.CaseNew || c.Assignee != "" || c.OpenedBy != "lt-a" || c.Summary != "Hỏi về hồ sơ" || c.Dossier != "HS-9" || !c.HasContact {
			t.Fatalf("opened %+v", c)
		}
		audits := e.auditCount()
		for _, x := range []struct {
			edit  func(c *survey.Case)
			code  string
			field string
		}{
			{func(c *survey.Case) { c.Unit = "nope" }, survey.EINVALID, "unit"},
			{func(c *survey.Case) { c.Summary = " " }, survey.EINVALID, "summary"},
			{func(c *survey.Case) { c.Source = survey.SourceResponse }, survey.EINVALID, "source"},
			{func(c *survey.Case) { c.Source = "fax" }, survey.EINVALID, "source"},
			{func(c *survey.Case) { c.Dossier = "HS-NONE" }, survey.ENOTFOUND, "dossier"},
		} {
			bad := in
			x.edit(&bad)
			_, err := e.OpenCase(bad, nil, "lt-a")
			wantErr(t, err, x.code, x.field)
		}
		_, err = e.OpenCase(in, &survey.Contact{Phone: "0912"}, "lt-a")
		wantErr(t, err, survey.EINVALID, "phone")
		all, _ := e.Cases(survey.CaseQuery{})
		equal(t, "cases", len(all), 1)
		equal(t, "audit entries", e.auditCount(), audits)
	}},
	{"Deadline", func(t *testing.T, e *env) {
		e.org(t)
		equalSlice(t, "seeded holidays", e.Holidays(), survey.DefaultHolidays())
		s := e.Settings()
		s.Cases.DeadlineDays = 3
		must(t, e.SaveSettings(s))
		// Friday 24 April: Monday 27 (Giỗ Tổ, observed), Thursday 30 April and
		// Friday 1 May are holidays, the weekends are not working days.
		e.clock.Set(e.at(2026, 4, 24, 16, 30))
		c := e.openCase(t, "so-a")
		equal(t, "due", c.DueAt.In(e.Loc()).Format(time.DateTime), "2026-05-04 23:59:59")
		must(t, e.DeleteHoliday("2026-04-27", "admin"))
		must(t, e.PutHoliday(survey.Holiday{Day: "2026-04-29", Name: "Nghỉ bù"}, "admin"))
		c = e.openCase(t, "so-a")
		equal(t, "due after edits", c.DueAt.In(e.Loc()).Format(time.DateTime), "2026-05-04 23:59:59")
		must(t, e.DeleteHoliday("2026-04-29", "admin"))
		c = e.openCase(t, "so-a")
		equal(t, "due without the observed day", c.DueAt.In(e.Loc()).Format(time.DateTime), "2026-04-29 23:59:59")
		equal(t, "audit", e.lastAudit(t).Action, "case.open")
	}},
	{"Cases", func(t *testing.T, e *env) {
		e.org(t)
		e.caseUsers(t)
		a := e.openCase(t, "so-a") // due 16 March
		e.clock.Add(24 * time.Hour)
		b := e.openCase(t, "so-b") // due 17 March
		e.clock.Add(24 * time.Hour)
		c := e.openCase(t, "so-a-vp") // due 18 March
		e.clock.Set(e.at(2026, 3, 18, 10, 0))
		d := e.openCase(t, "so-a") // new, not overdue
		_, err := e.UpdateCase(d.ID, survey.CaseUpdate{Assignee: ptr("ql-a"), Note: "Gọi lại cho công dân"}, "ql-a")
		must(t, err)
		all, err := e.Cases(survey.CaseQuery{})
		must(t, err)
		equalSlice(t, "order", caseIDs(all), []string{a.ID, b.ID, d.ID, c.ID})
		for _, x := range []struct {
			q    survey.CaseQuery
			want []string
		}{
			{survey.CaseQuery{Units: []string{"so-a", "so-a-vp"}}, []string{a.ID, d.ID, c.ID}},
			{survey.CaseQuery{Overdue: true}, []string{a.ID, b.ID}},
			{survey.CaseQuery{Status: survey.CaseOpen}, []string{d.ID}},
			{survey.CaseQuery{Status: survey.CaseNew}, []string{a.ID, b.ID, c.ID}},
			{survey.CaseQuery{Status: "open", Limit: 1}, []string{a.ID}},
			{survey.CaseQuery{Assignee: "ql-a"}, []string{d.ID}},
			{survey.CaseQuery{Assignee: "-"}, []string{a.ID, b.ID, c.ID}},
			{survey.CaseQuery{Text: "GỌI LẠI"}, []string{d.ID}},
			{survey.CaseQuery{Text: b.ID}, []string{b.ID}},
			{survey.CaseQuery{From: T0.Add(time.Hour), To: e.at(2026, 3, 18, 0, 0)}, []string{b.ID, c.ID}},
		} {
			got, err := e.Cases(x.q)
			must(t, err)
			equalSlice(t, "Cases("+strings.TrimSpace(strings.Join(x.want, " "))+")", caseIDs(got), x.want)
		}
	}},
	{"UpdateCase", func(t *testing.T, e *env) {
		e.org(t)
		e.caseUsers(t)
		c := e.openCase(t, "so-a-vp")
		audits := e.auditCount()
		for _, x := range []struct {
			u     survey.CaseUpdate
			field string
		}{
			{survey.CaseUpdate{Assignee: ptr("ql-b")}, "assignee"},  // another subtree
			{survey.CaseUpdate{Assignee: ptr("xem-a")}, "assignee"}, // a viewer
			{survey.CaseUpdate{Assignee: ptr("tat-a")}, "assignee"}, // disabled
			{survey.CaseUpdate{Assignee: ptr("nobody")}, "assignee"},
			{survey.CaseUpdate{Status: ptr("done")}, "status"},
			{survey.CaseUpdate{Status: ptr(survey.CaseReplied)}, "status"}, // no reply yet
			{survey.CaseUpdate{Note: strings.Repeat("x", survey.MaxCaseText+1)}, "note"},
		} {
			_, err := e.UpdateCase(c.ID, x.u, "ql-a")
			wantErr(t, err, survey.EINVALID, x.field)
		}
		_, err := e.UpdateCase("2026-0404", survey.CaseUpdate{Note: "x"}, "ql-a")
		wantErr(t, err, survey.ENOTFOUND)
		same, err := e.UpdateCase(c.ID, survey.CaseUpdate{Note: "  "}, "ql-a")
		must(t, err)
		equal(t, "nothing changed", same.Status, survey.CaseNew)
		equal(t, "audit entries after refusals", e.auditCount(), audits)
		e.clock.Add(time.Minute)
		u, err := e.UpdateCase(c.ID, survey.CaseUpdate{Assignee: ptr("lt-a"), Note: " Đã liên hệ "}, "ql-a")
		must(t, err)
		if u.Assignee != "lt-a" || u.Status != survey.CaseOpen || len(u.Notes) != 1 || u.Notes[0].Text != "Đã liên hệ" ||
			u.Notes[0].By != "ql-a" || !u.UpdatedAt.Equal(T0.Add(time.Minute)) {
			t.Fatalf("updated %+v", u)
		}
		if a := e.lastAudit(t); a.Action != "case.update" || a.Actor != "ql-a" || a.Target != c.ID {
			t.Fatalf("audit %+v", a)
		}
		steps := ids(u.Steps, func(s survey.CaseStep) string { return s.Action + ":" + s.Detail })
		equalSlice(t, "steps", steps, []string{"open:response", "assign:lt-a", "status:in_progress", "note:"})
		u, err = e.UpdateCase(c.ID, survey.CaseUpdate{Assignee: ptr(""), Status: ptr(survey.CaseClosed)}, "ql-a")
		must(t, err)
		if u.Status != survey.CaseClosed || u.Assignee != "" || !u.ClosedAt.Equal(T0.Add(time.Minute)) {
			t.Fatalf("closed %+v", u)
		}
		audits = e.auditCount()
		for _, x := range []survey.CaseUpdate{{Status: ptr(survey.CaseOpen)}, {Note: "x"}} {
			_, err = e.UpdateCase(c.ID, x, "ql-a")
			wantErr(t, err, survey.ECONFLICT)
		}
		_, err = e.ReplyCase(c.ID, survey.CaseReply{Via: survey.ReplyByPhone, Text: "x"}, "", nil, "ql-a")
		wantErr(t, err, survey.ECONFLICT)
		equal(t, "audit entries after closing", e.auditCount(), audits)
	}},
	{"ReplyAndRate", func(t *testing.T, e *env) {
		e.org(t)
		c := e.openCase(t, "so-a")
		for _, x := range []struct {
			r     survey.CaseReply
			mail  *survey.Mail
			field string
		}{
			{survey.CaseReply{Via: "fax", Text: "x"}, nil, "via"},
			{survey.CaseReply{Via: survey.ReplyByEmail, Text: "x"}, nil, "via"},
			{survey.CaseReply{Via: survey.ReplyByPhone, Text: " "}, nil, "text"},
			{survey.CaseReply{Via: survey.ReplyByPost, Text: strings.Repeat("ư", survey.MaxCaseText+1)}, nil, "text"},
		} {
			_, err := e.ReplyCase(c.ID, x.r, "tok-1", x.mail, "ql-a")
			wantErr(t, err, survey.EINVALID, x.field)
		}
		_, err := e.CaseByRatingToken("tok-1")
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.ReplyCase("2026-0404", survey.CaseReply{Via: survey.ReplyByPhone, Text: "x"}, "tok-1", nil, "ql-a")
		wantErr(t, err, survey.ENOTFOUND)
		r, err := e.ReplyCase(c.ID, survey.CaseReply{Via: survey.ReplyByPhone, Text: " Kính gửi Ông/Bà … "}, "tok-1", nil, "ql-a")
		must(t, err)
		if r.Status != survey.CaseReplied || r.Reply == nil || r.Reply.Text != "Kính gửi Ông/Bà …" || r.Reply.By != "ql-a" ||
			!r.Reply.At.Equal(T0) || !r.OnTime() {
			t.Fatalf("replied %+v", r)
		}
		equal(t, "audit", e.lastAudit(t).Action, "case.reply")
		got, err := e.CaseByRatingToken("tok-1")
		must(t, err)
		equal(t, "case by link", got.ID, c.ID)
		// A second reply (by e-mail, with its mail) replaces the link.
		mail := &survey.Mail{To: "dan@example.vn", Subject: "Trả lời phản ánh " + c.ID, Text: "…"}
		_, err = e.ReplyCase(c.ID, survey.CaseReply{Via: survey.ReplyByEmail, Text: "Bản chính thức"}, "tok-2", mail, "ql-a")
		must(t, err)
		for _, tok := range []string{"tok-1", "forged", "", strings.Repeat("x", 500)} {
			_, err = e.CaseByRatingToken(tok)
			wantErr(t, err, survey.ENOTFOUND)
			_, err = e.RateCase(tok, survey.RatingGood)
			wantErr(t, err, survey.ENOTFOUND)
		}
		_, err = e.RateCase("tok-2", "meh")
		wantErr(t, err, survey.EINVALID, "rating")
		rated, err := e.RateCase("tok-2", survey.RatingBad)
		must(t, err)
		if rated.Rating != survey.RatingBad || !rated.RatedAt.Equal(T0) || rated.RatingHash != nil || rated.Replies() != 2 {
			t.Fatalf("rated %+v", rated)
		}
		if a := e.lastAudit(t); a.Action != "case.rate" || a.Actor != survey.Citizen {
			t.Fatalf("audit %+v", a)
		}
		_, err = e.RateCase("tok-2", survey.RatingGood)
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.ReplyCase(c.ID, survey.CaseReply{Via: survey.ReplyByPhone, Text: "x"}, "tok-3", nil, "ql-a")
		wantErr(t, err, survey.ECONFLICT)
		stored, _ := e.Case(c.ID)
		equal(t, "stored rating", stored.Rating, survey.RatingBad)
	}},
	{"EscalateOverdue", func(t *testing.T, e *env) {
		e.org(t)
		vp := e.openCase(t, "so-a-vp")
		top := e.openCase(t, "tinh")
		done := e.openCase(t, "so-a")
		_, err := e.ReplyCase(done.ID, survey.CaseReply{Via: survey.ReplyByPost, Text: "Đã trả lời"}, "", nil, "ql-a")
		must(t, err)
		n, err := e.EscalateOverdue(vp.DueAt)
		must(t, err)
		equal(t, "escalated at the deadline", n, 0)
		audits := e.auditCount()
		e.clock.Set(vp.DueAt.Add(time.Hour))
		n, err = e.EscalateOverdue(e.clock.Now())
		must(t, err)
		equal(t, "escalated", n, 2)
		equal(t, "audit entries", e.auditCount(), audits+2)
		equal(t, "audit", e.lastAudit(t).Action, "case.escalate")
		got, _ := e.Case(vp.ID)
		if got.EscalatedTo != "so-a" || !got.EscalatedAt.Equal(e.clock.Now()) {
			t.Fatalf("escalated %+v", got)
		}
		got, _ = e.Case(top.ID)
		equal(t, "top-level unit escalates to itself", got.EscalatedTo, "tinh")
		got, _ = e.Case(done.ID)
		equal(t, "replied case", got.EscalatedTo, "")
		n, err = e.EscalateOverdue(e.clock.Now().AddDate(0, 1, 0))
		must(t, err)
		equal(t, "escalated once", n, 0)
	}},
	{"PurgeContacts", func(t *testing.T, e *env) {
		e.org(t)
		c := e.openCase(t, "so-a")
		open := e.openCase(t, "so-b")
		closed, err := e.UpdateCase(c.ID, survey.CaseUpdate{Status: ptr(survey.CaseClosed)}, "ql-a")
		must(t, err)
		days := e.Settings().Retention.ContactDays
		audits := e.auditCount()
		n, err := e.PurgeContacts(closed.ClosedAt.AddDate(0, 0, days))
		must(t, err)
		equal(t, "purged on the last day", n, 0)
		equal(t, "audit entries", e.auditCount(), audits)
		e.clock.Set(closed.ClosedAt.AddDate(0, 0, days).Add(time.Hour))
		n, err = e.PurgeContacts(e.clock.Now())
		must(t, err)
		equal(t, "purged", n, 1)
		if a := e.lastAudit(t); a.Action != "case.contacts.purge" {
			t.Fatalf("audit %+v", a)
		}
		ct, err := e.CaseContact(c.ID, "admin")
		must(t, err)
		equal(t, "contact gone", ct == nil, true)
		got, _ := e.Case(c.ID)
		if got.HasContact || !got.ContactPurged.Equal(e.clock.Now()) {
			t.Fatalf("purged case %+v", got)
		}
		ct, err = e.CaseContact(open.ID, "admin")
		must(t, err)
		equal(t, "open case keeps its contact", ct != nil && ct.Phone == "0912345678", true)
		n, err = e.PurgeContacts(e.clock.Now().AddDate(1, 0, 0))
		must(t, err)
		equal(t, "purged once", n, 0)
	}},
}

var calendarCases = []testCase{
	{"Holidays", func(t *testing.T, e *env) {
		audits := e.auditCount()
		wantErr(t, e.PutHoliday(survey.Holiday{Day: "24/11/2026", Name: "x"}, "admin"), survey.EINVALID, "day")
		wantErr(t, e.PutHoliday(survey.Holiday{Day: "2026-11-24", Name: " "}, "admin"), survey.EINVALID, "name")
		wantErr(t, e.DeleteHoliday("2026-11-24", "admin"), survey.ENOTFOUND)
		equal(t, "audit entries", e.auditCount(), audits)
		must(t, e.PutHoliday(survey.Holiday{Day: "2026-11-24", Name: "Ngày Văn hóa Việt Nam"}, "admin"))
		equal(t, "audit", e.lastAudit(t).Action, "holiday.put")
		must(t, e.PutHoliday(survey.Holiday{Day: "2026-11-24", Name: "Ngày Văn hóa"}, "admin"))
		hs := e.Holidays()
		equal(t, "holidays", len(hs), len(survey.DefaultHolidays())+1)
		equal(t, "renamed", hs[len(hs)-1], survey.Holiday{Day: "2026-11-24", Name: "Ngày Văn hóa"})
		equal(t, "calendar", e.Calendar().Workday(e.at(2026, 11, 24, 12, 0)), false)
		must(t, e.DeleteHoliday("2026-11-24", "admin"))
		equal(t, "audit", e.lastAudit(t).Action, "holiday.delete")
		equal(t, "calendar after delete", e.Calendar().Workday(e.at(2026, 11, 24, 12, 0)), true)
	}},
}

var notifyCases = []testCase{
	{"SetNotify", func(t *testing.T, e *env) {
		e.org(t)
		e.caseUsers(t)
		audits := e.auditCount()
		wantErr(t, e.SetNotify("nobody", "a@b.vn", true, true, "admin"), survey.ENOTFOUND)
		wantErr(t, e.SetNotify("ql-a", "not mail", true, true, "admin"), survey.EINVALID, "email")
		equal(t, "audit entries", e.auditCount(), audits)
		must(t, e.SetNotify("ql-a", " ql@so-a.gov.vn ", true, false, "admin"))
		u := e.User("ql-a")
		if u.Email != "ql@so-a.gov.vn" || u.NoAlerts || !u.NoDigest {
			t.Fatalf("user %+v", u)
		}
		if a := e.lastAudit(t); a.Action != "user.notify" || a.Target != "ql-a" {
			t.Fatalf("audit %+v", a)
		}
		must(t, e.UpdateUser("ql-a", survey.RoleManager, "so-b", false))
		equal(t, "kept by UpdateUser", e.User("ql-a").Email, "ql@so-a.gov.vn")
		must(t, e.SetNotify("ql-a", "", false, false, "ql-a"))
		if u := e.User("ql-a"); u.Email != "" || !u.NoAlerts || !u.NoDigest {
			t.Fatalf("cleared %+v", u)
		}
	}},
}

var caseInsertCases = []testCase{
	{"InsertCases", func(t *testing.T, e *env) {
		e.org(t)
		r := e.negative(t, "so-a")
		old := T0.AddDate(0, -2, 0)
		closed := survey.Case{ID: "2026-0007", Unit: "so-b", Kind: survey.CaseAskReply, Source: survey.SourceCall, Summary: "Hỏi",
			Status: survey.CaseClosed, OpenedBy: "lt", OpenedAt: old, DueAt: old.AddDate(0, 0, 14), ClosedAt: old.AddDate(0, 0, 3),
			Reply: &survey.CaseReply{At: old.AddDate(0, 0, 2), By: "ql", Via: survey.ReplyByPhone, Text: "Đã trả lời"}, Rating: survey.RatingGood,
			RatingHash: []byte("x")}
		fromResp := survey.Case{ID: "2026-0003", Unit: "so-a", Kind: survey.CaseAskReply, Source: survey.SourceResponse, Response: r.ID,
			Status: survey.CaseNew, OpenedBy: survey.Citizen, OpenedAt: T0, DueAt: T0.AddDate(0, 0, 14)}
		audits := e.auditCount()
		bad := closed
		bad.ID = "7"
		wantErr(t, e.InsertCases([]survey.Case{fromResp, bad}, nil, "demo"), survey.EINVALID, "cases[1].id")
		wantErr(t, e.InsertCases([]survey.Case{closed}, []*survey.Contact{{Phone: "1"}}, "demo"), survey.EINVALID, "cases[0].phone")
		bad = closed
		bad.Unit = "nope"
		wantErr(t, e.InsertCases([]survey.Case{bad}, nil, "demo"), survey.EINVALID, "cases[0].unit")
		all, _ := e.Cases(survey.CaseQuery{})
		equal(t, "cases after refusals", len(all), 0)
		equal(t, "audit entries", e.auditCount(), audits)
		must(t, e.InsertCases([]survey.Case{closed, fromResp}, []*survey.Contact{{Email: "dan@example.vn"}}, "demo"))
		got, err := e.Case("2026-0007")
		must(t, err)
		if !got.OpenedAt.Equal(old) || got.Rating != survey.RatingGood || got.RatingHash != nil || !got.HasContact || !got.OnTime() {
			t.Fatalf("inserted %+v", got)
		}
		equal(t, "audit", e.lastAudit(t).Action, "cases.insert")
		wantErr(t, e.InsertCases([]survey.Case{closed}, nil, "demo"), survey.ECONFLICT, "cases[0].id")
		_, err = e.OpenCaseFromResponse(r.ID, survey.CaseAskReply, &survey.Contact{Phone: "0912345678"})
		wantErr(t, err, survey.ECONFLICT, "response")
		c := e.openCase(t, "so-a")
		equal(t, "next id after the inserted ones", c.ID, "2026-0008")
	}},
}
