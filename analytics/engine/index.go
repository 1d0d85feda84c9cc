// Package engine turns the store's pre-aggregated counts into the
// satisfaction indices of SPEC "Indices": the math as pure functions
// (index.go, compute.go, timeliness.go, tt01.go, painpoints.go,
// action_effect.go), periods (period.go) and the queries over the storage
// services in Source (query.go and the *_query.go files). It takes its
// Config from the caller and reads no settings; it imports no HTTP package,
// so that the dashboard (package analytics) and the public page (package
// publish) compute the same figures the same way. docs/METHODOLOGY.md
// states every formula with a worked example; methodology_test.go
// reproduces each example.
package engine

import (
	"math"
	"sort"

	"hailong/survey"
)

// Z95 is the normal quantile of a two-sided 95 % interval.
const Z95 = 1.959964

// DefaultMinN is the minimum n below which a figure is flagged "too few
// responses" and left out of ranks (SPEC "Uncertainty").
const DefaultMinN = 30

// Valid returns the number of valid answers of h: every level, N/A excluded.
func Valid(h survey.Hist) uint64 {
	var n uint64
	for lvl := 1; lvl <= 5; lvl++ {
		n += h.N[lvl]
	}
	return n
}

// Positives returns the answers of h at a satisfied level: 4–5 of 5, or
// "Hài lòng"/"Rất hài lòng" (2–3) of 3 — survey.Positive.
func Positives(h survey.Hist) uint64 {
	var n uint64
	for lvl := 1; lvl <= 5; lvl++ {
		if survey.Positive(h.Scale, lvl) {
			n += h.N[lvl]
		}
	}
	return n
}

// Negatives returns the answers of h at a dissatisfied level: 1–2 of 5, or
// 1 of 3 — survey.Negative.
func Negatives(h survey.Hist) uint64 {
	var n uint64
	for lvl := 1; lvl <= 5; lvl++ {
		if survey.Negative(h.Scale, lvl) {
			n += h.N[lvl]
		}
	}
	return n
}

// Share returns part/n in percent; ok is false when n is 0.
func Share(part, n uint64) (pct float64, ok bool) {
	if n == 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(n), true
}

// Share45 is the criterion index of the default method: the share of valid
// answers at a satisfied level, in percent.
func Share45(h survey.Hist) (pct float64, n uint64, ok bool) {
	n = Valid(h)
	pct, ok = Share(Positives(h), n)
	return pct, n, ok
}

// Mean returns the mean score of the valid answers (1…scale).
func Mean(h survey.Hist) (mean float64, n uint64, ok bool) {
	var sum float64
	for lvl := 1; lvl <= 5; lvl++ {
		sum += float64(lvl) * float64(h.N[lvl])
		n += h.N[lvl]
	}
	if n == 0 {
		return 0, 0, false
	}
	return sum / float64(n), n, true
}

// MeanPercent puts a mean score on 0–100: (mean − 1) / (scale − 1) × 100.
func MeanPercent(mean float64, scale int) float64 {
	return (mean - 1) / float64(scale-1) * 100
}

// MeanCI is a 95 % normal interval of the mean score, on 0–100 like
// MeanPercent and clipped to it: mean ± z·s/√n with the sample standard
// deviation s. With a single answer the interval is the whole scale.
func MeanCI(h survey.Hist) (lo, hi float64, ok bool) {
	mean, n, ok := Mean(h)
	if !ok {
		return 0, 0, false
	}
	if n < 2 {
		return 0, 100, true
	}
	var ss float64
	for lvl := 1; lvl <= 5; lvl++ {
		d := float64(lvl) - mean
		ss += d * d * float64(h.N[lvl])
	}
	half := Z95 * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
	lo = math.Max(0, MeanPercent(mean-half, h.Scale))
	hi = math.Min(100, MeanPercent(mean+half, h.Scale))
	return lo, hi, true
}

// Wilson returns the 95 % Wilson score interval of a share pct (percent)
// observed over n, in percent:
//
//	centre = (p + z²/2n) / (1 + z²/n)
//	half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
func Wilson(pct float64, n uint64) (lo, hi float64, ok bool) {
	if n == 0 {
		return 0, 0, false
	}
	p, fn, z2 := pct/100, float64(n), Z95*Z95
	den := 1 + z2/fn
	centre := (p + z2/(2*fn)) / den
	half := Z95 * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / den
	return 100 * math.Max(0, centre-half), 100 * math.Min(1, centre+half), true
}

// MeanOf returns the plain mean of the values (the element and overall
// roll-ups); ok is false for none.
func MeanOf(vs []float64) (float64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	var s float64
	for _, v := range vs {
		s += v
	}
	return s / float64(len(vs)), true
}

// Round2 rounds to 2 decimals, half away from zero (the API's precision).
func Round2(x float64) float64 { return math.Round(x*100) / 100 }

// Round1 rounds to 1 decimal, half away from zero (TT 01 scores).
func Round1(x float64) float64 { return math.Round(x*10) / 10 }

// DeltaPP is the change in percentage points, computed from the unrounded
// values and then rounded to 2 decimals.
func DeltaPP(cur, prev float64) float64 { return Round2(cur - prev) }

// TooFew reports whether n is under the minimum (SPEC "Uncertainty").
func TooFew(n uint64, minN int) bool { return n < uint64(minN) }

// Rankable is one unit's index for ranking.
type Rankable struct {
	ID    string
	Value float64
	OK    bool   // has a value
	N     uint64 // index n
}

// Rank ranks units within a group, 1 = highest. Values are compared rounded
// to 2 decimals, and units whose rounded values are equal share a rank
// (standard competition ranking: 1, 2, 2, 4). Units without a value or with
// n under minN are unranked (absent from the result). It returns the
// position of each ranked unit and how many were ranked.
func Rank(units []Rankable, minN int) (pos map[string]int, of int) {
	type row struct {
		id string
		v  float64
	}
	var rows []row
	for _, u := range units {
		if u.OK && !TooFew(u.N, minN) {
			rows = append(rows, row{u.ID, Round2(u.Value)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].v != rows[j].v {
			return rows[i].v > rows[j].v
		}
		return rows[i].id < rows[j].id
	})
	pos = make(map[string]int, len(rows))
	for i, r := range rows {
		if i > 0 && r.v == rows[i-1].v {
			pos[r.id] = pos[rows[i-1].id]
		} else {
			pos[r.id] = i + 1
		}
	}
	return pos, len(rows)
}
