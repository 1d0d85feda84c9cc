package storetest

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"hailong/survey"
)

const (
	writers   = 16
	perWriter = 25
)

// race runs fn(i) for i in [0, n) at once and returns the errors by i.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = fn(i)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

// oneWins fails unless exactly one call succeeded and every other failed
// with code.
func oneWins(t *testing.T, what string, errs []error, code string) {
	t.Helper()
	wins := 0
	for _, err := range errs {
		switch survey.ErrorCode(err) {
		case "":
			wins++
		case code:
		default:
			t.Fatalf("%s: %v, want success or %s", what, err, code)
		}
	}
	if wins != 1 {
		t.Fatalf("%s: %d calls succeeded, want exactly 1", what, wins)
	}
}

var concurrencyCases = []testCase{
	{"Submit/Parallel", func(t *testing.T, e *env) {
		e.org(t)
		rng := rand.New(rand.NewPCG(16, 25))
		rs := make([]*survey.Response, writers*perWriter)
		for i := range rs {
			rs[i] = &survey.Response{ID: newUUID(rng), Survey: survey.SurveyQuay, Channel: survey.ChannelWeb,
				Unit: []string{"so-a", "so-b", "tinh"}[rng.IntN(3)], Procedure: fmt.Sprint(rng.IntN(3)),
				Answers: map[string]int{survey.OverallKey: rng.IntN(6), "staff_attitude": 1 + rng.IntN(5)},
				// Few distinct times: many responses share a nanosecond.
				SubmittedAt: T0.Add(-time.Duration(rng.IntN(7)) * time.Minute)}
		}
		var mu sync.Mutex
		created := 0
		errs := race(writers, func(w int) error {
			mine := rs[w*perWriter : (w+1)*perWriter]
			for _, r := range append(mine[:len(mine):len(mine)], mine[0]) { // the first one twice
				x := *r
				ok, err := e.Submit(&x)
				if err != nil {
					return err
				}
				if ok {
					mu.Lock()
					created++
					mu.Unlock()
				}
			}
			return nil
		})
		for _, err := range errs {
			must(t, err)
		}
		equal(t, "created", created, len(rs))
		equal(t, "ResponseCount", e.ResponseCount(), len(rs))
		equal(t, "IdemCount", e.IdemCount(), len(rs))
		for _, r := range rs {
			stored, err := e.ResponseByID(r.ID)
			must(t, err)
			r.Key, r.Version = stored.Key, stored.Version
			sameResponse(t, stored, r)
		}
		e.checkCounts(t, "after parallel submissions", rs)
	}},
	{"Submit/SameIDRace", func(t *testing.T, e *env) {
		e.org(t)
		r := e.response()
		var mu sync.Mutex
		created, keys := 0, map[uint64]bool{}
		errs := race(writers, func(int) error {
			x := *r
			ok, err := e.Submit(&x)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				created++
			}
			keys[x.Key] = true
			return err
		})
		for _, err := range errs {
			must(t, err)
		}
		equal(t, "created", created, 1)
		equal(t, "distinct keys returned", len(keys), 1)
		equal(t, "ResponseCount", e.ResponseCount(), 1)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 1)
	}},
	{"ReadsDuringWrites", func(t *testing.T, e *env) {
		e.org(t)
		rng := rand.New(rand.NewPCG(1, 2))
		idsOf := make([]string, writers*perWriter)
		for i := range idsOf {
			idsOf[i] = newUUID(rng)
		}
		errs := race(writers, func(w int) error {
			for i := range perWriter {
				if w%4 == 0 { // a reader
					if _, err := e.Count(e.all(survey.DimHour)); err != nil {
						return err
					}
					n := 0
					if err := e.EachResponse(time.Time{}, time.Time{}, func(*survey.Response) error { n++; return nil }); err != nil {
						return err
					}
					continue
				}
				r := &survey.Response{ID: idsOf[w*perWriter+i], Survey: survey.SurveyQuay, Channel: survey.ChannelWeb,
					Unit: "so-a", Answers: map[string]int{survey.OverallKey: 1 + i%5}}
				if _, err := e.Submit(r); err != nil {
					return err
				}
			}
			return nil
		})
		for _, err := range errs {
			must(t, err)
		}
		want := writers * perWriter * 3 / 4
		equal(t, "ResponseCount", e.ResponseCount(), want)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), uint64(want))
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "CheckAgg", ok, true)
	}},
	{"PairKiosk/Race", func(t *testing.T, e *env) {
		e.org(t)
		code, err := e.AddKiosk(survey.Kiosk{ID: "k-b2", Unit: "so-b", Name: "Ki-ốt 2"})
		must(t, err)
		keys := make([]string, 8)
		errs := race(8, func(i int) (err error) { _, keys[i], err = e.PairKiosk(code); return err })
		oneWins(t, "PairKiosk", errs, survey.ENOTFOUND)
		for i, err := range errs {
			if err == nil && Must(e.KioskByKey(keys[i])) == nil {
				t.Fatal("the winning device key does not work")
			}
		}
	}},
	{"Create/Race", func(t *testing.T, e *env) {
		e.org(t)
		oneWins(t, "CreateUnit", race(8, func(i int) error {
			return e.CreateUnit(survey.Unit{ID: "so-c", Name: fmt.Sprint("Sở C ", i), Parent: "tinh"})
		}), survey.ECONFLICT)
		oneWins(t, "CreateGroup", race(8, func(i int) error {
			return e.CreateGroup(survey.Group{ID: "khoi-c", Name: fmt.Sprint("Khối ", i)})
		}), survey.ECONFLICT)
		oneWins(t, "CreateCounter", race(8, func(i int) error {
			return e.CreateCounter(survey.Counter{ID: "c-q1", Unit: "so-c", Name: fmt.Sprint("Quầy ", i)})
		}), survey.ECONFLICT)
		oneWins(t, "CreateStaff", race(8, func(i int) error {
			return e.CreateStaff(survey.Staff{ID: "nv-c", Unit: "so-c", Name: fmt.Sprint("Người ", i)})
		}), survey.ECONFLICT)
		codes := make([]string, 8)
		oneWins(t, "AddKiosk", race(8, func(i int) (err error) {
			codes[i], err = e.AddKiosk(survey.Kiosk{ID: "k-c", Unit: "so-c", Name: fmt.Sprint("Ki-ốt ", i)})
			return err
		}), survey.ECONFLICT)
		oneWins(t, "CreateAction", race(8, func(i int) error {
			_, err := e.CreateAction(action("kh-c"), fmt.Sprint("u", i))
			return err
		}), survey.ECONFLICT)
		paired := 0
		for _, c := range codes {
			if c != "" {
				if _, _, err := e.PairKiosk(c); err == nil {
					paired++
				}
			}
		}
		equal(t, "pairing codes that work", paired, 1)
	}},
}
