package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

type rowJSON struct {
	Key       string       `json:"key"`
	Name      string       `json:"name"`
	Index     figureJSON   `json:"index"`
	Responses uint64       `json:"responses"`
	Empty     uint64       `json:"empty"`
	Weakest   *weakestJSON `json:"weakest"`
}

// getBreakdown handles GET /api/v1/analytics/breakdown?by=unit|counter|
// staff|procedure|channel: the index per child unit (of unit), counter,
// staff member, procedure or channel, best first, each with its weakest
// criterion.
func getBreakdown(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, append([]string{"by"}, paramsResponse...)...)
		if err != nil {
			return err
		}
		rows, err := r.eng.Breakdown(r.filter, r.period, r.by)
		if err != nil {
			return err
		}
		minN, cat := r.eng.Cfg.MinN, r.eng.Cat
		out := make([]rowJSON, 0, len(rows))
		for _, row := range rows {
			out = append(out, rowJSON{Key: row.Key, Name: row.Name, Index: figure(row.Index, minN),
				Responses: row.Responses, Empty: row.Empty, Weakest: weakest(row.Weakest, cat, minN)})
		}
		return c.JSON(fiber.Map{"scope": r.scopeJSON(), "by": r.by, "rows": out})
	}
}
