package storetest

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

var responseCases = []testCase{
	{"Prepare", func(t *testing.T, e *env) {
		e.org(t)
		r := e.response()
		must(t, e.Prepare(r))
		equal(t, "Version", r.Version, e.Survey(survey.SurveyQuay, 0).Version)
		equal(t, "ReceivedAt", r.ReceivedAt.Equal(T0), true)
		equal(t, "SubmittedAt", r.SubmittedAt.Equal(T0), true)
		r = e.response()
		r.SubmittedAt = T0.Add(-time.Hour)
		must(t, e.Prepare(r))
		equal(t, "SubmittedAt kept", r.SubmittedAt.Equal(T0.Add(-time.Hour)), true)
		equal(t, "nothing stored", e.ResponseCount(), 0)
	}},
	{"Prepare/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, c := range []struct {
			name  string
			edit  func(r *survey.Response)
			field string
		}{
			{"UnknownSurvey", func(r *survey.Response) { r.Survey = "nope" }, "survey"},
			{"UnknownVersion", func(r *survey.Response) { r.Version = 99 }, "survey"},
			{"UnknownUnit", func(r *survey.Response) { r.Unit = "so-x" }, "unit"},
			{"UnknownCriterion", func(r *survey.Response) { r.Answers["bogus"] = 3 }, "answers.bogus"},
			{"CriterionOfAnotherSurvey", func(r *survey.Response) { r.Answers["result_on_time"] = 3 }, "answers.result_on_time"},
			{"ScoreOutOfRange", func(r *survey.Response) { r.Answers["overall"] = 6 }, "answers.overall"},
			{"NegativeScore", func(r *survey.Response) { r.Answers["facilities"] = -1 }, "answers.facilities"},
			{"NoAnswers", func(r *survey.Response) { r.Answers = nil }, "answers"},
			{"BadChannel", func(r *survey.Response) { r.Channel = 9 }, "channel"},
			{"UnknownReason", func(r *survey.Response) { r.Reasons = []string{"x"} }, "reasons"},
			{"RepeatedReason", func(r *survey.Response) { r.Reasons = []string{"other", "other"} }, "reasons"},
			{"CounterOfOtherUnit", func(r *survey.Response) { r.Counter = "b-q1" }, "counter"},
			{"UnknownStaff", func(r *survey.Response) { r.Staff = "ghost" }, "staff"},
			{"StaffOfOtherUnit", func(r *survey.Response) { r.Staff = "nv-hung" }, "staff"},
			{"UnknownKiosk", func(r *survey.Response) { r.Kiosk = "k-x" }, "kiosk"},
			{"BadID", func(r *survey.Response) { r.ID = "not-a-uuid" }, "id"},
			{"CommentTooLong", func(r *survey.Response) { r.Comment = strings.Repeat("ý", survey.MaxComment+1) }, "comment"},
			{"CommentNotUTF8", func(r *survey.Response) { r.Comment = "\xff" }, "comment"},
			{"FutureSubmission", func(r *survey.Response) { r.SubmittedAt = T0.Add(time.Hour) }, "submitted_at"},
		} {
			r := e.response()
			c.edit(r)
			wantErr(t, e.Prepare(r), survey.EINVALID, c.field)
			r = e.response()
			c.edit(r)
			_, err := e.Submit(r)
			wantErr(t, err, survey.EINVALID, c.field)
		}
		equal(t, "ResponseCount", e.ResponseCount(), 0)
		equal(t, "IdemCount", e.IdemCount(), 0)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 0)
	}},
	{"Submit/RoundTrip", func(t *testing.T, e *env) {
		e.org(t)
		r := &survey.Response{ID: e.uuid(), Survey: survey.SurveyQuay, Channel: survey.ChannelKiosk, Unit: "so-a",
			Counter: "a-q1", Staff: "nv-lan", Procedure: "1.001", Kiosk: "k-a1",
			Answers: map[string]int{"overall": 5, "facilities": 2, "website": survey.NA},
			Reasons: []string{"had_to_stand", "other"}, Comment: "Phải đứng <b>lâu</b> 😞",
			SubmittedAt: T0.Add(-90 * time.Second)}
		e.submit(t, r)
		for _, get := range []func() (*survey.Response, error){
			func() (*survey.Response, error) { return e.Response(r.Key) },
			func() (*survey.Response, error) { return e.ResponseByID(r.ID) },
		} {
			got, err := get()
			must(t, err)
			sameResponse(t, got, r)
		}
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		equal(t, "IdemCount", e.IdemCount(), 1)
		equal(t, "FirstResponseAt", e.FirstResponseAt().Equal(r.SubmittedAt), true)
	}},
	{"Submit/Idempotent", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		before, err := e.Count(e.all(survey.DimBase))
		must(t, err)
		again := *r
		again.Key, again.Answers = 0, map[string]int{"overall": 1}
		created, err := e.Submit(&again)
		must(t, err)
		equal(t, "created", created, false)
		equal(t, "Key", again.Key, r.Key)
		got, err := e.ResponseByID(r.ID)
		must(t, err)
		equal(t, "stored overall", got.Answers["overall"], 4)
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		equal(t, "IdemCount", e.IdemCount(), 1)
		after, err := e.Count(e.all(survey.DimBase))
		must(t, err)
		sameCounts(t, "counts after a repeat", after, before)
	}},
	{"Response/ErrNotFound", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		_, err := e.Response(r.Key + 1)
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.ResponseByID(e.uuid())
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.ResponseByID("not-a-uuid")
		wantErr(t, err, survey.EINVALID)
	}},
	{"InsertMany", func(t *testing.T, e *env) {
		e.org(t)
		var rs []*survey.Response
		for i := range 5 {
			r := e.response()
			r.ID, r.Channel, r.SubmittedAt = "", survey.ChannelPaper, T0.AddDate(0, 0, -i)
			must(t, e.Prepare(r))
			rs = append(rs, r)
		}
		must(t, e.InsertMany(rs))
		equal(t, "ResponseCount", e.ResponseCount(), 5)
		equal(t, "IdemCount", e.IdemCount(), 0)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 5)
		for _, r := range rs {
			got, err := e.Response(r.Key)
			must(t, err)
			sameResponse(t, got, r)
		}
		equal(t, "FirstResponseAt", e.FirstResponseAt().Equal(T0.AddDate(0, 0, -4)), true)
	}},
	{"EachResponse", func(t *testing.T, e *env) {
		e.org(t)
		equal(t, "FirstResponseAt of none", e.FirstResponseAt().IsZero(), true)
		var want []uint64
		for _, h := range []int{5, 1, 3, 2, 4} { // submitted out of order
			r := e.response()
			r.SubmittedAt = T0.Add(-time.Duration(h) * time.Hour)
			e.submit(t, r)
			want = append(want, r.Key)
		}
		keys := func(from, to time.Time) []uint64 {
			var out []uint64
			must(t, e.EachResponse(from, to, func(r *survey.Response) error { out = append(out, r.Key); return nil }))
			return out
		}
		all := keys(time.Time{}, time.Time{})
		equal(t, "responses", len(all), 5)
		if !slices.IsSortedFunc(all, func(a, b uint64) int { return compareAt(t, e, a, b) }) {
			t.Fatal("EachResponse is not in time order")
		}
		equal(t, "[−4h, −2h)", len(keys(T0.Add(-4*time.Hour), T0.Add(-2*time.Hour))), 2)
		equal(t, "[−3h, ∞)", len(keys(T0.Add(-3*time.Hour), time.Time{})), 3)
		stop := errors.New("stop")
		n := 0
		err := e.EachResponse(time.Time{}, time.Time{}, func(*survey.Response) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("EachResponse after fn fails: %v after %d calls", err, n)
		}
	}},
	{"SetResponseFlags", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		plain := e.all(survey.DimBase)
		plain.IncludeMisuse, plain.IncludeUnverified = false, false
		withMisuse := plain
		withMisuse.IncludeMisuse = true
		equal(t, "counted", e.responses(t, plain), 1)
		audits := e.auditCount()
		must(t, e.SetResponseFlags(r.ID, survey.FlagMisuse, "quantri", "  bấm liên tục khi thử máy  "))
		equal(t, "counted without misuse", e.responses(t, plain), 0)
		equal(t, "counted with misuse", e.responses(t, withMisuse), 1)
		equal(t, "audit entries", e.auditCount(), audits+1)
		a := e.lastAudit(t)
		equal(t, "audit actor", a.Actor, "quantri")
		if !strings.Contains(a.Detail, "bấm liên tục khi thử máy") || strings.Contains(a.Detail, "  bấm") {
			t.Fatalf("audit detail %q: want the reason, trimmed", a.Detail)
		}
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "flags", got.Flags, survey.FlagMisuse|survey.FlagReclassified)
		equal(t, "exclusions", e.tally(t, plain).Excluded, survey.Exclusions{Reclassified: 1})
		must(t, e.SetResponseFlags(strconv.FormatUint(r.Key, 10), survey.FlagMisuse, "quantri", "lại")) // the same: nothing
		must(t, e.SetResponseFlags(r.ID, survey.FlagMisuse|survey.FlagReclassified, "quantri", "lại"))  // the mark is not a counting flag
		equal(t, "audit entries", e.auditCount(), audits+1)
		must(t, e.SetResponseFlags(strconv.FormatUint(r.Key, 10), 0, "quantri", "thử máy xong, phiếu thật"))
		equal(t, "counted again", e.responses(t, plain), 1)
		equal(t, "with misuse", e.responses(t, withMisuse), 1)
		got, err = e.Response(r.Key)
		must(t, err)
		equal(t, "flags", got.Flags, survey.FlagReclassified)
		equal(t, "exclusions", e.tally(t, plain).Excluded, survey.Exclusions{Reinstated: 1})
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "CheckAgg", ok, true)
		n, err := e.Reindex()
		must(t, err)
		equal(t, "Reindex", n, 1)
		equal(t, "exclusions after Reindex", e.tally(t, plain).Excluded, survey.Exclusions{Reinstated: 1})
	}},
	{"SetResponseFlags/Exclusions", func(t *testing.T, e *env) {
		e.org(t)
		plain := e.all(survey.DimBase)
		plain.IncludeMisuse, plain.IncludeUnverified = false, false
		kiosk := func() *survey.Response {
			r := e.response()
			r.Channel, r.Kiosk, r.Counter = survey.ChannelKiosk, "k-a1", "a-q1"
			return r
		}
		e.submit(t, kiosk())
		e.clock.Add(time.Second)
		e.submit(t, kiosk()) // a burst: misuse by the kiosk rule
		e.clock.Add(time.Hour)
		poster := e.response()
		poster.Flags = survey.FlagUnverified
		poster = e.submit(t, poster)
		e.clock.Add(time.Hour)
		poster2 := e.response()
		poster2.Flags = survey.FlagUnverified
		e.submit(t, poster2)
		e.clock.Add(time.Hour)
		fake := e.submit(t, e.response())
		e.clock.Add(time.Hour)
		empty := e.response()
		empty.Answers = map[string]int{survey.OverallKey: survey.NA}
		empty.Flags = survey.FlagUnverified
		e.submit(t, empty) // no valid answer: neither counted nor excluded, like n
		equal(t, "before", e.tally(t, plain).Excluded, survey.Exclusions{Misuse: 1, Unverified: 2})
		must(t, e.SetResponseFlags(fake.ID, survey.FlagMisuse, "quantri", "phiếu giả"))
		must(t, e.SetResponseFlags(poster.ID, 0, "quantri", "đã gọi điện xác minh"))
		equal(t, "after", e.tally(t, plain).Excluded, survey.Exclusions{Misuse: 1, Unverified: 1, Reclassified: 1, Reinstated: 1})
		tl := e.tally(t, plain)
		all := e.all(survey.DimBase)
		equal(t, "counted + excluded = every response with a valid answer", tl.Responses+tl.Excluded.Total(), e.tally(t, all).Responses)
		withUnverified := plain
		withUnverified.IncludeUnverified = true
		equal(t, "including unverified", e.tally(t, withUnverified).Excluded, survey.Exclusions{Misuse: 1, Reclassified: 1, Reinstated: 1})
	}},
	{"SetResponseFlags/Errors", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		audits := e.auditCount()
		wantErr(t, e.SetResponseFlags("zzz", survey.FlagMisuse, "x", "lý do"), survey.EINVALID)
		wantErr(t, e.SetResponseFlags(r.ID, 1<<5, "x", "lý do"), survey.EINVALID)
		wantErr(t, e.SetResponseFlags(e.uuid(), survey.FlagMisuse, "x", "lý do"), survey.ENOTFOUND)
		wantErr(t, e.SetResponseFlags(strconv.FormatUint(r.Key+1, 10), survey.FlagMisuse, "x", "lý do"), survey.ENOTFOUND)
		for _, reason := range []string{"", "   ", "hai\ndòng", strings.Repeat("x", survey.MaxReason+1)} {
			wantErr(t, e.SetResponseFlags(r.ID, survey.FlagMisuse, "x", reason), survey.EINVALID, "reason")
		}
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "flags", got.Flags, survey.Flags(0))
		equal(t, "audit entries", e.auditCount(), audits)
		plain := e.all(survey.DimBase)
		plain.IncludeMisuse = false
		equal(t, "counted", e.responses(t, plain), 1)
	}},
	{"PurgeComments", func(t *testing.T, e *env) {
		e.org(t)
		var rs []*survey.Response
		for i := range 4 {
			r := e.response()
			r.Comment, r.SubmittedAt = "ý kiến "+strconv.Itoa(i), T0.Add(-time.Duration(4-i)*time.Hour)
			rs = append(rs, e.submit(t, r))
		}
		before, err := e.Count(e.all(survey.DimBase))
		must(t, err)
		audits := e.auditCount()
		n, err := e.PurgeComments(T0.Add(-2 * time.Hour)) // the first two
		must(t, err)
		equal(t, "purged", n, 2)
		equal(t, "audit entries", e.auditCount(), audits+1)
		for i, r := range rs {
			got, err := e.Response(r.Key)
			must(t, err)
			want := r.Comment
			if i < 2 {
				want = ""
			}
			equal(t, "comment", got.Comment, want)
			equal(t, "overall", got.Answers["overall"], 4)
		}
		after, err := e.Count(e.all(survey.DimBase))
		must(t, err)
		sameCounts(t, "counts after purge", after, before)
		n, err = e.PurgeComments(T0.Add(-2 * time.Hour))
		must(t, err)
		equal(t, "purged again", n, 0)
	}},
	{"PurgeComments/Backdated", func(t *testing.T, e *env) {
		// A response stored after a purge but submitted before its cutoff
		// (an import of paper forms) loses its comment at the next purge.
		e.org(t)
		_, err := e.PurgeComments(T0.Add(-time.Hour))
		must(t, err)
		r := e.response()
		r.ID, r.Channel, r.Comment, r.SubmittedAt = "", survey.ChannelPaper, "giấy", T0.AddDate(0, 0, -30)
		must(t, e.Prepare(r))
		must(t, e.InsertMany([]*survey.Response{r}))
		n, err := e.PurgeComments(T0.Add(-time.Hour))
		must(t, err)
		equal(t, "purged", n, 1)
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "comment", got.Comment, "")
	}},
}

