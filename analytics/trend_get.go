package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

type trendPointJSON struct {
	Month      string     `json:"month"`
	From       string     `json:"from"`
	To         string     `json:"to"`
	Index      figureJSON `json:"index"`
	YearBefore struct {
		periodJSON
		Index figureJSON `json:"index"`
	} `json:"year_before"`
	DeltaPP *float64 `json:"delta_pp"`
}

// getTrend handles GET /api/v1/analytics/trend: the index month by month
// over the period (the first and last months clipped to it) against the
// same days a year before.
func getTrend(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, paramsResponse...)
		if err != nil {
			return err
		}
		points, err := r.eng.Trend(r.filter, r.period)
		if err != nil {
			return err
		}
		minN := r.eng.Cfg.MinN
		out := make([]trendPointJSON, 0, len(points))
		for _, p := range points {
			tp := trendPointJSON{Month: p.Month, From: p.Period.FromDate(), To: p.Period.ToDate(), Index: figure(p.Current, minN)}
			tp.YearBefore.From, tp.YearBefore.To = p.Before.FromDate(), p.Before.ToDate()
			tp.YearBefore.Index = figure(p.Prior, minN)
			if p.Current.OK && p.Prior.OK {
				d := engine.DeltaPP(p.Current.Value, p.Prior.Value)
				tp.DeltaPP = &d
			}
			out = append(out, tp)
		}
		return c.JSON(fiber.Map{"scope": r.scopeJSON(), "months": out})
	}
}
