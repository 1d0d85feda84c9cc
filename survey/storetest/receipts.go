package storetest

import (
	"testing"
	"time"

	"hailong/survey"
)

// dossier is a dossier of so-a received at T0 − 1 h, due a week later.
func (e *env) dossier(code string) *survey.Dossier {
	return &survey.Dossier{Code: code, Unit: "so-a", Procedure: "1.001", Staff: "nv-lan",
		ReceivedAt: T0.Add(-time.Hour), DueAt: T0.AddDate(0, 0, 7)}
}

// issue issues a receipt for d and returns its token.
func (e *env) issue(t *testing.T, d *survey.Dossier) string {
	t.Helper()
	tok, err := e.IssueReceipt("letan", d, time.Time{})
	must(t, err)
	if !survey.ValidToken(tok) {
		t.Fatalf("token %q has not the shape of a receipt token", tok)
	}
	return tok
}

// sipas is a valid answer to the receipt form.
func sipas() *survey.Response {
	return &survey.Response{Answers: map[string]int{survey.OverallKey: 5, "staff_attitude": 4},
		Facts: map[string]int{"tt01_contacts": 0, "tt01_complaint": 0}}
}

var dossierCases = []testCase{
	{"IssueReceipt", func(t *testing.T, e *env) {
		e.org(t)
		d := e.dossier("HS-001")
		tok := e.issue(t, d)
		got, err := e.ReceiptByToken(tok)
		must(t, err)
		if got.Code != "HS-001" || got.Unit != "so-a" || got.Procedure != "1.001" || got.Staff != "nv-lan" || got.Answered ||
			!got.ReceivedAt.Equal(d.ReceivedAt) || !got.DueAt.Equal(d.DueAt) {
			t.Fatalf("ReceiptByToken = %+v", got)
		}
		if exp := e.ReceiptExpiry(d.ReceivedAt); !got.TokenExpires.Equal(exp) {
			t.Fatalf("TokenExpires %v, want ReceiptExpiry %v", got.TokenExpires, exp)
		}
		stored, err := e.Dossier("HS-001")
		must(t, err)
		equal(t, "Dossier code", stored.Code, "HS-001")
		until := T0.AddDate(0, 0, 3)
		tok2, err := e.IssueReceipt("letan", e.dossier("HS-002"), until)
		must(t, err)
		got, err = e.ReceiptByToken(tok2)
		must(t, err)
		equal(t, "TokenExpires", got.TokenExpires.Equal(until), true)
	}},
	{"IssueReceipt/Reissue", func(t *testing.T, e *env) {
		e.org(t)
		old := e.issue(t, e.dossier("HS-001"))
		fin := 2
		_, err := e.FinishDossier("HS-001", T0.AddDate(0, 0, 2), &fin)
		must(t, err)
		audits := e.auditCount()
		d := e.dossier("HS-001")
		d.Procedure, d.Staff = "", "" // kept from the stored record
		tok := e.issue(t, d)
		_, err = e.ReceiptByToken(old)
		wantErr(t, err, survey.ENOTFOUND)
		got, err := e.ReceiptByToken(tok)
		must(t, err)
		if got.Procedure != "1.001" || got.Staff != "nv-lan" || !got.FinishedAt.Equal(T0.AddDate(0, 0, 2)) || got.SupplementDays != 2 {
			t.Fatalf("re-issued dossier %+v, want its record kept", got)
		}
		equal(t, "audit entries", e.auditCount(), audits+1)
		a := e.lastAudit(t)
		equal(t, "audit action", a.Action, "receipt.reissue")
		equal(t, "audit target", a.Target, "HS-001")
		equal(t, "audit actor", a.Actor, "letan")
	}},
	{"IssueReceipt/ErrConflict", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		for _, c := range []struct {
			edit  func(d *survey.Dossier)
			field string
		}{
			{func(d *survey.Dossier) { d.Unit, d.Staff = "so-b", "" }, "dossier_code"},
			{func(d *survey.Dossier) { d.ReceivedAt = d.ReceivedAt.Add(time.Minute) }, "received_at"},
			{func(d *survey.Dossier) { d.DueAt = d.DueAt.AddDate(0, 0, 1) }, "due_at"},
			{func(d *survey.Dossier) { d.Procedure = "9.999" }, "procedure"},
			{func(d *survey.Dossier) { d.Staff = "nv-minh" }, "staff"},
		} {
			d := e.dossier("HS-001")
			c.edit(d)
			_, err := e.IssueReceipt("letan", d, time.Time{})
			wantErr(t, err, survey.ECONFLICT, c.field)
		}
		if _, err := e.ReceiptByToken(tok); err != nil {
			t.Fatalf("a refused re-issue revoked the token: %v", err)
		}
		must(t, e.AnswerReceipt(tok, sipas()))
		_, err := e.IssueReceipt("letan", e.dossier("HS-001"), time.Time{})
		wantErr(t, err, survey.ECONFLICT, "dossier_code")
	}},
	{"IssueReceipt/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct {
			edit    func(d *survey.Dossier)
			expires time.Time
			field   string
		}{
			{func(d *survey.Dossier) { d.Code = "" }, time.Time{}, "code"},
			{func(d *survey.Dossier) { d.Unit = "nope" }, time.Time{}, "unit"},
			{func(d *survey.Dossier) { d.Staff = "nv-hung" }, time.Time{}, "staff"},
			{func(d *survey.Dossier) { d.DueAt = d.ReceivedAt.Add(-time.Hour) }, time.Time{}, "due_at"},
			{func(d *survey.Dossier) { d.ReceivedAt = time.Time{} }, time.Time{}, "received_at"},
			{func(*survey.Dossier) {}, T0.Add(-time.Minute), "expires_at"},
		} {
			d := e.dossier("HS-001")
			c.edit(d)
			_, err := e.IssueReceipt("letan", d, c.expires)
			wantErr(t, err, survey.EINVALID, c.field)
		}
		_, err := e.Dossier("HS-001")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"ReceiptByToken/ErrNotFound", func(t *testing.T, e *env) {
		e.org(t)
		e.issue(t, e.dossier("HS-001"))
		for _, tok := range []string{"", "short", survey.NewSecret(), "!" + survey.NewSecret()[1:]} {
			_, err := e.ReceiptByToken(tok)
			wantErr(t, err, survey.ENOTFOUND)
		}
	}},
	{"AnswerReceipt", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		r := sipas()
		must(t, e.AnswerReceipt(tok, r))
		d, err := e.ReceiptByToken(tok)
		must(t, err)
		equal(t, "Answered", d.Answered, true)
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		var got *survey.Response
		must(t, e.EachResponse(time.Time{}, time.Time{}, func(x *survey.Response) error { got = x; return nil }))
		if got.Dossier != "HS-001" || got.Unit != "so-a" || got.Procedure != "1.001" || got.Staff != "nv-lan" ||
			got.Channel != survey.ChannelQR || got.Survey != survey.SurveySipas || got.Answers["staff_attitude"] != 4 ||
			got.Facts["tt01_contacts"] != 0 || len(got.Facts) != 2 {
			t.Fatalf("stored receipt response %+v", got)
		}
		wantErr(t, e.AnswerReceipt(tok, sipas()), survey.ECONFLICT)
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 1)
	}},
	{"AnswerReceipt/Negative", func(t *testing.T, e *env) {
		// Dossier.Negative is derived from the receipt's response: set by a
		// negative answer, kept by later updates, never taken from the caller.
		// The overall answer decides; without one, any criterion.
		e.org(t)
		for code, answers := range map[string]map[string]int{
			"HS-001": {survey.OverallKey: 5, "staff_attitude": 2},
			"HS-002": {survey.OverallKey: 2, "staff_attitude": 5},
			"HS-004": {survey.OverallKey: survey.NA, "staff_attitude": 1},
		} {
			must(t, e.AnswerReceipt(e.issue(t, e.dossier(code)), &survey.Response{Answers: answers}))
		}
		for code, want := range map[string]bool{"HS-001": false, "HS-002": true, "HS-004": true} {
			d, err := e.Dossier(code)
			must(t, err)
			equal(t, code+" Answered", d.Answered, true)
			equal(t, code+" Negative", d.Negative, want)
		}
		upd := *e.dossier("HS-002")
		upd.FinishedAt = T0
		fresh := *e.dossier("HS-003")
		fresh.Negative, fresh.Answered = true, true
		must(t, e.PutDossiers([]survey.Dossier{upd, fresh}))
		d, err := e.Dossier("HS-002")
		must(t, err)
		equal(t, "Negative kept by an update", d.Negative, true)
		d, err = e.Dossier("HS-003")
		must(t, err)
		equal(t, "Negative given by the caller", d.Negative, false)
	}},
	{"AnswerReceipt/Errors", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		wantErr(t, e.AnswerReceipt(survey.NewSecret(), sipas()), survey.ENOTFOUND)
		bad := sipas()
		bad.Answers["overall"] = 9
		wantErr(t, e.AnswerReceipt(tok, bad), survey.EINVALID, "answers.overall")
		d, err := e.ReceiptByToken(tok)
		must(t, err)
		equal(t, "Answered after a refused answer", d.Answered, false)
		e.clock.Set(d.TokenExpires)
		wantErr(t, e.AnswerReceipt(tok, sipas()), survey.EGONE)
		equal(t, "ResponseCount", e.ResponseCount(), 0)
		if d, _ := e.Dossier("HS-001"); d.Answered {
			t.Fatal("an expired receipt was marked answered")
		}
	}},
	{"AnswerReceipt/Race", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		oneWins(t, "AnswerReceipt", race(8, func(int) error { return e.AnswerReceipt(tok, sipas()) }), survey.ECONFLICT)
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 1)
	}},
	{"FinishDossier/Outcomes", func(t *testing.T, e *env) {
		e.org(t)
		received, due := e.at(2026, 3, 2, 8, 0), e.at(2026, 3, 9, 17, 0)
		var ds []survey.Dossier
		for _, code := range []string{"early", "on-time", "late", "late-supplement", "open", "open-overdue"} {
			ds = append(ds, survey.Dossier{Code: code, Unit: "so-a", ReceivedAt: received, DueAt: due})
		}
		ds[5].DueAt = e.at(2026, 3, 2, 17, 0)
		must(t, e.PutDossiers(ds))
		three := 3
		for _, c := range []struct {
			code string
			at   time.Time
			supp *int
			want survey.Outcome
		}{
			{"early", e.at(2026, 3, 8, 23, 0), nil, survey.Early},
			{"on-time", e.at(2026, 3, 9, 23, 30), nil, survey.OnTime},
			{"late", e.at(2026, 3, 10, 0, 30), nil, survey.Late},
			{"late-supplement", e.at(2026, 3, 12, 10, 0), &three, survey.OnTime}, // due + 3 days
		} {
			d, err := e.FinishDossier(c.code, c.at, c.supp)
			must(t, err)
			equal(t, c.code, d.Outcome(e.Loc()), c.want)
			equal(t, c.code+" finished", d.FinishedAt.Equal(c.at), true)
		}
		d, err := e.FinishDossier("late-supplement", e.at(2026, 3, 13, 10, 0), nil) // nil keeps 3
		must(t, err)
		equal(t, "supplement kept", d.SupplementDays, 3)
		equal(t, "outcome", d.Outcome(e.Loc()), survey.Late)
		e.clock.Set(e.at(2026, 3, 5, 9, 0))
		tl, err := e.CountDossiers([]string{"so-a"}, received, received)
		must(t, err)
		want := survey.Timeliness{Received: 6, Finished: 4, Early: 1, OnTime: 1, Late: 2, InProgress: 2, InProgressNotOverdue: 1}
		equal(t, "CountDossiers", tl, want)
	}},
	{"FinishDossier/Errors", func(t *testing.T, e *env) {
		e.org(t)
		d := e.dossier("HS-001")
		must(t, e.PutDossiers([]survey.Dossier{*d}))
		_, err := e.FinishDossier("nope", T0, nil)
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.FinishDossier("HS-001", d.ReceivedAt.Add(-time.Minute), nil)
		wantErr(t, err, survey.EINVALID)
		for _, n := range []int{-1, 3651} {
			_, err = e.FinishDossier("HS-001", T0, &n)
			wantErr(t, err, survey.EINVALID)
		}
		got, err := e.Dossier("HS-001")
		must(t, err)
		if !got.FinishedAt.IsZero() || got.SupplementDays != 0 {
			t.Fatalf("a refused FinishDossier changed the dossier: %+v", got)
		}
	}},
	{"PutDossiers", func(t *testing.T, e *env) {
		e.org(t)
		tok := e.issue(t, e.dossier("HS-001"))
		d := *e.dossier("HS-001")
		d.FinishedAt, d.TokenHash = T0.AddDate(0, 0, 1), nil // an update without the receipt
		must(t, e.PutDossiers([]survey.Dossier{d, *e.dossier("HS-002")}))
		got, err := e.ReceiptByToken(tok)
		must(t, err)
		equal(t, "finished", got.FinishedAt.Equal(T0.AddDate(0, 0, 1)), true)
		_, err = e.Dossier("HS-002")
		must(t, err)
		_, err = e.Dossier("nope")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"PutDossiers/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		bad := *e.dossier("HS-003")
		bad.Unit = "nope"
		wantErr(t, e.PutDossiers([]survey.Dossier{*e.dossier("HS-002"), bad}), survey.EINVALID, "dossiers[1].unit")
		bad = *e.dossier("HS-003")
		bad.DueAt = bad.ReceivedAt.Add(-time.Hour)
		wantErr(t, e.PutDossiers([]survey.Dossier{bad}), survey.EINVALID, "dossiers[0].due_at")
		_, err := e.Dossier("HS-002")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"CountDossiers/EachDossier", func(t *testing.T, e *env) {
		e.org(t)
		var ds []survey.Dossier
		for i, u := range []string{"so-a", "so-b", "so-a", "so-a-vp", "so-a"} {
			rec := e.at(2026, 3, 1+i, 23, 30) // late evening: the day is local
			ds = append(ds, survey.Dossier{Code: "D" + string(rune('0'+i)), Unit: u, ReceivedAt: rec, DueAt: rec.AddDate(0, 0, 5)})
		}
		must(t, e.PutDossiers(ds))
		tl, err := e.CountDossiers([]string{"so-a", "so-a-vp"}, e.at(2026, 3, 1, 0, 0), e.at(2026, 3, 4, 0, 0))
		must(t, err)
		equal(t, "received", tl.Received, 3) // D0, D2, D3; D4 is on the 5th
		var codes []string
		must(t, e.EachDossier([]string{"so-a", "so-b"}, e.at(2026, 3, 1, 0, 0), e.at(2026, 3, 31, 0, 0), func(d *survey.Dossier) error {
			codes = append(codes, d.Code)
			return nil
		}))
		equalSlice(t, "EachDossier", codes, []string{"D0", "D2", "D4", "D1"})
		tl, err = e.CountDossiers([]string{"nope"}, e.at(2026, 3, 1, 0, 0), e.at(2026, 3, 31, 0, 0))
		must(t, err)
		equal(t, "unknown unit", tl, survey.Timeliness{})
	}},
	{"ReceiptExpiry", func(t *testing.T, e *env) {
		received := e.at(2026, 3, 2, 16, 45)
		exp := e.ReceiptExpiry(received).In(e.Loc())
		if exp.Hour() != 0 || exp.Minute() != 0 || exp.Second() != 0 {
			t.Fatalf("ReceiptExpiry = %v, want the end of a day (00:00 of the next)", exp)
		}
		equal(t, "days", survey.DayOf(exp, e.Loc())-survey.DayOf(received, e.Loc()), int32(survey.DefaultReceiptDays+1))
	}},
}
