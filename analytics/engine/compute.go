package engine

import (
	"strings"

	"hailong/survey"
)

// Method is how the overall index is computed (SPEC "Indices"); the method
// in force is stated in every response.
type Method string

// Methods.
const (
	// MethodShare45: criterion = share of valid answers at 4–5 (2–3 of 3);
	// element = mean of its criteria; index = mean of the elements.
	MethodShare45 Method = "share45"
	// MethodMean: as share45 with each criterion's mean score put on
	// 0–100, (mean − 1) / (scale − 1) × 100.
	MethodMean Method = "mean"
	// MethodPooled: index = share45 of all answers of all criteria together
	// (the overall question apart); criteria and elements as share45.
	MethodPooled Method = "pooled"
	// MethodOverall: index = share45 of the overall question alone;
	// criteria and elements as share45.
	MethodOverall Method = "overall"
)

// ParseMethod parses a method name.
func ParseMethod(s string) (Method, bool) {
	switch m := Method(s); m {
	case MethodShare45, MethodMean, MethodPooled, MethodOverall:
		return m, true
	}
	return "", false
}

// Figure is one computed value with its sample: Value in percent
// (unrounded), N the n it rests on, Lo–Hi its 95 % interval.
type Figure struct {
	Value  float64
	OK     bool // false: no data (Value meaningless)
	N      uint64
	Lo, Hi float64
}

// CriterionFigure is a criterion's index and mean score.
type CriterionFigure struct {
	Key, Element string
	Scale        int
	Mean         float64 // mean score 1…scale (when Figure.OK)
	Figure
}

// ElementFigure is an element's index: the mean of its criteria.
type ElementFigure struct {
	Key      string
	Criteria []string
	Figure
}

// Result is the index of one tally: the overall index, the elements in the
// catalogue's order and every criterion answered.
type Result struct {
	Method   Method
	Index    Figure
	Elements []ElementFigure
	Criteria []CriterionFigure
}

// Compute computes the indices of t by method. The overall question
// (element "") is listed among the criteria but is not part of the element
// roll-up. Criteria unknown to the catalogue are listed but rolled up
// nowhere.
func Compute(t *survey.Tally, cat *Catalogue, m Method) Result {
	res := Result{Method: m}
	if t == nil {
		return res
	}
	var pooledPos, pooledN, overallPos, overallN uint64
	byElement := map[string][]CriterionFigure{}
	for _, key := range cat.sortKeys(t.Criteria) {
		h := *t.Criteria[key]
		info := cat.Criterion(key)
		cf := criterionFigure(key, info.Element, h, m)
		res.Criteria = append(res.Criteria, cf)
		if !cf.OK {
			continue
		}
		if info.Element == "" {
			if BaseKey(key) == survey.OverallKey {
				overallPos, overallN = overallPos+Positives(h), overallN+Valid(h)
			}
			continue
		}
		pooledPos, pooledN = pooledPos+Positives(h), pooledN+Valid(h)
		if info.Known {
			byElement[info.Element] = append(byElement[info.Element], cf)
		}
	}
	var elementValues []float64
	for _, e := range cat.Elements {
		cfs := byElement[e.Key]
		if len(cfs) == 0 {
			continue
		}
		ef := ElementFigure{Key: e.Key}
		var vs []float64
		for _, cf := range cfs {
			vs = append(vs, cf.Value)
			ef.Criteria = append(ef.Criteria, cf.Key)
			ef.N = max(ef.N, cf.N)
		}
		ef.Value, ef.OK = MeanOf(vs)
		ef.Lo, ef.Hi, _ = Wilson(ef.Value, ef.N)
		res.Elements = append(res.Elements, ef)
		elementValues = append(elementValues, ef.Value)
	}
	idx := Figure{N: t.Responses}
	ciN := t.Responses
	switch m {
	case MethodPooled:
		idx.Value, idx.OK = Share(pooledPos, pooledN)
	case MethodOverall:
		idx.Value, idx.OK = Share(overallPos, overallN)
		ciN = overallN
	default:
		idx.Value, idx.OK = MeanOf(elementValues)
	}
	if idx.OK {
		idx.Lo, idx.Hi, _ = Wilson(idx.Value, ciN)
	}
	res.Index = idx
	return res
}

func criterionFigure(key, element string, h survey.Hist, m Method) CriterionFigure {
	cf := CriterionFigure{Key: key, Element: element, Scale: h.Scale}
	mean, n, ok := Mean(h)
	if !ok {
		return cf
	}
	cf.Mean, cf.N, cf.OK = mean, n, true
	if m == MethodMean {
		cf.Value = MeanPercent(mean, h.Scale)
		cf.Lo, cf.Hi, _ = MeanCI(h)
		return cf
	}
	cf.Value, _, _ = Share45(h)
	cf.Lo, cf.Hi, _ = Wilson(cf.Value, n)
	return cf
}

// BaseKey strips the "@3" the store appends to a key asked on both scales.
func BaseKey(k string) string { return strings.TrimSuffix(k, "@3") }

// Weakest returns the criterion with the lowest value among those with at
// least minN answers (or, if none has, among all answered), the overall
// question apart; ok is false when nothing was answered.
func (r *Result) Weakest(minN int) (CriterionFigure, bool) {
	var best CriterionFigure
	found, foundEnough := false, false
	for _, cf := range r.Criteria {
		if !cf.OK || cf.Element == "" {
			continue
		}
		enough := !TooFew(cf.N, minN)
		switch {
		case !found, enough && !foundEnough, enough == foundEnough && cf.Value < best.Value:
			best, found, foundEnough = cf, true, enough
		}
	}
	return best, found
}

// Criterion returns the figure of criterion key (not OK when it was not
// answered).
func (r *Result) Criterion(key string) CriterionFigure {
	for _, c := range r.Criteria {
		if c.Key == key {
			return c
		}
	}
	return CriterionFigure{Key: key}
}
