package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"hailong/survey"
)

// T0 is where every store's clock starts: Monday 2 March 2026, 02:00 UTC
// (09:00 in Asia/Ho_Chi_Minh).
var T0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// clock is the settable time every store of the suite runs on.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// env is one subtest's store with its clock.
type env struct {
	survey.Store
	clock *clock
	rng   *rand.Rand
}

func newEnv(t *testing.T, open Opener) *env {
	t.Helper()
	c := &clock{}
	c.Set(T0)
	s := open(t, c.Now)
	if s == nil {
		t.Fatal("Opener returned no store")
	}
	return &env{Store: s, clock: c, rng: rand.New(rand.NewPCG(14, 3))}
}

// at returns a local time of the store's zone.
func (e *env) at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, e.Loc())
}

// uuid returns a random version 4 UUID from the subtest's seeded source.
func (e *env) uuid() string { return newUUID(e.rng) }

func newUUID(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff,
		0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

// org builds the organisation most cases use:
//
//	tinh ─┬─ so-a (khoi-so) ── so-a-vp
//	      └─ so-b (khoi-so)
//
// counters a-q1, a-q2 (so-a), b-q1 (so-b); staff nv-lan, nv-minh (so-a),
// nv-hung (so-b), nv-mai (so-a-vp), nv-tinh (tinh); kiosks k-a1 (so-a at
// a-q1), k-a2 (so-a at a-q2), k-b1 (so-b).
func (e *env) org(t *testing.T) {
	t.Helper()
	must(t, e.PutUnits([]survey.Unit{
		{ID: "tinh", Name: "UBND Tỉnh"},
		{ID: "so-a", Name: "Sở A", Parent: "tinh", Group: "khoi-so"},
		{ID: "so-b", Name: "Sở B", Parent: "tinh", Group: "khoi-so"},
		{ID: "so-a-vp", Name: "Văn phòng Sở A", Parent: "so-a"},
	}))
	for _, c := range []survey.Counter{{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"},
		{ID: "a-q2", Unit: "so-a", Name: "Quầy 2"}, {ID: "b-q1", Unit: "so-b", Name: "Quầy 1"}} {
		must(t, e.PutCounter(c))
	}
	for _, s := range []survey.Staff{{ID: "nv-lan", Unit: "so-a", Name: "Nguyễn Thị Lan"},
		{ID: "nv-minh", Unit: "so-a", Name: "Lê Văn Minh"}, {ID: "nv-hung", Unit: "so-b", Name: "Trần Văn Hùng"},
		{ID: "nv-mai", Unit: "so-a-vp", Name: "Phạm Thị Mai"}, {ID: "nv-tinh", Unit: "tinh", Name: "Đỗ Văn Tỉnh"}} {
		must(t, e.PutStaff(s))
	}
	for _, k := range []survey.Kiosk{{ID: "k-a1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt 1"},
		{ID: "k-a2", Unit: "so-a", Counter: "a-q2", Name: "Ki-ốt 2"}, {ID: "k-b1", Unit: "so-b", Name: "Ki-ốt B"}} {
		if _, err := e.AddKiosk(k); err != nil {
			t.Fatal(err)
		}
	}
}

// response returns a valid web response to quay for so-a, not yet submitted.
func (e *env) response() *survey.Response {
	return &survey.Response{ID: e.uuid(), Survey: survey.SurveyQuay, Channel: survey.ChannelWeb, Unit: "so-a",
		Answers: map[string]int{survey.OverallKey: 4}}
}

// submit stores r and fails the test unless it was created.
func (e *env) submit(t *testing.T, r *survey.Response) *survey.Response {
	t.Helper()
	created, err := e.Submit(r)
	if err != nil || !created {
		t.Fatalf("Submit: created=%v err=%v", created, err)
	}
	return r
}

// all is a query of every unit of the fixture over the years around T0.
func (e *env) all(dim survey.Dim) survey.CountQuery {
	return survey.CountQuery{Dim: dim, Units: []string{"tinh", "so-a", "so-a-vp", "so-b"},
		From: T0.AddDate(-2, 0, 0), To: T0.AddDate(2, 0, 0), IncludeMisuse: true, IncludeUnverified: true}
}

// responses is the number of responses (valid or empty) q counts.
func (e *env) responses(t *testing.T, q survey.CountQuery) uint64 {
	t.Helper()
	m, err := e.Count(q)
	must(t, err)
	n := uint64(0)
	for _, tl := range m {
		n += tl.Responses + tl.Empty
	}
	return n
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err has code and, when given, field.
// tally is the base tally of q (empty when Count has none).
func (e *env) tally(t *testing.T, q survey.CountQuery) *survey.Tally {
	t.Helper()
	m, err := e.Count(q)
	must(t, err)
	if tl := m[""]; tl != nil {
		return tl
	}
	return &survey.Tally{}
}

func wantErr(t *testing.T, err error, code string, field ...string) {
	t.Helper()
	if got := survey.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if len(field) > 0 {
		var se *survey.Error
		if !errors.As(err, &se) || se.Field != field[0] {
			t.Fatalf("error %v: field %q, want %q", err, fieldOf(err), field[0])
		}
	}
}

func fieldOf(err error) string {
	var se *survey.Error
	if errors.As(err, &se) {
		return se.Field
	}
	return ""
}

// wantImportErr fails unless err is an *ImportError (EINVALID) whose first
// problem is on line, in column col.
func wantImportErr(t *testing.T, err error, line int, col string) {
	t.Helper()
	var ie *survey.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) == 0 {
		t.Fatalf("got %v, want an *ImportError on line %d", err, line)
	}
	if p := ie.Problems[0]; p.Line != line || p.Column != col {
		t.Fatalf("first problem %+v, want line %d column %q", p, line, col)
	}
	wantErr(t, err, survey.EINVALID)
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func equalSlice[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// auditCount is the number of audit entries (up to 10,000).
func (e *env) auditCount() int { return len(e.AuditLog(10000, time.Time{})) }

// lastAudit is the newest audit entry.
func (e *env) lastAudit(t *testing.T) survey.AuditEntry {
	t.Helper()
	log := e.AuditLog(1, time.Time{})
	if len(log) == 0 {
		t.Fatal("no audit entry")
	}
	return log[0]
}

// Must returns v, and panics (failing the test) when the store could not
// answer: for the lookups that tell "not found" (nil) from "not asked" (an
// error), used where a test checks what was found.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("store lookup failed: %v", err))
	}
	return v
}
