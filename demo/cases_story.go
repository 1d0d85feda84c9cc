package demo

import (
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// storyCase builds the case of story s from source r, with its contact.
func (g *gen) storyCase(s caseStory, r *caseSource) (survey.Case, *survey.Contact) {
	opened := r.at.Add(2 * time.Minute)
	cal := g.db.Calendar()
	c := survey.Case{Unit: r.unit, Kind: survey.CaseAskReply, Source: survey.SourceResponse, Channel: r.channel, Dossier: r.dossier,
		Summary: r.comment, Status: survey.CaseNew, OpenedBy: survey.Citizen, OpenedAt: opened.UTC(),
		DueAt: cal.AddWorkdays(opened, g.db.Settings().Cases.DeadlineDays).UTC()}
	if s.petition {
		c.Kind = survey.CasePetition
	}
	if s.byHand {
		c.Source, c.Channel, c.OpenedBy = survey.SourceLetter, "", "tiepnhan-sct"
		c.Summary = "Thư đề nghị: " + r.comment
	}
	ct := &survey.Contact{Name: personName(g.rng), Phone: phone(g.rng), ConsentAt: opened.UTC()}
	if s.via == survey.ReplyByEmail {
		ct.Email = "nguoidan." + string(rune('a'+g.rng.Intn(26))) + "@example.vn"
	}
	step := func(at time.Time, by, action, detail string) {
		c.Steps = append(c.Steps, survey.CaseStep{At: at.UTC(), By: by, Action: action, Detail: detail})
		c.UpdatedAt = at.UTC()
	}
	step(opened, c.OpenedBy, survey.StepOpen, c.Source)
	at := func(days int, hour int) time.Time {
		d := opened.In(g.loc).AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 15, 0, 0, g.loc)
	}
	if s.assign != "" {
		c.Assignee = s.assign
		if !g.db.InSubtree(c.Unit, storyUnit) {
			c.Assignee = "admin"
		}
		step(at(1, 8), "giamdoc-sct", survey.StepAssign, c.Assignee)
		c.Status = survey.CaseOpen
		step(at(1, 8), "giamdoc-sct", survey.StepStatus, c.Status)
	}
	if s.note != "" {
		n := survey.CaseNote{At: at(2, 10).UTC(), By: c.Assignee, Text: s.note}
		c.Notes = append(c.Notes, n)
		step(n.At, n.By, survey.StepNote, "")
	}
	if s.escalate {
		c.EscalatedTo, c.EscalatedAt = c.Unit, c.DueAt.Add(time.Hour)
		if u := g.db.Unit(c.Unit); u != nil && u.Parent != "" {
			c.EscalatedTo = u.Parent
		}
		step(c.EscalatedAt, "system", survey.StepEscalate, c.EscalatedTo)
	}
	g.storyEnd(&c, s, ct, at)
	if s.purge || (s.petition || s.byHand) && s.via == "" {
		return c, nil // purged, or never left
	}
	return c, ct
}

// storyEnd adds the reply, the rating, the closing and the purge.
func (g *gen) storyEnd(c *survey.Case, s caseStory, ct *survey.Contact, at func(int, int) time.Time) {
	step := func(t time.Time, by, action, detail string) {
		c.Steps = append(c.Steps, survey.CaseStep{At: t.UTC(), By: by, Action: action, Detail: detail})
		c.UpdatedAt = t.UTC()
	}
	if s.replyAfter > 0 {
		by := c.Assignee
		c.Reply = &survey.CaseReply{At: at(s.replyAfter, 14).UTC(), By: by, Via: s.via, Text: demoReply(g.unitName(c.Unit), ct.Name)}
		c.Status = survey.CaseReplied
		step(c.Reply.At, by, survey.StepReply, s.via)
	}
	if s.rating != "" {
		c.Rating, c.RatedAt = s.rating, at(s.replyAfter+1, 19).UTC()
		step(c.RatedAt, survey.Citizen, survey.StepRate, s.rating)
	}
	if s.closeAfter > 0 {
		c.Status, c.ClosedAt = survey.CaseClosed, at(s.closeAfter, 16).UTC()
		step(c.ClosedAt, c.Assignee, survey.StepStatus, c.Status)
	}
	if s.purge {
		c.ContactPurged = c.ClosedAt.AddDate(0, 0, g.db.Settings().Retention.ContactDays+1)
		step(c.ContactPurged, "system", survey.StepPurge, "")
	}
}

func (g *gen) unitName(id string) string {
	if u := g.db.Unit(id); u != nil {
		return u.Name
	}
	return id
}

func demoReply(agency, name string) string {
	return "Kính gửi Ông/Bà " + name + ",\n\n" + agency + " đã nhận được phản ánh của Ông/Bà. Sau khi kiểm tra, đơn vị đã nhắc nhở công chức liên quan, " +
		"bố trí thêm người hướng dẫn tại khu vực tiếp nhận và rút ngắn thời gian chờ.\n\n" + agency +
		" trân trọng cảm ơn Ông/Bà đã phản ánh, giúp chúng tôi nâng cao chất lượng phục vụ.\n\nTrân trọng./."
}

// freshCases stores two dissatisfied responses of this morning at the story
// unit's kiosk and opens their cases as the citizen's consent step does.
func (g *gen) freshCases() error {
	comments := []string{"Chờ gần một tiếng mới đến lượt, không ai hướng dẫn.", "Đề nghị bố trí thêm ghế ngồi chờ cho người cao tuổi."}
	var rs []*survey.Response
	for i, cm := range comments {
		at := g.now.Add(-time.Duration(3-i) * time.Hour)
		r := &survey.Response{ID: uuid.NewString(), Survey: survey.SurveyQuay, Channel: survey.ChannelWeb, Unit: storyUnit,
			Answers: map[string]int{survey.OverallKey: 2, "timeliness": 1}, Reasons: []string{"waited_long"}, Comment: cm,
			SubmittedAt: at, ReceivedAt: at}
		if err := g.db.Prepare(r); err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := g.db.InsertMany(rs); err != nil {
		return err
	}
	g.stats.Responses += len(rs)
	if _, err := g.db.OpenCaseFromResponse(rs[0].ID, survey.CaseAskReply, &survey.Contact{Name: personName(g.rng), Phone: phone(g.rng)}); err != nil {
		return err
	}
	_, err := g.db.OpenCaseFromResponse(rs[1].ID, survey.CasePetition, nil)
	return err
}
