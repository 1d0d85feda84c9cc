package survey

import (
	"time"
)

// Pre-aggregated counts, kept in the same transaction as each response and
// rebuilt by Reindex. A block holds raw counts (histograms) for one
// dimension × unit × period: a day, or a calendar month so that a year is
// read as ~12 blocks plus the partial months at its edges.
//
// Block key: unit id(4) | period(4) | dim(1); period = day number since
// 1970-01-01 in the installation's zone, or monthFlag | (year*12 + month-1).
// Block value: uvarint count, then per cell (sorted): uvarint sub, survey,
// criterion; one byte channel | (flags&3)<<3 | scale code<<5 |
// (flags&4)<<5 (FlagReclassified in the top bit, so blocks written before it
// existed read unchanged); one byte mask of
// the non-zero counts; a uvarint per non-zero count (N/A, 1..5).
// Criterion 0 is the response count: N[0] responses with no valid answer,
// N[1] responses with at least one.

// Dim is a breakdown dimension; Cell.Sub is its member.
type Dim byte

// Dimensions. The numbers are stored; never renumber.
const (
	DimBase      Dim = 1 // Sub = 0
	DimCounter   Dim = 2 // Sub = counter id
	DimStaff     Dim = 3 // Sub = staff id
	DimProcedure Dim = 4 // Sub = procedure id
	DimHour      Dim = 5 // Sub = weekday*24 + hour (local time)
)

// CountQuery selects pre-aggregated counts. Units are summed as given: the
// caller expands a subtree with Subtree.
type CountQuery struct {
	Dim               Dim       // DimBase for plain totals
	Units             []string  // units whose counts are summed
	From, To          time.Time // calendar days in the installation's zone, both inclusive
	Survey            string    // "" = every survey, criteria joined by key
	Channel           Channel   // 0 = every channel
	IncludeMisuse     bool      // count responses flagged misuse
	IncludeUnverified bool      // count responses flagged unverified
}

// Hist is the distribution of one criterion's answers: N[0] not applicable,
// N[1..Scale] the levels.
type Hist struct {
	Scale int
	N     [6]uint64
}

// Tally is the counts of one member of a dimension.
type Tally struct {
	Responses uint64           // responses with at least one valid answer
	Empty     uint64           // responses with only N/A or no answer
	Criteria  map[string]*Hist // by criterion key; key + "@3" if a key was asked on both scales
	// Reasons (DimBase only): reason key → times chosen, under criterion key
	// "" for all responses and under a criterion key for the responses that
	// answered that criterion negatively (≤ 2 of 5, 1 of 3).
	Reasons map[string]map[string]uint64
	// Excluded counts, like Responses, the responses with at least one valid
	// answer that the query's flag filters left out, by why.
	Excluded Exclusions
}

// Exclusions say how many responses a figure leaves out and why. Each
// response is counted once, under the first that applies: reclassified (an
// administrator's flag change excludes it), misuse (the kiosk rule),
// unverified (an open poster). Reinstated counts the responses that are
// counted only because an administrator cleared their flags (they are in
// Responses, not excluded).
type Exclusions struct {
	Misuse, Unverified, Reclassified uint64
	Reinstated                       uint64
}

// Total is the number of responses left out.
func (x Exclusions) Total() uint64 { return x.Misuse + x.Unverified + x.Reclassified }

// Add adds y to x.
func (x *Exclusions) Add(y Exclusions) {
	x.Misuse += y.Misuse
	x.Unverified += y.Unverified
	x.Reclassified += y.Reclassified
	x.Reinstated += y.Reinstated
}

// Of classifies the flags of one response under a query that
// includes misuse and unverified responses as told: which reason leaves it
// out (a pointer into x), or, for a counted response, Reinstated when an
// administrator's change made it count; nil for neither.
func (x *Exclusions) Of(f Flags, includeMisuse, includeUnverified bool) *uint64 {
	out := f&FlagMisuse != 0 && !includeMisuse || f&FlagUnverified != 0 && !includeUnverified
	switch {
	case out && f&FlagReclassified != 0:
		return &x.Reclassified
	case out && f&FlagMisuse != 0 && !includeMisuse:
		return &x.Misuse
	case out:
		return &x.Unverified
	case f&FlagReclassified != 0 && f&FlagsCounting == 0:
		return &x.Reinstated
	}
	return nil
}
