package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

type summaryJSON struct {
	scopeJSON
	Responses struct {
		Valid uint64 `json:"valid"`
		Empty uint64 `json:"empty"`
	} `json:"responses"`
	Index    figureJSON      `json:"index"`
	Elements []elementJSON   `json:"elements"`
	Criteria []criterionJSON `json:"criteria"`
	Previous struct {
		periodJSON
		Index figureJSON `json:"index"`
	} `json:"previous"`
	DeltaPP *float64  `json:"delta_pp"`
	Rank    *rankJSON `json:"rank"`
}

type rankJSON struct {
	Unit             string `json:"unit"`
	Group            string `json:"group"`
	GroupName        string `json:"group_name"`
	Position         *int   `json:"position"`
	Of               int    `json:"of"`
	Members          int    `json:"members"`
	PreviousPosition *int   `json:"previous_position"`
	PreviousOf       int    `json:"previous_of"`
}

func position(p int) *int {
	if p == 0 {
		return nil
	}
	return &p
}

// getSummary handles GET /api/v1/analytics/summary: the index with its
// interval, elements, criteria, the previous period, the change in points
// and the rank within the unit's group.
func getSummary(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, paramsResponse...)
		if err != nil {
			return err
		}
		s, err := r.eng.Summary(r.filter, r.period)
		if err != nil {
			return err
		}
		minN, cat := r.eng.Cfg.MinN, r.eng.Cat
		out := summaryJSON{scopeJSON: r.scopeJSON(), Index: figure(s.Current.Index, minN),
			Elements: elementsJSON(s.Current, cat, minN), Criteria: criteriaJSON(s.Current, cat, minN)}
		out.Responses.Valid, out.Responses.Empty = s.Tally.Responses, s.Tally.Empty
		out.Previous.From, out.Previous.To = s.PreviousPeriod.FromDate(), s.PreviousPeriod.ToDate()
		out.Previous.Index = figure(s.Previous.Index, minN)
		if s.Current.Index.OK && s.Previous.Index.OK {
			d := engine.DeltaPP(s.Current.Index.Value, s.Previous.Index.Value)
			out.DeltaPP = &d
		}
		if rk := s.Rank; rk != nil {
			out.Rank = &rankJSON{Unit: rk.Unit, Group: rk.Group, GroupName: r.eng.GroupName(rk.Group),
				Position: position(rk.Position), Of: rk.Of, Members: rk.Members,
				PreviousPosition: position(rk.PreviousPosition), PreviousOf: rk.PreviousOf}
		}
		return c.JSON(out)
	}
}
