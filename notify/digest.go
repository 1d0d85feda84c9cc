package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The weekly digest goes out on Monday from 07:00 in the installation's
// zone and covers the week (Monday–Sunday) before. Its delivery ids are
// "digest-<ISO year>-W<week>-<username>", so whether the job runs once,
// twice or again after a restart, each user gets one digest a week.

// digestHour is when the digest goes out on Mondays (installation zone).
const digestHour = 7

// DigestWeek returns the week a digest sent at now covers (its first and
// last day) and whether Monday's send time of the current week has come.
func DigestWeek(now time.Time, loc *time.Location) (engine.Period, bool) {
	t := now.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	monday := survey.DayOf(t, loc) - int32(back)
	due := survey.DayStart(monday, loc).Add(digestHour * time.Hour)
	return engine.Period{From: monday - 7, To: monday - 1}, !now.Before(due)
}

// digestID is the delivery id of username's digest for the week starting on day.
func digestID(week engine.Period, username string) string {
	y, w := engine.Civil(week.From).ISOWeek()
	return fmt.Sprintf("digest-%04d-W%02d-%s", y, w, username)
}

// Digest queues this week's digests once Monday's send time has come
// (nothing else: each id is queued once). It returns how many it queued
// or found queued.
func (s *Sender) Digest(ctx context.Context) int {
	week, due := DigestWeek(s.now(), s.Clock.Loc())
	if !due || week == s.digested {
		return 0
	}
	var users []survey.User
	for _, u := range s.Users.Users() {
		if !u.Disabled && u.Email != "" && !u.NoDigest && u.Role != survey.RoleReception {
			users = append(users, u)
		}
	}
	if len(users) > 0 {
		comments, err := s.commentsByUnit(week)
		if err != nil {
			s.Log.Error("digest: comments", "err", err)
			return 0
		}
		eng := engine.New(engine.SourceOf(s.Services), engine.ConfigOf(s.Settings.Settings().Analytics), "")
		var mails []survey.Delivery
		for i := range users {
			m, err := s.digestMail(eng, &users[i], week, comments)
			if err != nil {
				s.Log.Error("digest", "user", users[i].Username, "err", err)
				return 0
			}
			mails = append(mails, survey.Delivery{ID: digestID(week, users[i].Username), Kind: survey.DeliverMail, Mail: m})
		}
		if err := s.Outbox.Enqueue(mails...); err != nil {
			s.Log.Error("digest: queue", "err", err)
			return 0
		}
	}
	s.digested = week
	return len(users)
}

// commentsByUnit counts the counted responses of the week that carry a
// comment, by unit (the texts are never read out).
func (s *Sender) commentsByUnit(week engine.Period) (map[string]int, error) {
	loc := s.Clock.Loc()
	out := map[string]int{}
	err := s.Responses.EachResponse(week.Start(loc), week.End(loc), func(r *survey.Response) error {
		if r.Comment != "" && !r.Flags.Excluded() {
			out[r.Unit]++
		}
		return nil
	})
	return out, err
}

// digestMail writes one user's digest of their subtree: the index and its
// change from the week before, the weakest criterion, the comments (how
// many, never their text), the cases overdue now.
func (s *Sender) digestMail(eng *engine.Engine, u *survey.User, week engine.Period, comments map[string]int) (*survey.Mail, error) {
	sum, err := eng.Summary(engine.Filter{Unit: u.Unit}, week)
	if err != nil {
		return nil, err
	}
	unsub, err := s.unsubscribeURL(u.Username, survey.UnsubDigest)
	if err != nil {
		return nil, err
	}
	name := "Toàn hệ thống / The whole installation"
	if x := s.Org.Unit(u.Unit); x != nil {
		name = x.Name
	}
	n := 0
	for unit, c := range comments {
		if s.Org.InSubtree(unit, u.Unit) {
			n += c
		}
	}
	var units []string // nil: every unit
	if u.Unit != "" {
		units = s.Org.Subtree(u.Unit)
	}
	overdue, err := s.Cases.Cases(survey.CaseQuery{Units: units, Overdue: true})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, lang := range []string{"vi", "en"} {
		s.digestText(&b, engine.NewFormatter(lang), eng, sum, name, n, len(overdue))
		b.WriteString("\n")
	}
	link := s.PublicURL + "/dashboard"
	if u.Unit != "" {
		link += "?unit=" + u.Unit
	}
	fmt.Fprintf(&b, "Bảng điều khiển / Dashboard: %s\n\n-- \nKhông muốn nhận bản tin tuần? / Stop the weekly digest: %s\n", link, unsub)
	f := engine.NewFormatter("vi")
	return &survey.Mail{To: u.Email, Subject: fmt.Sprintf("[Hài Lòng] Bản tin tuần %s — %s / Weekly digest", f.Range(week), name),
		Text: b.String(), Unsubscribe: unsub}, nil
}

func (s *Sender) digestText(b *strings.Builder, f engine.Formatter, eng *engine.Engine, sum *engine.Summary, name string, comments, overdue int) {
	fmt.Fprintf(b, "%s — %s\n", f.T("Bản tin tuần", "Weekly digest"), name)
	fmt.Fprintf(b, "%s: %s\n", f.T("Tuần", "Week"), f.Range(sum.Period))
	cur, prev := sum.Current.Index, sum.Previous.Index
	switch {
	case !cur.OK:
		fmt.Fprintf(b, "%s: %s\n", f.T("Chỉ số hài lòng", "Satisfaction index"), f.T("chưa có phiếu trong tuần", "no responses this week"))
	default:
		fmt.Fprintf(b, "%s: %s (n = %s)", f.T("Chỉ số hài lòng", "Satisfaction index"), f.Pct(cur.Value), f.Int(cur.N))
		if engine.TooFew(cur.N, eng.Cfg.MinN) {
			fmt.Fprintf(b, " — %s", f.TooFew())
		}
		if prev.OK {
			fmt.Fprintf(b, "; %s %s", f.T("so với tuần trước", "against the week before"), f.Delta(cur.Value-prev.Value))
		}
		b.WriteString("\n")
	}
	if w, ok := sum.Current.Weakest(eng.Cfg.MinN); ok {
		fmt.Fprintf(b, "%s: %s — %s (n = %s)\n", f.T("Tiêu chí thấp nhất", "Weakest criterion"),
			f.Text(eng.Cat.Criterion(engine.BaseKey(w.Key)).Label), f.Pct(w.Value), f.Int(w.N))
	}
	fmt.Fprintf(b, "%s: %s\n", f.T("Số góp ý bằng lời trong tuần", "Written comments this week"), f.Int(uint64(comments)))
	fmt.Fprintf(b, "%s: %s\n", f.T("Phản ánh, kiến nghị quá hạn chưa trả lời", "Cases overdue without a reply"), f.Int(uint64(overdue)))
}
