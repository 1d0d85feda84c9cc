package engine

import (
	"sort"

	"hailong/survey"
)

// PainPoint is one criterion's dissatisfaction: the share of its valid
// answers that are negative (≤ 2 of 5, 1 of 3) and the reasons chosen most
// often together with a negative answer to it, each as a share of those
// negative answers (a citizen may choose several reasons, so the shares of
// one criterion may add up to more than 100 %).
type PainPoint struct {
	Key, Element string
	Negative     uint64
	Figure       // Value: negative share, percent, over N valid answers, with Wilson interval
	Reasons      []ReasonShare
}

// ReasonShare is a reason and how often it was chosen.
type ReasonShare struct {
	Key   string
	Count uint64
	Share float64 // percent of the base (negative answers, or responses)
	OK    bool
}

// PainPoints lists the answered criteria of t, the most negative first
// (ties by key), with at most top reasons each (top ≤ 0: all).
func PainPoints(t *survey.Tally, cat *Catalogue, top int) []PainPoint {
	if t == nil {
		return nil
	}
	// Reasons are counted per criterion key, whatever the scale: a key asked
	// on both scales ("k" and "k@3") shares one base of negative answers.
	negByBase := map[string]uint64{}
	for key, h := range t.Criteria {
		negByBase[BaseKey(key)] += Negatives(*h)
	}
	var out []PainPoint
	for _, key := range cat.sortKeys(t.Criteria) {
		h := *t.Criteria[key]
		n := Valid(h)
		if n == 0 {
			continue
		}
		p := PainPoint{Key: key, Element: cat.Criterion(key).Element, Negative: Negatives(h)}
		p.Value, p.OK = Share(p.Negative, n)
		p.Figure.N = n
		p.Lo, p.Hi, _ = Wilson(p.Value, n)
		p.Reasons = TopReasons(t.Reasons[BaseKey(key)], negByBase[BaseKey(key)], top)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	return out
}

// TopReasons sorts reason counts, most chosen first (ties by key), as
// shares of base, keeping at most top (top ≤ 0: all).
func TopReasons(counts map[string]uint64, base uint64, top int) []ReasonShare {
	out := make([]ReasonShare, 0, len(counts))
	for k, c := range counts {
		if c == 0 {
			continue
		}
		r := ReasonShare{Key: k, Count: c}
		r.Share, r.OK = Share(c, base)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}