// compareAt orders two stored responses by submission time.
func compareAt(t *testing.T, e *env, a, b uint64) int {
	ra, err := e.Response(a)
	must(t, err)
	rb, err := e.Response(b)
	must(t, err)
	return ra.SubmittedAt.Compare(rb.SubmittedAt)
}

// sameResponse compares what a store keeps of a response.
func sameResponse(t *testing.T, got, want *survey.Response) {
	t.Helper()
	if got.Key != want.Key || got.Survey != want.Survey || got.Version != want.Version || got.Channel != want.Channel ||
		got.Unit != want.Unit || got.Counter != want.Counter || got.Staff != want.Staff || got.Procedure != want.Procedure ||
		got.Kiosk != want.Kiosk || got.Dossier != want.Dossier || got.Comment != want.Comment || got.Flags != want.Flags ||
		!sameInstant(got.SubmittedAt, want.SubmittedAt) || len(got.Answers) != len(want.Answers) ||
		!slices.Equal(sorted(got.Reasons), sorted(want.Reasons)) {
		t.Fatalf("stored response\n%+v\nwant\n%+v", got, want)
	}
	for k, v := range want.Answers {
		if a, ok := got.Answers[k]; !ok || a != v {
			t.Fatalf("answer %s = %d (%v), want %d", k, a, ok, v)
		}
	}
}

// sameInstant reports whether a stored submission time is the one given: a
// store may move it by a few nanoseconds to make its key unique
// (Response.Key).
func sameInstant(stored, given time.Time) bool {
	d := stored.Sub(given)
	return d >= 0 && d < time.Millisecond
}
