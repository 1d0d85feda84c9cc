// Package demo fills an empty store with a believable province and two years
// of survey responses and dossiers, so that a newcomer's first look
// (`hailong serve --demo`) tells the story of SPEC "Why it exists": Sở Công
// Thương at about 76 % and falling slightly while its peers rise, a weak
// counter layout until the counter is rebuilt, a slow website at Sở Xây dựng,
// one staff member with a distant attitude, and dossiers returned early.
package demo

import (
	"fmt"
	"math/rand"
	"time"

	"hailong/survey"
)

// Stats says what Generate created.
type Stats struct {
	Units, Counters, Staff, Kiosks, Responses, Dossiers int
	Duration                                            time.Duration
	Story                                               Story
}

// Story names what the data show, so that tests can check the figures.
type Story struct {
	CounterRebuilt string // YYYY-MM-DD: the story unit's counter was rebuilt
	DistantStaff   string // staff id of the one with a distant attitude
	SlowWebsite    string // unit id of the slow website
	// Planted are the anomalies planted for the anomaly review, one of
	// each kind (anomalies.go).
	Planted []Planted
}

// chunk is how many responses or dossiers go into one transaction.
const chunk = 20000

// Generate fills an empty database (no units) with the demo province and two
// years of data ending at now. It is deterministic for a given seed and now.
// On a database that has units it returns an error and changes nothing.
func Generate(db survey.Store, now time.Time, seed int64) (Stats, error) {
	return generate(db, now, seed, 1)
}

// generate is Generate with the volume of responses and dossiers scaled by
// scale (tests use a smaller province).
func generate(db survey.Store, now time.Time, seed int64, scale float64) (Stats, error) {
	start := time.Now()
	if n := len(db.Units()); n > 0 {
		return Stats{}, survey.Errorf(survey.ECONFLICT,
			"Cơ sở dữ liệu đã có %d đơn vị: chỉ tạo dữ liệu mẫu cho cơ sở dữ liệu trống. / The database already has %d units: demo data is only created in an empty database.", n, n)
	}
	g := newGen(db, now, seed, scale)
	if err := g.org(); err != nil {
		return g.stats, fmt.Errorf("demo organisation: %w", err)
	}
	if err := g.logins(); err != nil {
		return g.stats, fmt.Errorf("demo logins: %w", err)
	}
	// From here on the writes run on the writer's goroutine, in order,
	// while the next chunk is drawn.
	g.w = newWriter()
	g.w.do(g.meta, nil)
	g.dossiers()
	err := g.responses()
	if werr := g.w.wait(); err == nil {
		err = werr
	}
	if err == nil {
		err = g.actions()
	}
	if err == nil {
		err = g.cases()
	}
	g.stats.Duration = time.Since(start)
	if err != nil {
		return g.stats, fmt.Errorf("demo data: %w", err)
	}
	return g.stats, nil
}

// gen holds the state of one generation.
type gen struct {
	db         survey.Store
	rng        *rand.Rand
	loc        *time.Location
	now        time.Time
	scale      float64
	first      int32 // first day (days since 1970 in loc)
	last       int32 // today
	rebuilt    int32 // day the story unit's counter was rebuilt
	holidays   map[int32]bool
	units      []*unitState
	quay       *survey.Survey
	sipas      *survey.Survey
	dossierQR  [][]qrLink // per day since first: dossiers answered that day
	w          *writer
	stats      Stats
	seed       int64
	plants     plants  // the planted anomalies (anomalies.go)
	levelDelta float64 // added to the level while a planted case redraws an answer
}

