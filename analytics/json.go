package analytics

import (
	"hailong/analytics/engine"
	"hailong/survey"
)

// JSON shapes of the API. Percentages are numbers 0–100 rounded to 2
// decimals; a value without data is null.

type figureJSON struct {
	Value  *float64 `json:"value"`
	N      uint64   `json:"n"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	TooFew bool     `json:"too_few"`
}

func num(x float64) *float64 { v := engine.Round2(x); return &v }

func numIf(x float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return num(x)
}

func figure(f engine.Figure, minN int) figureJSON {
	out := figureJSON{N: f.N, TooFew: engine.TooFew(f.N, minN)}
	if f.OK {
		out.Value, out.CILow, out.CIHigh = num(f.Value), num(f.Lo), num(f.Hi)
	}
	return out
}

type criterionJSON struct {
	Key     string      `json:"key"`
	Element string      `json:"element"`
	Label   survey.Text `json:"label"`
	Scale   int         `json:"scale"`
	Mean    *float64    `json:"mean"`
	figureJSON
}

type elementJSON struct {
	Key      string      `json:"key"`
	Label    survey.Text `json:"label"`
	Criteria []string    `json:"criteria"`
	figureJSON
}

func criteriaJSON(r engine.Result, cat *engine.Catalogue, minN int) []criterionJSON {
	out := make([]criterionJSON, 0, len(r.Criteria))
	for _, c := range r.Criteria {
		out = append(out, criterionOut(c, cat, minN))
	}
	return out
}

func criterionOut(c engine.CriterionFigure, cat *engine.Catalogue, minN int) criterionJSON {
	return criterionJSON{Key: c.Key, Element: c.Element, Label: cat.Criterion(c.Key).Label, Scale: c.Scale,
		Mean: numIf(c.Mean, c.OK), figureJSON: figure(c.Figure, minN)}
}

func elementsJSON(r engine.Result, cat *engine.Catalogue, minN int) []elementJSON {
	out := make([]elementJSON, 0, len(r.Elements))
	for _, e := range r.Elements {
		out = append(out, elementJSON{Key: e.Key, Label: cat.Element(e.Key), Criteria: e.Criteria, figureJSON: figure(e.Figure, minN)})
	}
	return out
}

type periodJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// scopeJSON echoes what a response covers.
type scopeJSON struct {
	Unit       *string       `json:"unit"`
	Group      *string       `json:"group,omitempty"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Method     engine.Method `json:"method"`
	MinN       int           `json:"min_n"`
	Survey     *string       `json:"survey"`
	Channel    *string       `json:"channel"`
	Counter    *string       `json:"counter,omitempty"`
	Staff      *string       `json:"staff,omitempty"`
	Procedure  *string       `json:"procedure,omitempty"`
	Misuse     string        `json:"misuse"`
	Unverified string        `json:"unverified"`
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func inclusion(b bool) string {
	if b {
		return "include"
	}
	return "exclude"
}

func (r *request) scopeJSON() scopeJSON {
	f := &r.filter
	s := scopeJSON{Unit: str(f.Unit), Group: str(f.Group), From: r.period.FromDate(), To: r.period.ToDate(),
		Method: r.eng.Cfg.Method, MinN: r.eng.Cfg.MinN, Survey: str(f.Survey), Counter: str(f.Counter),
		Staff: str(f.Staff), Procedure: str(f.Procedure), Misuse: inclusion(f.IncludeMisuse), Unverified: inclusion(f.IncludeUnverified)}
	if f.Channel != 0 {
		s.Channel = str(f.Channel.String())
	}
	return s
}

type weakestJSON struct {
	Key   string      `json:"key"`
	Label survey.Text `json:"label"`
	figureJSON
}

func weakest(c *engine.CriterionFigure, cat *engine.Catalogue, minN int) *weakestJSON {
	if c == nil {
		return nil
	}
	return &weakestJSON{Key: c.Key, Label: cat.Criterion(c.Key).Label, figureJSON: figure(c.Figure, minN)}
}
