package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// timelinessFigures are the counts and percentages of a timeliness report.
type timelinessFigures struct {
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

func figuresOf(t engine.TimelinessReport) timelinessFigures {
	return timelinessFigures{Received: t.Received, Finished: t.Finished, Early: t.Early, OnTime: t.OnTime, Late: t.Late,
		InProgress: t.InProgress, InProgressOverdue: t.InProgressOverdue,
		EarlyPct: numIf(t.EarlyPct, t.OK), OnTimePct: numIf(t.OnTimePct, t.OK), LatePct: numIf(t.LatePct, t.OK),
		InProgressPct: numIf(t.InProgressPct, t.OK), Denominator: t.Denominator, Rate766: numIf(t.Rate766, t.OK)}
}

type timelinessJSON struct {
	Unit  *string `json:"unit"`
	Group *string `json:"group,omitempty"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	timelinessFigures
	By   *string             `json:"by,omitempty"`
	Rows []timelinessRowJSON `json:"rows,omitempty"`
}

// timelinessRowJSON is one procedure or staff member; key null for the
// dossiers that name none.
type timelinessRowJSON struct {
	Key  *string `json:"key"`
	Name string  `json:"name"`
	timelinessFigures
}

// getTimeliness handles GET /api/v1/analytics/timeliness: the dossiers
// received in the period, early / on time / late / in progress, as
// percentages of received, and the Quyết định 766 on-time rate; with
// by=procedure or by=staff, also one row per procedure or staff member.
func getTimeliness(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		by, byErr := timelinessBy(c)
		r, err := parseRequest(c, d, paramsScope...)
		if err != nil {
			return err
		}
		if byErr != nil {
			return byErr
		}
		t, err := r.eng.Timeliness(r.filter, r.period)
		if err != nil {
			return err
		}
		out := timelinessJSON{Unit: str(r.filter.Unit), Group: str(r.filter.Group),
			From: r.period.FromDate(), To: r.period.ToDate(), timelinessFigures: figuresOf(t)}
		if by != "" {
			rows, err := r.eng.TimelinessBy(r.filter, r.period, by)
			if err != nil {
				return err
			}
			out.By, out.Rows = &by, make([]timelinessRowJSON, len(rows))
			for i, row := range rows {
				out.Rows[i] = timelinessRowJSON{Key: str(row.Key), Name: row.Name, timelinessFigures: figuresOf(row.TimelinessReport)}
			}
		}
		return c.JSON(out)
	}
}

// timelinessBy reads and removes the by parameter (procedure or staff),
// which the shared parser knows only as the breakdown's required one; its
// error is reported after those of the other parameters.
func timelinessBy(c *fiber.Ctx) (string, error) {
	args := c.Context().QueryArgs()
	vals := args.PeekMulti("by")
	if len(vals) == 0 {
		return "", nil
	}
	by, n := string(vals[0]), len(vals) // copied before Del reuses the buffers
	args.Del("by")
	if n > 1 {
		return "", &survey.Error{Code: survey.EMALFORMED, Field: "by", Message: "Tham số bị lặp: by. / Repeated parameter by."}
	}
	switch by {
	case "", "procedure", "staff":
		return by, nil
	}
	return "", survey.FieldError("by", "Tham số by phải là procedure hoặc staff. / by must be procedure or staff.")
}
