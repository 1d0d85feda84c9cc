package engine

import (
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// Review reads the responses and dossiers of f's units over p (at most
// MaxReviewDays; the caller checks) and runs the detectors. Cost: one read
// of every response submitted in p and the BaselineWeeks weeks before it —
// the store's decoding is most of it (demo, 90 days: ~0.1 s; 90 days of a
// million-a-year store: ~1 s on a loaded 2-core machine) — and one read of
// the dossiers received in p. Counted responses only (no misuse or
// unverified flag): the review looks at what the indices count.
func (e *Engine) Review(f Filter, p Period, hours OpeningHours, th Thresholds) (*Review, error) {
	e.Expand(&f)
	units := make(map[string]bool, len(f.Units))
	for _, u := range f.Units {
		units[u] = true
	}
	loc := e.src.Clock.Loc()
	rv := &Review{Period: p, Hours: hours, Th: th}
	s := newScan(e.src.Surveys, p, hours, th)
	from := survey.DayStart(p.From-7*int32(th.BaselineWeeks), loc)
	err := e.src.Responses.EachResponse(from, p.End(loc), func(r *survey.Response) error {
		rv.Read++
		if !units[r.Unit] || r.Flags != 0 {
			return nil
		}
		if s.add(r, survey.DayOf(r.SubmittedAt, loc), r.SubmittedAt.In(loc)) {
			rv.Counted++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.endRuns()
	err = e.src.Dossiers.EachDossier(f.Units, p.Start(loc), survey.DayStart(p.To, loc), func(d *survey.Dossier) error {
		day := survey.DayOf(d.ReceivedAt, loc)
		if day < p.From || day > p.To {
			return nil
		}
		rv.Dossiers++
		s.day(d.Unit, day).Dossiers++
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.topKiosks()
	rv.Findings = Detect(s.d, hours, th, e.Cfg.MinN)
	return rv, nil
}

// scan builds ReviewData one response at a time.
type scan struct {
	d        *ReviewData
	p        Period
	hours    OpeningHours
	th       Thresholds
	surveys  survey.SurveyService
	versions map[string]*survey.Survey // "key\x00version"
	runs     map[string]*Run           // the current run of each source
	kiosks   map[KioskDay]int
	buf      []byte
}

func newScan(db survey.SurveyService, p Period, hours OpeningHours, th Thresholds) *scan {
	return &scan{d: NewReviewData(p), p: p, hours: hours, th: th, surveys: db, versions: map[string]*survey.Survey{},
		runs: map[string]*Run{}, kiosks: map[KioskDay]int{}}
}

func (s *scan) version(key string, v int) *survey.Survey {
	k := key + "\x00" + strconv.Itoa(v)
	sv, ok := s.versions[k]
	if !ok {
		sv = s.surveys.Survey(key, v)
		s.versions[k] = sv
	}
	return sv
}

func (s *scan) day(unit string, day int32) *DayCount {
	k := UnitDay{unit, day}
	c := s.d.Days[k]
	if c == nil {
		c = &DayCount{}
		s.d.Days[k] = c
	}
	return c
}

// add takes one counted response submitted on day at local time t; it
// reports whether the response lies in the period (before it, only the
// jump baseline is fed).
func (s *scan) add(r *survey.Response, day int32, t time.Time) bool {
	sv := s.version(r.Survey, r.Version)
	c := s.day(r.Unit, day)
	var pos, valid uint64
	if sv != nil {
		if cr, _ := sv.Criterion(survey.OverallKey); cr != nil {
			if score, ok := r.Answers[survey.OverallKey]; ok && score != survey.NA {
				valid = 1
				if survey.Positive(cr.Scale, score) {
					pos = 1
				}
			}
		}
	}
	c.Overall.Pos, c.Overall.N = c.Overall.Pos+pos, c.Overall.N+valid
	if day < s.p.From {
		return false
	}
	addTo := func(p *Proportion) { p.Pos, p.N = p.Pos+pos, p.N+valid }
	u := s.d.Units[r.Unit]
	if u == nil {
		u = &Proportion{}
		s.d.Units[r.Unit] = u
	}
	addTo(u)
	member := func(kind, id string) {
		m := Member{r.Unit, kind, id}
		p := s.d.Members[m]
		if p == nil {
			p = &Proportion{}
			s.d.Members[m] = p
		}
		addTo(p)
	}
	if r.Staff != "" {
		member("staff", r.Staff)
	}
	source, channel := r.Unit+"\x00"+r.Channel.String(), r.Channel.String()
	if r.Channel == survey.ChannelKiosk && r.Kiosk != "" {
		member("kiosk", r.Kiosk)
		source, channel = r.Kiosk, ""
		c.Kiosk++
		s.kiosks[KioskDay{r.Unit, r.Kiosk, day}]++
		if !s.hours.IsOpen(t) {
			kd := KioskDay{r.Unit, r.Kiosk, day}
			o := s.d.Outside[kd]
			if o == nil {
				o = &Outside{First: t, FirstKey: r.Key}
				s.d.Outside[kd] = o
			}
			o.N, o.Last, o.Key = o.N+1, t, r.Key
		}
	}
	s.run(r, sv, source, channel, t)
	return true
}

// run extends or ends the source's current run with r's answer pattern.
func (s *scan) run(r *survey.Response, sv *survey.Survey, source, channel string, t time.Time) {
	s.buf = append(s.buf[:0], r.Survey...)
	s.buf = append(s.buf, 0, byte(r.Version), byte(r.Version>>8))
	if sv != nil {
		for _, c := range sv.Criteria {
			if score, ok := r.Answers[c.Key]; ok {
				s.buf = append(s.buf, byte('0'+score))
			} else {
				s.buf = append(s.buf, '-')
			}
		}
	}
	ps := s.d.Patterns[source]
	if ps == nil {
		ps = &Patterns{Count: map[string]int{}}
		s.d.Patterns[source] = ps
	}
	ps.Total++
	ps.Count[string(s.buf)]++
	cur := s.runs[source]
	if cur != nil && cur.Pattern == string(s.buf) {
		cur.Len, cur.Last = cur.Len+1, t
		return
	}
	if cur != nil {
		s.keep(cur)
	} else {
		cur = &Run{}
		s.runs[source] = cur
	}
	*cur = Run{Source: source, Unit: r.Unit, Kiosk: r.Kiosk, Channel: channel, Len: 1, Pattern: string(s.buf),
		First: t, Last: t, FirstKey: r.Key}
	if r.Channel != survey.ChannelKiosk {
		cur.Kiosk = ""
	}
}

// keep records a finished run long enough to be looked at.
func (s *scan) keep(r *Run) {
	if r.Len >= s.th.RunMin {
		r.Readable = s.readable(r.Pattern)
		s.d.Runs = append(s.d.Runs, *r)
	}
}

func (s *scan) endRuns() {
	for _, r := range s.runs {
		s.keep(r)
	}
}

// topKiosks names each unit-day's busiest kiosk.
func (s *scan) topKiosks() {
	for kd, n := range s.kiosks {
		c := s.d.Days[UnitDay{kd.Unit, kd.Day}]
		if n > c.TopKioskN || n == c.TopKioskN && kd.Kiosk < c.TopKiosk {
			c.TopKiosk, c.TopKioskN = kd.Kiosk, n
		}
	}
}

// readable writes a pattern (survey key, 0, version in two bytes, one
// byte per criterion of that version: '0' + score, '-' unanswered) as
// "overall=5 access=4 website=0" (0 = not applicable).
func (s *scan) readable(pattern string) string {
	key, rest, ok := strings.Cut(pattern, "\x00")
	if !ok || len(rest) < 2 {
		return ""
	}
	sv := s.version(key, int(rest[0])|int(rest[1])<<8)
	if sv == nil {
		return ""
	}
	var b strings.Builder
	for i, c := range sv.Criteria {
		if 2+i >= len(rest) || rest[2+i] == '-' {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Key + "=" + strconv.Itoa(int(rest[2+i]-'0')))
	}
	return b.String()
}
