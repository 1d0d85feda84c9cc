package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

type tt01IndexJSON struct {
	Index    int     `json:"index"`
	Points   int     `json:"points"`
	Dossiers int     `json:"dossiers"`
	Score    float64 `json:"score"`
}

type tt01RowJSON struct {
	Key      string          `json:"key"`
	Name     string          `json:"name"`
	Unit     string          `json:"unit,omitempty"`
	Dossiers int             `json:"dossiers"`
	Answered int             `json:"answered"`
	Indices  []tt01IndexJSON `json:"indices"`
	Total    *float64        `json:"total"`
	Max      int             `json:"max"`
	Of       int             `json:"of"`
	Scaled   *float64        `json:"scaled"` // total on the full scale (of), which the grade is read on
	Grade    *string         `json:"grade"`
}

func tt01Rows(rows []engine.TT01Row, of int) []tt01RowJSON {
	out := make([]tt01RowJSON, 0, len(rows))
	for _, r := range rows {
		row := tt01RowJSON{Key: r.Key, Name: r.Name, Unit: r.Unit, Dossiers: r.Dossiers, Answered: r.Answered,
			Max: r.Max, Of: of, Indices: []tt01IndexJSON{}}
		for _, ix := range r.Indices {
			row.Indices = append(row.Indices, tt01IndexJSON{ix.Index, ix.Points, ix.Dossiers, ix.Score})
		}
		if len(r.Indices) > 0 {
			total, scaled := r.Total, r.Scaled
			row.Total, row.Scaled, row.Grade = &total, &scaled, str(r.Grade)
		}
		out = append(out, row)
	}
	return out
}

// getTT01 handles GET /api/v1/analytics/tt01: the TT 01/2018/TT-VPCP scores
// of the dossiers received in the period, per agency (of 18) and per staff
// member (of 10), with their grades.
func getTT01(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, paramsScope...)
		if err != nil {
			return err
		}
		res, err := r.eng.TT01(r.filter, r.period)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"unit": str(r.filter.Unit), "from": r.period.FromDate(), "to": r.period.ToDate(),
			"indices": engine.TT01Indices, "agencies": tt01Rows(res.Agencies, 18), "staff": tt01Rows(res.Staff, 10)})
	}
}
