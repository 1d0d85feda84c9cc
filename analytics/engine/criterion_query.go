package engine

import (
	"sort"

	"hailong/survey"
)

// CriterionRows is Breakdown for one criterion: each row's Index is the
// criterion's figure and Responses its n; members without an answer to it
// are left out.
func (e *Engine) CriterionRows(f Filter, p Period, by, key string) ([]Row, error) {
	e.Expand(&f)
	element := e.Cat.Criterion(key).Element
	var rows []Row
	add := func(k, name string, t *survey.Tally) {
		if h := t.Criteria[key]; h != nil && Valid(*h) > 0 {
			cf := criterionFigure(key, element, *h, e.Cfg.Method)
			rows = append(rows, Row{Key: k, Name: name, Index: cf.Figure, Responses: cf.N})
		}
	}
	switch by {
	case "unit":
		children := e.org.Children(f.Unit)
		if f.Unit == "" && f.Group != "" {
			children = e.org.Members(f.Group)
		}
		for _, child := range children {
			g := f
			g.Unit, g.Units = child, e.org.Subtree(child)
			t, err := e.Tally(&g, p)
			if err != nil {
				return nil, err
			}
			add(child, e.org.Name(child), t)
		}
	case "channel":
		for ch := survey.ChannelKiosk; ch <= survey.ChannelPaper; ch++ {
			if f.Channel != 0 && f.Channel != ch {
				continue
			}
			g := f
			g.Channel = ch
			t, err := e.Tally(&g, p)
			if err != nil {
				return nil, err
			}
			add(ch.String(), ch.String(), t)
		}
	default:
		dim := breakdownBy[by]
		counts, err := e.src.Counts.Count(e.query(&f, dim, p))
		if err != nil {
			return nil, err
		}
		for k, t := range counts {
			add(k, e.MemberName(dim, k), t)
		}
	}
	sortWeakest(rows, e.Cfg.MinN)
	return rows, nil
}

// sortWeakest orders rows weakest first, those with too few answers after.
func sortWeakest(rows []Row, minN int) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		fa, fb := TooFew(a.Index.N, minN), TooFew(b.Index.N, minN)
		if fa != fb {
			return !fa
		}
		if a.Index.Value != b.Index.Value {
			return a.Index.Value < b.Index.Value
		}
		return a.Key < b.Key
	})
}

// CriterionTrend is Trend for one criterion: its figure in each month of p
// and in the same days a year before.
func (e *Engine) CriterionTrend(f Filter, p Period, key string) ([]TrendPoint, error) {
	return e.trend(f, p, func(r *Result) Figure { return r.Criterion(key).Figure })
}
