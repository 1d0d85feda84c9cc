package demo

import (
	"fmt"
	"hailong/survey/bolt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"hailong/survey"
	"slices"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// testNow is a fixed "now" so that the tests do not depend on the calendar.
var testNow = time.Date(2026, 3, 18, 10, 30, 0, 0, hcm)

func mustOpen(tb testing.TB) survey.Store {
	tb.Helper()
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// share45 is the share of valid answers at level 4–5 of the given criteria
// (all but those excluded), pooled, in percent.
func share45(t *survey.Tally, keys ...string) (float64, uint64) {
	var pos, n uint64
	for k, h := range t.Criteria {
		if len(keys) > 0 && !contains(keys, k) {
			continue
		}
		for lvl := 1; lvl <= 5; lvl++ {
			n += h.N[lvl]
			if lvl >= 4 {
				pos += h.N[lvl]
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return 100 * float64(pos) / float64(n), n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// index is SPEC's default index: criterion share45, element = mean of its
// criteria, index = mean of the elements (the overall question apart).
func index(db survey.Store, t *survey.Tally) float64 {
	element := map[string]string{}
	for _, k := range []string{survey.SurveyQuay, survey.SurveySipas} {
		for _, c := range db.Survey(k, 0).Criteria {
			element[c.Key] = c.Element
		}
	}
	sums, counts := map[string]float64{}, map[string]int{}
	for k := range t.Criteria {
		if element[k] == "" {
			continue
		}
		v, n := share45(t, k)
		if n > 0 {
			sums[element[k]] += v
			counts[element[k]]++
		}
	}
	total := 0.0
	for e, s := range sums {
		total += s / float64(counts[e])
	}
	return total / float64(len(sums))
}

func count(t *testing.T, db survey.Store, unit string, from, to time.Time) *survey.Tally {
	t.Helper()
	c, err := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree(unit), From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if c[""] == nil {
		t.Fatalf("no responses for %s from %s to %s", unit, from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	return c[""]
}

// years returns the last 12 months and the 12 before, ending at now.
func years(now time.Time) (lastFrom, lastTo, prevFrom, prevTo time.Time) {
	lastTo = now
	lastFrom = now.AddDate(-1, 0, 1)
	prevTo = now.AddDate(-1, 0, 0)
	prevFrom = now.AddDate(-2, 0, 1)
	return
}

// ranks returns the agencies of group by index, best first, with their index.
func ranks(t *testing.T, db survey.Store, group string, from, to time.Time) []string {
	type row struct {
		id string
		v  float64
	}
	var rows []row
	for _, a := range agencies {
		if a.group == group {
			rows = append(rows, row{a.id, index(db, count(t, db, a.id, from, to))})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].v > rows[j].v })
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d %s %.2f", i+1, r.id, r.v)
	}
	return out
}

func TestGenerate(t *testing.T) {
	db := mustOpen(t)
	st, err := Generate(db, testNow, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Generate: %+v", st)
	if st.Units != 1+len(agencies)+len(departments) || st.Counters < len(agencies) || st.Kiosks != st.Counters ||
		st.Staff < 2*len(agencies) || st.Responses < 200000 || st.Responses > 300000 ||
		st.Dossiers < 50000 || st.Dossiers > 70000 {
		t.Fatalf("implausible stats %+v", st)
	}
	if n := db.ResponseCount(); n != st.Responses {
		t.Fatalf("%d responses stored, Stats says %d", n, st.Responses)
	}

	t.Run("ErrNotEmpty", func(t *testing.T) {
		before, units, size := db.ResponseCount(), len(db.Units()), db.Size()
		if _, err := Generate(db, testNow, 2); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Fatalf("second Generate: %v, want a conflict", err)
		}
		if db.ResponseCount() != before || len(db.Units()) != units || db.Size() != size {
			t.Fatal("second Generate changed the database")
		}
	})
	t.Run("Story", func(t *testing.T) { checkStory(t, db, st.Story) })
	t.Run("Patterns", func(t *testing.T) { checkPatterns(t, db) })
	t.Run("Recent", func(t *testing.T) { checkRecent(t, db) })
}

// checkStory checks SPEC "Why it exists" through the store's counts.
func checkStory(t *testing.T, db survey.Store, story Story) {
	lastFrom, lastTo, prevFrom, prevTo := years(testNow)
	last := count(t, db, storyUnit, lastFrom, lastTo)
	prev := count(t, db, storyUnit, prevFrom, prevTo)
	pooledLast, _ := share45(last)
	pooledPrev, _ := share45(prev)
	t.Logf("%s pooled share45: last 12 months %.2f %%, the 12 before %.2f %%", storyUnit, pooledLast, pooledPrev)
	t.Logf("%s index: last 12 months %.2f %%, the 12 before %.2f %%", storyUnit, index(db, last), index(db, prev))
	if pooledLast < 70 || pooledLast > 82 {
		t.Errorf("%s: %.2f %% satisfied in the last 12 months, want 70–82", storyUnit, pooledLast)
	}
	if index(db, last) >= index(db, prev) {
		t.Errorf("%s index rose: %.2f after %.2f", storyUnit, index(db, last), index(db, prev))
	}
	rankPrev, rankLast := ranks(t, db, groupSo, prevFrom, prevTo), ranks(t, db, groupSo, lastFrom, lastTo)
	t.Logf("khối Sở, 12 months before:\n%s", strings.Join(rankPrev, "\n"))
	t.Logf("khối Sở, last 12 months:\n%s", strings.Join(rankLast, "\n"))
	if p, l := rankOf(rankPrev, storyUnit), rankOf(rankLast, storyUnit); l <= p {
		t.Errorf("%s rank %d → %d, want it to fall", storyUnit, p, l)
	}

	rebuilt, err := time.ParseInLocation(time.DateOnly, story.CounterRebuilt, hcm)
	if err != nil {
		t.Fatalf("counter rebuilt: %v", err)
	}
	before, _ := share45(count(t, db, storyUnit, rebuilt.AddDate(0, -5, 0), rebuilt.AddDate(0, 0, -1)), "facilities")
	after, _ := share45(count(t, db, storyUnit, rebuilt, testNow), "facilities")
	t.Logf("%s facilities: %.2f %% before the counter was rebuilt on %s, %.2f %% after", storyUnit, before, rebuilt.Format(time.DateOnly), after)
	if after-before < 20 {
		t.Errorf("facilities before %.2f %%, after %.2f %%: want at least 20 points better", before, after)
	}

	web, _ := share45(count(t, db, slowWebUnit, lastFrom, lastTo), "website")
	if web >= 55 {
		t.Errorf("%s website %.2f %% satisfied, want < 55", slowWebUnit, web)
	}

	byStaff, err := db.Count(survey.CountQuery{Dim: survey.DimStaff, Units: []string{storyUnit}, From: lastFrom, To: lastTo})
	if err != nil {
		t.Fatal(err)
	}
	distant := story.DistantStaff
	for id, tl := range byStaff {
		v, _ := share45(tl, "staff_attitude")
		if (id == distant) != (v < 70) {
			t.Errorf("staff %s: attitude %.1f %% satisfied (distant: %s)", id, v, distant)
		}
	}

	y := testNow.Year() - 1
	tl, err := db.CountDossiers(db.Subtree(storyUnit), time.Date(y, 1, 1, 0, 0, 0, 0, hcm), time.Date(y, 12, 31, 0, 0, 0, 0, hcm))
	if err != nil {
		t.Fatal(err)
	}
	early := 100 * float64(tl.Early) / float64(tl.Received)
	t.Logf("%s dossiers %d: %+v, early %.2f %%", storyUnit, y, tl, early)
	if early < 97 || early > 99.5 || tl.Received < 6000 || tl.Received > 8000 {
		t.Errorf("%s: %d dossiers, %.2f %% early in %d, want about 7,000 and 97–99.5 %%", storyUnit, tl.Received, early, y)
	}
}

// checkRecent checks that the dossiers of the last two weeks are mostly
// still in progress (those with a limit of a few weeks), a few overdue.
func checkRecent(t *testing.T, db survey.Store) {
	tl, err := db.CountDossiers(db.Subtree(storyUnit), testNow.AddDate(0, 0, -13), testNow)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.CountDossiers(db.Subtree(province), testNow.AddDate(0, 0, -13), testNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("last two weeks: %s %+v; province %+v", storyUnit, tl, all)
	if tl.InProgress < tl.Received/2 || all.InProgress < all.Received/3 || all.InProgress == all.InProgressNotOverdue ||
		all.InProgressNotOverdue < all.InProgress/2 {
		t.Errorf("last two weeks: want most dossiers in progress, a few overdue")
	}
}

func rankOf(rows []string, id string) int {
	for i, r := range rows {
		if strings.Contains(r, " "+id+" ") {
			return i + 1
		}
	}
	return 0
}

// checkPatterns checks office hours, the Friday afternoon dip, misuse
// bursts and comments.
func checkPatterns(t *testing.T, db survey.Store) {
	from := testNow.AddDate(-2, 0, 0)
	all := db.Subtree(province)
	byHour, err := db.Count(survey.CountQuery{Dim: survey.DimHour, Units: all, From: from, To: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var inHours, total, friPM, friPMPos, morn, mornPos uint64
	for k, tl := range byHour {
		var wd, h int
		fmt.Sscanf(k, "%d-%d", &wd, &h)
		n := tl.Responses + tl.Empty
		total += n
		if wd == 0 {
			t.Errorf("%d responses on Sunday at %02d h", n, h)
		}
		if h >= 7 && h < 18 {
			inHours += n
		}
		v, c := share45(tl, survey.OverallKey)
		pos := uint64(v * float64(c) / 100)
		if wd == 5 && h >= 13 {
			friPM, friPMPos = friPM+c, friPMPos+pos
		} else if wd >= 1 && wd <= 4 && h < 12 {
			morn, mornPos = morn+c, mornPos+pos
		}
	}
	if float64(inHours) < 0.98*float64(total) {
		t.Errorf("%d of %d responses in office hours", inHours, total)
	}
	fri, mon := 100*float64(friPMPos)/float64(friPM), 100*float64(mornPos)/float64(morn)
	t.Logf("%d of %d responses 07–18 h, none on Sunday; overall satisfied: Friday afternoons %.1f %%, Monday–Thursday mornings %.1f %%", inHours, total, fri, mon)
	if fri >= mon-2 {
		t.Errorf("Friday afternoons %.1f %% satisfied, Monday–Thursday mornings %.1f %%", fri, mon)
	}

	base := survey.CountQuery{Dim: survey.DimBase, Units: all, From: from, To: testNow}
	with := base
	with.IncludeMisuse = true
	a, _ := db.Count(base)
	b, _ := db.Count(with)
	misuse := b[""].Responses - a[""].Responses
	t.Logf("%d responses flagged misuse", misuse)
	if misuse < 30 || misuse > 500 {
		t.Errorf("%d responses flagged misuse, want a few bursts", misuse)
	}

	phone := regexp.MustCompile(`\b0\d{3} \d{3} \d{3}\b`)
	var n, comments, phones int
	err = db.EachResponse(testNow.AddDate(0, -2, 0), testNow, func(r *survey.Response) error {
		n++
		if r.Comment != "" {
			comments++
			if phone.MatchString(r.Comment) {
				phones++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	share := 100 * float64(comments) / float64(n)
	t.Logf("last two months: %d comments in %d responses (%.1f %%), %d with a phone number", comments, n, share, phones)
	if share < 2 || share > 10 || phones == 0 {
		t.Errorf("%d comments in %d responses (%.1f %%), %d with a phone number", comments, n, share, phones)
	}
}

// TestSmall generates a tenth of the volume twice with the same seed: the
// same data; and the counts kept while inserting equal a rebuild.
func TestSmall(t *testing.T) {
	var got [2]*survey.Tally
	var n [2]int
	var dossiers [2]survey.Timeliness
	var dbs [2]survey.Store
	for i := range got {
		dbs[i] = mustOpen(t)
		if _, err := generate(dbs[i], testNow, 7, 0.1); err != nil {
			t.Fatal(err)
		}
		n[i] = dbs[i].ResponseCount()
		got[i] = count(t, dbs[i], "so-tu-phap", testNow.AddDate(-1, 0, 0), testNow)
		var err error
		dossiers[i], err = dbs[i].CountDossiers(dbs[i].Subtree(province), testNow.AddDate(-2, 0, 0), testNow)
		if err != nil {
			t.Fatal(err)
		}
	}
	if n[0] != n[1] || !reflect.DeepEqual(got[0], got[1]) || dossiers[0] != dossiers[1] {
		t.Fatalf("same seed, different data: %d responses vs %d, dossiers %+v vs %+v", n[0], n[1], dossiers[0], dossiers[1])
	}
	t.Run("CountsEqualRebuild", func(t *testing.T) {
		ok, err := dbs[0].CheckAgg()
		if err != nil || !ok {
			t.Fatalf("CheckAgg: %v %v", ok, err)
		}
	})
	t.Run("Published", func(t *testing.T) {
		st := dbs[0].Settings().Publish
		if !st.Enabled || len(st.Groups) != len(dbs[0].Groups()) || len(st.Groups) == 0 {
			t.Fatalf("demo publication: enabled %v, groups %v of %d", st.Enabled, st.Groups, len(dbs[0].Groups()))
		}
		for _, g := range dbs[0].Groups() {
			if !slices.Contains(st.Groups, g.ID) {
				t.Errorf("group %s not published", g.ID)
			}
		}
	})
	t.Run("OtherSeed", func(t *testing.T) {
		db := mustOpen(t)
		if _, err := generate(db, testNow, 8, 0.1); err != nil {
			t.Fatal(err)
		}
		if db.ResponseCount() == n[0] {
			t.Fatalf("seeds 7 and 8 gave the same number of responses (%d)", n[0])
		}
	})
}

// TestIdentifiers checks the static data: unique procedure codes, staff
// ids from names.
func TestIdentifiers(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range sectors {
		for _, p := range s.procs {
			if seen[p.code] {
				t.Errorf("procedure code %s twice", p.code)
			}
			seen[p.code] = true
		}
	}
	for _, a := range agencies {
		if sectorProcs(a.sector) == nil {
			t.Errorf("%s: no procedures for sector %q", a.id, a.sector)
		}
	}
	if got := survey.Slug("Nguyễn Thị Thu Hà"); got != "nguyen-thi-thu-ha" {
		t.Errorf("slug: %q", got)
	}
	if got := survey.Slug("Đặng Quốc Dũng"); got != "dang-quoc-dung" {
		t.Errorf("slug: %q", got)
	}
}

// BenchmarkGenerate measures the full demo:
// go test ./demo -run '^$' -bench Generate -benchtime 1x
func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		db := mustOpen(b)
		st, err := Generate(db, testNow, 0) // the store's clock: the demo's "today"
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(st.Duration.Seconds(), "s/generate")
		b.ReportMetric(float64(st.Responses), "responses")
	}
}