func newGen(db survey.Store, now time.Time, seed int64, scale float64) *gen {
	loc := db.Loc()
	g := &gen{db: db, rng: rand.New(rand.NewSource(seed)), loc: loc, now: now, scale: scale, seed: seed,
		quay: db.Survey(survey.SurveyQuay, 0), sipas: db.Survey(survey.SurveySipas, 0)}
	g.last = survey.DayOf(now, loc)
	g.first = survey.DayOf(now.AddDate(-2, 0, 0), loc)
	g.holidays = holidays(g.first, g.last+120)
	// The counter was rebuilt about five months ago, on a working day.
	g.rebuilt = g.last - 152
	for !g.workday(g.rebuilt) {
		g.rebuilt++
	}
	g.dossierQR = make([][]qrLink, g.last-g.first+1)
	g.planDays()
	return g
}

// meta notes the story in the stats, publishes the results and names the
// procedures.
func (g *gen) meta() error {
	g.stats.Story = Story{CounterRebuilt: survey.DayStart(g.rebuilt, g.loc).Format("2006-01-02"), SlowWebsite: slowWebUnit,
		Planted: g.planted()}
	for _, u := range g.units {
		for _, s := range u.staff {
			if s.distant {
				g.stats.Story.DistantStaff = s.id
			}
		}
	}
	// Publish the demo province's results on /cong-khai, every group, so a
	// newcomer sees the public page; a real installation starts with it off.
	set := g.db.Settings()
	set.Publish.Enabled, set.Publish.Groups = true, nil
	for _, gr := range g.db.Groups() {
		set.Publish.Groups = append(set.Publish.Groups, gr.ID)
	}
	if err := g.db.SaveSettings(set); err != nil {
		return err
	}
	var procs []survey.Procedure
	seen := map[string]bool{}
	for _, s := range sectors {
		for _, p := range s.procs {
			if !seen[p.code] {
				seen[p.code] = true
				procs = append(procs, survey.Procedure{Code: p.code, Name: p.name})
			}
		}
	}
	return g.db.PutProcedures(procs)
}

// Calendar. Days are days since 1970-01-01 in the installation's zone.

func weekday(day int32) time.Weekday { return time.Weekday((int64(day)%7 + 11) % 7) }

// workday reports whether day is a working day (Monday to Friday, not a
// public holiday).
func (g *gen) workday(day int32) bool {
	wd := weekday(day)
	return wd != time.Saturday && wd != time.Sunday && !g.holidays[day]
}

// addWorkdays returns the working day n working days after day (n = 0: day
// itself, or the next working day if day is not one).
func (g *gen) addWorkdays(day int32, n int) int32 {
	for !g.workday(day) {
		day++
	}
	for ; n > 0; n-- {
		day++
		for !g.workday(day) {
			day++
		}
	}
	return day
}

func dayNumber(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Lunar New Year (Tết) and Hùng Kings' day off, by year; the solar
// holidays are the same every year.
var (
	tetHolidays = map[int][2]int{ // year → first day off, number of days (from a date in January/February)
		2023: {20, 7}, 2024: {39, 7}, 2025: {25, 9}, 2026: {45, 9}, 2027: {35, 7}, 2028: {24, 7}, 2029: {42, 7}, 2030: {32, 7},
	}
	hungKings = map[int][2]int{2023: {5, 2}, 2024: {4, 18}, 2025: {4, 7}, 2026: {4, 27}, 2027: {4, 16}, 2028: {4, 4}, 2029: {4, 23}, 2030: {4, 12}}
	solar     = [][2]int{{1, 1}, {4, 30}, {5, 1}, {9, 1}, {9, 2}}
)

func holidays(first, last int32) map[int32]bool {
	out := map[int32]bool{}
	y0, y1 := survey.DayStart(first, time.UTC).Year(), survey.DayStart(last, time.UTC).Year()
	for y := y0; y <= y1; y++ {
		for _, s := range solar {
			out[dayNumber(y, time.Month(s[0]), s[1])] = true
		}
		if t, ok := tetHolidays[y]; ok {
			for i := 0; i < t[1]; i++ {
				out[dayNumber(y, time.January, t[0]+i)] = true
			}
		}
		if h, ok := hungKings[y]; ok {
			out[dayNumber(y, time.Month(h[0]), h[1])] = true
		}
	}
	return out
}
