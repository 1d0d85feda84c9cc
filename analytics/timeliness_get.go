package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

type timelinessJSON struct {
	Unit              *string  `json:"unit"`
	Group             *string  `json:"group,omitempty"`
	From              string   `json:"from"`
	To                string   `json:"to"`
	Received          int      `json:"received"`
	Finished          int      `json:"finished"`
	Early             int      `json:"early"`
	OnTime            int      `json:"on_time"`
	Late              int      `json:"late"`
	InProgress        int      `json:"in_progress"`
	InProgressOverdue int      `json:"in_progress_overdue"`
	EarlyPct          *float64 `json:"early_pct"`
	OnTimePct         *float64 `json:"on_time_pct"`
	LatePct           *float64 `json:"late_pct"`
	InProgressPct     *float64 `json:"in_progress_pct"`
	Denominator       string   `json:"denominator"`
	Rate766           *float64 `json:"rate_766"`
}

// getTimeliness handles GET /api/v1/analytics/timeliness: the dossiers
// received in the period, early / on time / late / in progress, as
// percentages of received, and the Quyết định 766 on-time rate.
func getTimeliness(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, paramsScope...)
		if err != nil {
			return err
		}
		t, err := r.eng.Timeliness(r.filter, r.period)
		if err != nil {
			return err
		}
		return c.JSON(timelinessJSON{Unit: str(r.filter.Unit), Group: str(r.filter.Group),
			From: r.period.FromDate(), To: r.period.ToDate(),
			Received: t.Received, Finished: t.Finished, Early: t.Early, OnTime: t.OnTime, Late: t.Late,
			InProgress: t.InProgress, InProgressOverdue: t.InProgressOverdue,
			EarlyPct: numIf(t.EarlyPct, t.OK), OnTimePct: numIf(t.OnTimePct, t.OK), LatePct: numIf(t.LatePct, t.OK),
			InProgressPct: numIf(t.InProgressPct, t.OK), Denominator: t.Denominator, Rate766: numIf(t.Rate766, t.OK)})
	}
}
