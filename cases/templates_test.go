package cases

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"hailong/web"
)

const evil = "<script>alert(1)</script>"

// Every page and view renders, and escapes what it is given.
func TestRenderEveryView(t *testing.T) {
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	cal := survey.NewCalendar(time.UTC, survey.DefaultHolidays())
	cs := &survey.Case{ID: "2026-0001", Unit: "so-a", Kind: survey.CaseAskReply, Source: survey.SourceResponse, Summary: evil,
		Status: survey.CaseReplied, OpenedBy: survey.Citizen, OpenedAt: now.AddDate(0, 0, -3), DueAt: cal.AddWorkdays(now.AddDate(0, 0, -3), 10),
		Notes: []survey.CaseNote{{At: now, By: "ql", Text: evil}}, Reply: &survey.CaseReply{At: now, By: "ql", Via: survey.ReplyByPhone, Text: evil},
		Steps: []survey.CaseStep{{At: now, By: "ql", Action: survey.StepNote}}}
	p := &web.Page{Title: "T", User: &web.Principal{Kind: "user", Name: "ql", Role: survey.RoleManager, CSRF: "tok"}}
	row := inboxRow{ID: cs.ID, UnitName: evil, Summary: evil, Status: name(cs.Status), StatusCode: cs.Status, Due: dueOf(cs, cal, now)}
	data := map[string]any{
		"inbox": &inboxView{Status: "open", Q: evil, Rows: []inboxRow{row}, Found: 1, Units: []option{{Value: "so-a", Label: evil}}},
		"case": &caseView{C: cs, UnitName: evil, Status: name(cs.Status), StatusCode: cs.Status, Due: dueOf(cs, cal, now), CanAssign: true, CanHandle: true,
			Contact: &survey.Contact{Name: evil, Phone: "0912345678"}, Reply: &replyView{Text: evil}, ReplyText: evil, RatingLink: "http://x/danh-gia/" + evil,
			Timeline: []stepView{{At: "x", By: evil, What: survey.Text{Vi: evil}, Text: evil}}, Response: &responseView{Comment: evil},
			Dossier: &dossierView{Code: evil}, form: form{Problems: []problem{{ID: "f-note", Message: evil}}}},
		"case_new": &newView{Summary: evil, Name: evil, Units: []option{{Value: "so-a", Label: evil}}, form: form{Problems: []problem{{ID: "f-unit", Message: evil}}}},
	}
	for page := range pages {
		d, ok := data[page]
		if !ok {
			t.Errorf("page %q has no test data", page)
			continue
		}
		p.Data = d
		var buf bytes.Buffer
		if err := pages[page].ExecuteTemplate(&buf, "layout.html", p); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if out := buf.String(); strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") {
			t.Fatalf("%s: not escaped", page)
		}
	}
	for _, state := range []string{"ask", "thanks", "gone", "crosssite"} {
		var buf bytes.Buffer
		v := &ratingView{Lang: "vi", Other: "en", State: state, Agency: evil, CaseID: evil, Token: "t", Error: true}
		if err := views.ExecuteTemplate(&buf, "rating", v); err != nil {
			t.Fatalf("rating %s: %v", state, err)
		}
		if out := buf.String(); strings.Contains(out, "<script>") || !strings.Contains(out, "rate.css?v=") {
			t.Fatalf("rating %s: not escaped, or no hashed CSS", state)
		}
	}
}

func TestDeadlineText(t *testing.T) {
	cal := survey.NewCalendar(time.UTC, nil)
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)                                            // a Monday
	cs := &survey.Case{Status: survey.CaseNew, OpenedAt: opened, DueAt: cal.AddWorkdays(opened, 10)} // Monday 16 March
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{opened, "Còn 10 ngày làm việc"},
		{time.Date(2026, 3, 13, 9, 0, 0, 0, time.UTC), "Còn 1 ngày làm việc"},
		{time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC), "Hết hạn cuối ngày hôm nay"},
		{time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC), "Quá hạn 1 ngày"},
		{time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), "Quá hạn 4 ngày"},
	} {
		if got := dueOf(cs, cal, c.now).Left.Vi; got != c.want {
			t.Errorf("at %s: %q, want %q", c.now.Format(time.DateOnly), got, c.want)
		}
	}
	cs.Reply = &survey.CaseReply{At: time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)}
	if d := dueOf(cs, cal, cs.Reply.At); d.Left.Vi != "Đã trả lời quá hạn" || d.Class != "late" {
		t.Errorf("late reply: %+v", d)
	}
}

func TestReplyTemplate(t *testing.T) {
	vi := replyTemplate("vi", "Sở Công Thương", "Nguyễn Văn An", "02/03/2026", "thời gian chờ")
	for _, want := range []string{"Kính gửi Ông/Bà Nguyễn Văn An,", "Sở Công Thương đã nhận được phản ánh, kiến nghị của Ông/Bà ngày 02/03/2026 về nội dung: thời gian chờ", "Trân trọng./."} {
		if !strings.Contains(vi, want) {
			t.Errorf("Vietnamese template lacks %q:\n%s", want, vi)
		}
	}
	if en := replyTemplate("en", "Department of Industry and Trade", "", "02/03/2026", "waiting"); !strings.HasPrefix(en, "Dear Sir or Madam,") {
		t.Errorf("English template:\n%s", en)
	}
}
