package storetest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"hailong/survey"
)

// The reference tally: what Count must answer, computed in plain Go from
// the responses a test submitted, without asking the store.

// tally is a normalised survey.Tally: no zero counts, histograms by key.
type tally struct {
	Responses, Empty uint64
	Criteria         map[string]hist
	Reasons          map[string]map[string]uint64
	Excluded         survey.Exclusions
}

type hist struct {
	Scale int
	N     [6]uint64
}

// normalise drops zero counts, so that a store that keeps emptied cells
// (after a flag change) compares equal to one that deletes them.
func normalise(m map[string]*survey.Tally) map[string]tally {
	out := map[string]tally{}
	for name, tl := range m {
		n := tally{Responses: tl.Responses, Empty: tl.Empty, Criteria: map[string]hist{}, Reasons: map[string]map[string]uint64{},
			Excluded: tl.Excluded}
		for k, h := range tl.Criteria {
			if h != nil && h.N != [6]uint64{} {
				n.Criteria[k] = hist{h.Scale, h.N}
			}
		}
		for c, rs := range tl.Reasons {
			for r, v := range rs {
				if v != 0 {
					if n.Reasons[c] == nil {
						n.Reasons[c] = map[string]uint64{}
					}
					n.Reasons[c][r] = v
				}
			}
		}
		if n.Responses != 0 || n.Empty != 0 || len(n.Criteria) != 0 || len(n.Reasons) != 0 || n.Excluded != (survey.Exclusions{}) {
			out[name] = n
		}
	}
	return out
}

func (a tally) equal(b tally) bool {
	if a.Responses != b.Responses || a.Empty != b.Empty || !maps.Equal(a.Criteria, b.Criteria) || len(a.Reasons) != len(b.Reasons) ||
		a.Excluded != b.Excluded {
		return false
	}
	for c, rs := range a.Reasons {
		if !maps.Equal(rs, b.Reasons[c]) {
			return false
		}
	}
	return true
}

func sameTallies(t *testing.T, what string, got, want map[string]tally) {
	t.Helper()
	for _, name := range sorted(slices.Collect(maps.Keys(want))) {
		if g, ok := got[name]; !ok || !g.equal(want[name]) {
			t.Fatalf("%s: member %q\n got %+v\nwant %+v", what, name, g, want[name])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Fatalf("%s: unexpected member %q: %+v", what, name, got[name])
		}
	}
}

// sameCounts compares two answers of Count.
func sameCounts(t *testing.T, what string, got, want map[string]*survey.Tally) {
	t.Helper()
	sameTallies(t, what, normalise(got), normalise(want))
}

// expect tallies rs as Count(q) should, with days cut in loc.
func expect(e *env, rs []*survey.Response, q survey.CountQuery) map[string]tally {
	loc := e.Loc()
	from, to := survey.DayOf(q.From, loc), survey.DayOf(q.To, loc)
	out := map[string]tally{}
	for _, r := range rs {
		day := survey.DayOf(r.SubmittedAt, loc)
		if !slices.Contains(q.Units, r.Unit) || day < from || day > to ||
			q.Survey != "" && r.Survey != q.Survey || q.Channel != 0 && r.Channel != q.Channel {
			continue
		}
		excluded := !q.IncludeMisuse && r.Flags&survey.FlagMisuse != 0 || !q.IncludeUnverified && r.Flags&survey.FlagUnverified != 0
		var name string
		switch q.Dim {
		case survey.DimCounter:
			name = r.Counter
		case survey.DimStaff:
			name = r.Staff
		case survey.DimProcedure:
			name = r.Procedure
		case survey.DimHour:
			at := r.SubmittedAt.In(loc)
			name = fmt.Sprintf("%d-%02d", at.Weekday(), at.Hour())
		}
		if q.Dim != survey.DimBase && q.Dim != survey.DimHour && name == "" {
			continue
		}
		tl, ok := out[name]
		if !ok {
			tl = tally{Criteria: map[string]hist{}, Reasons: map[string]map[string]uint64{}}
		}
		if r.Valid() {
			if n := tl.Excluded.Of(r.Flags, q.IncludeMisuse, q.IncludeUnverified); n != nil {
				*n++
			}
		}
		if excluded {
			if tl.Excluded != (survey.Exclusions{}) {
				out[name] = tl
			}
			continue
		}
		if r.Valid() {
			tl.Responses++
		} else {
			tl.Empty++
		}
		sv := e.Survey(r.Survey, r.Version)
		for k, v := range r.Answers {
			c, _ := sv.Criterion(k)
			h := tl.Criteria[k]
			h.Scale = c.Scale
			h.N[v]++
			tl.Criteria[k] = h
		}
		if q.Dim == survey.DimBase {
			for _, reason := range r.Reasons {
				bump(tl.Reasons, "", reason)
				for k, v := range r.Answers {
					if c, _ := sv.Criterion(k); survey.Negative(c.Scale, v) {
						bump(tl.Reasons, k, reason)
					}
				}
			}
		}
		out[name] = tl
	}
	return out
}

