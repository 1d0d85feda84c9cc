package analytics

import (
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// Comments and sample comments need the raw records (the counts hold no
// text). They are read newest first in windows that grow backwards from the
// end of the period — one day, then two, four … — each window its own short
// read transaction, until a page is full or the period is exhausted. A page
// of the newest comments therefore reads a day or two of responses, not the
// whole period.

// commentQuery selects responses for the comments list.
type commentQuery struct {
	Units       map[string]bool // the units covered (the filter's subtree)
	From, To    time.Time       // [From, To)
	Survey      string
	Channel     survey.Channel
	Kiosk       string          // "" = any
	Staff       string          // "" = any
	Criterion   string          // answered negatively ("" = any); "k@3" means k on a 3-level scale
	Reasons     map[string]bool // chose one of these reasons (nil = any)
	WithComment bool
	Flagged     int    // flaggedAny, flaggedOnly, flaggedNone
	Before      uint64 // cursor: only keys below it (0 = none)
	Limit       int
	// Budget bounds how many stored responses one call reads (0 = no
	// bound): a filter that matches nothing in a large period would
	// otherwise read the whole period (~1 µs a response).
	Budget int
}

// commentScanBudget is the comments page's Budget: about 0.1 s of reading.
// A page that stops there says how far back it looked and links on. (A
// variable so that a test can walk the pages with a small one.)
var commentScanBudget = 100_000

const (
	flaggedAny = iota
	flaggedOnly
	flaggedNone
)

// maxWindow bounds one backward window, so one read transaction stays short.
const maxWindow = 32 * 24 * time.Hour

// recentResponses returns up to q.Limit matching responses, newest first.
// next is the cursor (q.Before) of the page after them, 0 when the period
// holds no more: the key of the last row when the page is full, else the
// start of the stretch read when q.Budget ran out (searched reports that
// case: nothing older was looked at yet).
func recentResponses(db *survey.Services, q commentQuery) (rows []*survey.Response, next uint64, searched time.Time, err error) {
	end := q.To
	if q.Before != 0 {
		if b := time.Unix(0, int64(q.Before)); b.Before(end) {
			end = b
		}
	}
	full := false
	resume, err := scanBack(db.Responses, q.From, end, q.Budget, func(r *survey.Response) bool { return q.match(db, r) }, func(r *survey.Response) bool {
		if len(rows) == q.Limit {
			full = true
			return false
		}
		rows = append(rows, r)
		return true
	})
	switch {
	case full:
		next = rows[len(rows)-1].Key
	case !resume.IsZero():
		next, searched = uint64(resume.UnixNano()), resume
	}
	return rows, next, searched, err
}

// scanBack hands fn the responses of [from, to) that keep accepts, newest
// first, until fn returns false or the range is exhausted. keep runs inside
// each window's read transaction, fn outside it. With budget > 0 it stops
// after the window in which it has read that many responses, and returns
// that window's start (the responses before it are not read); otherwise
// the zero time.
func scanBack(db survey.ResponseService, from, to time.Time, budget int, keep func(*survey.Response) bool, fn func(*survey.Response) bool) (time.Time, error) {
	end, read := to, 0
	for window := 24 * time.Hour; end.After(from); window = min(2*window, maxWindow) {
		start := end.Add(-window)
		if start.Before(from) {
			start = from
		}
		var found []*survey.Response
		err := db.EachResponse(start, end, func(r *survey.Response) error {
			read++
			if keep(r) {
				found = append(found, r)
			}
			return nil
		})
		if err != nil {
			return time.Time{}, err
		}
		for i := len(found) - 1; i >= 0; i-- {
			if !fn(found[i]) {
				return time.Time{}, nil
			}
		}
		end = start
		if budget > 0 && read >= budget && end.After(from) {
			return end, nil
		}
	}
	return time.Time{}, nil
}

func (q *commentQuery) match(db *survey.Services, r *survey.Response) bool {
	switch {
	case q.Units != nil && !q.Units[r.Unit],
		q.Survey != "" && r.Survey != q.Survey,
		q.Channel != 0 && r.Channel != q.Channel,
		q.Kiosk != "" && r.Kiosk != q.Kiosk,
		q.Staff != "" && r.Staff != q.Staff,
		q.WithComment && r.Comment == "",
		q.Flagged == flaggedOnly && !r.Flags.Excluded(),
		q.Flagged == flaggedNone && r.Flags.Excluded():
		return false
	}
	if q.Reasons != nil && !anyOf(r.Reasons, q.Reasons) {
		return false
	}
	return q.Criterion == "" || negativeOn(db, r, q.Criterion)
}

func anyOf(keys []string, set map[string]bool) bool {
	for _, k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}

// negativeOn reports whether r answered criterion key negatively (≤ 2 of
// 5, 1 of 3); "k@3" is k asked on a 3-level scale.
func negativeOn(db *survey.Services, r *survey.Response, key string) bool {
	base := engine.BaseKey(key)
	score, ok := r.Answers[base]
	if !ok || score == survey.NA {
		return false
	}
	scale := scaleOf(db.Surveys, r, base)
	if (key != base) != (scale == 3) {
		return false
	}
	return survey.Negative(scale, score)
}

// scaleOf is the scale of criterion key in the survey version r answered.
func scaleOf(db survey.SurveyService, r *survey.Response, key string) int {
	if sv := db.Survey(r.Survey, r.Version); sv != nil {
		if c, _ := sv.Criterion(key); c != nil {
			return c.Scale
		}
	}
	return 5
}
