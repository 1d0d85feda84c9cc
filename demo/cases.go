package demo

import (
	"fmt"
	"strings"
	"time"

	"hailong/survey"
)

// The citizens' cases (docs/CASES.md): a dozen, drawn from the demo's own
// dissatisfied responses with a comment over the last seven weeks (their
// unit, time, comment and, from the receipt form, dossier), in every state
// a newcomer should see: closed (one with its contact already purged),
// replied and rated, overdue (the oldest escalated), in progress, new. The
// two newest come from fresh responses and are opened through the store,
// as the citizen's consent step opens them; the older ones are stored as
// they stand (InsertCases), since the store's clock cannot go back.

// caseStory is one planned case: its age in days and what happened since.
type caseStory struct {
	age                     int
	petition, byHand        bool
	assign                  string // a demo login, "" = nobody
	note                    string
	replyAfter              int    // days after opening, 0 = no reply
	via, rating             string // the reply's way; the citizen's rating
	closeAfter              int    // days after opening, 0 = still open
	escalate, purge, noMail bool
}

var caseStories = []caseStory{
	{age: 46, assign: "giamdoc-sct", replyAfter: 5, via: survey.ReplyByPhone, rating: survey.RatingGood, closeAfter: 9, purge: true},
	{age: 39, assign: "tiepnhan-sct", replyAfter: 8, via: survey.ReplyByEmail, rating: survey.RatingBad, closeAfter: 13,
		note: "Đã mời công dân đến làm việc trực tiếp, công dân chưa đồng ý với cách giải quyết."},
	{age: 31, petition: true, assign: "giamdoc-sct", replyAfter: 17, via: survey.ReplyByPost, rating: survey.RatingGood},
	{age: 26, assign: "tiepnhan-sct", note: "Chờ Phòng Quản lý Thương mại cung cấp hồ sơ gốc.", escalate: true},
	{age: 21, petition: true},
	{age: 17, assign: "giamdoc-sct", replyAfter: 6, via: survey.ReplyByPhone},
	{age: 13, assign: "tiepnhan-sct", note: "Đã liên hệ qua điện thoại, hẹn trả lời bằng văn bản."},
	{age: 9, assign: "giamdoc-sct", note: "Giao Văn phòng Sở kiểm tra camera khu vực chờ."},
	{age: 6, petition: true, byHand: true},
	{age: 4, assign: "tiepnhan-sct", replyAfter: 1, via: survey.ReplyByPhone, rating: survey.RatingBad},
	{age: 0},
	{age: 0, petition: true, noMail: true},
}

// cases stores the demo's cases.
func (g *gen) cases() error {
	src, err := g.caseSources()
	if err != nil {
		return err
	}
	var (
		stored   []survey.Case
		contacts []*survey.Contact
	)
	seq := map[int]int{}
	for _, s := range caseStories {
		if s.age == 0 {
			continue
		}
		r := src.near(g.now.AddDate(0, 0, -s.age))
		if r == nil {
			continue // a small test province may have none
		}
		c, ct := g.storyCase(s, r)
		y := c.OpenedAt.In(g.loc).Year()
		seq[y]++
		c.ID = fmt.Sprintf("%d-%04d", y, seq[y])
		stored, contacts = append(stored, c), append(contacts, ct)
	}
	if err := g.db.InsertCases(stored, contacts, "demo"); err != nil {
		return fmt.Errorf("cases: %w", err)
	}
	return g.freshCases()
}

// caseSource is a dissatisfied response with a comment.
type caseSource struct {
	unit, comment, dossier, channel string
	at                              time.Time
}

type caseSources []caseSource

// near returns the first source at or after t not taken yet, and takes it.
func (s caseSources) near(t time.Time) *caseSource {
	for i := range s {
		if s[i].unit != "" && !s[i].at.Before(t) {
			out := s[i]
			s[i].unit = ""
			return &out
		}
	}
	return nil
}

// caseSources reads the dissatisfied responses with a comment of the last
// 50 days, in time order, the story unit's and one in four of the others'.
func (g *gen) caseSources() (caseSources, error) {
	var out caseSources
	n := 0
	err := g.db.EachResponse(g.now.AddDate(0, 0, -50), g.now, func(r *survey.Response) error {
		if r.Comment == "" || r.Flags != 0 || strings.ContainsAny(r.Comment, "0123456789@") || !g.db.Survey(r.Survey, r.Version).AnyNegative(r) {
			return nil
		}
		if n++; r.Unit != storyUnit && n%4 != 0 {
			return nil
		}
		out = append(out, caseSource{unit: r.Unit, comment: r.Comment, dossier: r.Dossier, channel: r.Channel.String(), at: r.SubmittedAt})
		return nil
	})
	return out, err
}