func bump(m map[string]map[string]uint64, crit, reason string) {
	if m[crit] == nil {
		m[crit] = map[string]uint64{}
	}
	m[crit][reason]++
}

// kioskOf names the fixture's kiosks by unit and counter.
var kioskOf = map[string]struct{ id, counter string }{"so-a": {"k-a1", "a-q1"}, "so-b": {"k-b1", ""}}

// generate submits n random responses to the fixture, moving the clock
// forward between them, and returns them as stored (with the flags the
// store gave them). About one in eight follows the previous kiosk answer
// from the same kiosk within a second (a burst: misuse under any interval
// the settings allow); every other gap is at least survey.MaxMisuseInterval,
// so misuse is known without asking the store.
func (e *env) generate(t *testing.T, rng *rand.Rand, n int) []*survey.Response {
	t.Helper()
	units := []string{"so-a", "so-a", "so-b", "so-a-vp", "tinh"}
	staffOf := map[string][]string{"so-a": {"nv-lan", "nv-minh"}, "so-b": {"nv-hung"}, "so-a-vp": {"nv-mai"}, "tinh": {"nv-tinh"}}
	counters := map[string][]string{"so-a": {"a-q1", "a-q2"}, "so-b": {"b-q1"}}
	procedures := []string{"", "1.001", "2.002", "3.003"}
	var out []*survey.Response
	var last *survey.Response
	for range n {
		r := &survey.Response{ID: newUUID(rng), Survey: survey.SurveyQuay}
		burst := last != nil && last.Channel == survey.ChannelKiosk && rng.IntN(8) == 0
		if burst {
			e.clock.Add(time.Duration(100+rng.IntN(850)) * time.Millisecond)
			r.Unit, r.Channel, r.Kiosk, r.Counter = last.Unit, survey.ChannelKiosk, last.Kiosk, last.Counter
		} else {
			e.clock.Add(survey.MaxMisuseInterval + time.Duration(rng.Int64N(int64(40*time.Hour))))
			r.Unit = units[rng.IntN(len(units))]
			r.Channel = survey.Channel(1 + rng.IntN(4))
			if k, ok := kioskOf[r.Unit]; ok && r.Channel == survey.ChannelKiosk {
				r.Kiosk, r.Counter = k.id, k.counter
			} else if r.Channel == survey.ChannelKiosk {
				r.Channel = survey.ChannelWeb
			}
			if cs := counters[r.Unit]; r.Counter == "" && len(cs) > 0 && rng.IntN(2) == 0 {
				r.Counter = cs[rng.IntN(len(cs))]
			}
			if r.Channel == survey.ChannelWeb && rng.IntN(4) == 0 {
				r.Flags = survey.FlagUnverified
			}
		}
		if rng.IntN(5) == 0 {
			r.Survey = survey.SurveySipas
		}
		if rng.IntN(3) > 0 {
			st := staffOf[r.Unit]
			r.Staff = st[rng.IntN(len(st))]
		}
		r.Procedure = procedures[rng.IntN(len(procedures))]
		sv := e.Survey(r.Survey, 0)
		r.Answers = map[string]int{survey.OverallKey: rng.IntN(6)}
		for _, c := range sv.Criteria {
			if rng.IntN(3) == 0 {
				r.Answers[c.Key] = rng.IntN(c.Scale + 1)
			}
		}
		for _, reason := range sv.Reasons {
			if rng.IntN(6) == 0 {
				r.Reasons = append(r.Reasons, reason.Key)
			}
		}
		if rng.IntN(4) == 0 {
			r.Comment = "Ý kiến số " + fmt.Sprint(len(out))
		}
		r.SubmittedAt = e.clock.Now()
		want := r.Flags
		if burst {
			want |= survey.FlagMisuse
		}
		e.submit(t, r)
		stored, err := e.ResponseByID(r.ID)
		must(t, err)
		if stored.Flags != want {
			t.Fatalf("response %d (burst %v): flags %v, want %v", len(out), burst, stored.Flags, want)
		}
		r.Key, r.Version, r.Flags = stored.Key, e.Survey(r.Survey, 0).Version, want
		sameResponse(t, stored, r)
		out = append(out, r)
		if r.Channel == survey.ChannelKiosk {
			last = r
		} else {
			last = nil
		}
	}
	return out
}
