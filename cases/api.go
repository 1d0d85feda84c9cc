package cases

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The JSON API (managers' and administrators' tokens or sessions):
// GET /api/v1/cases?status=&unit=&from=&to= lists the cases of the
// caller's subtree (overdue first), GET /api/v1/cases/{id} one case. The
// citizen's contact is never in it; a case outside the subtree is a 404.

// apiCase is a case as the API shows it.
type apiCase struct {
	survey.Case
	Overdue bool `json:"overdue"`
	OnTime  bool `json:"on_time"`
}

func toAPI(cs survey.Case, now time.Time) apiCase {
	cs.RatingHash = nil
	return apiCase{Case: cs, Overdue: cs.Overdue(now), OnTime: cs.OnTime()}
}

func listCasesAPI(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := apiQuery(c, d)
		if err != nil {
			return err
		}
		list, err := d.Cases.Cases(q)
		if err != nil {
			return err
		}
		now := d.Clock.Now()
		out := make([]apiCase, 0, len(list))
		for _, cs := range list {
			out = append(out, toAPI(cs, now))
		}
		return c.JSON(fiber.Map{"cases": out})
	}
}

func showCaseAPI(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := visibleCase(c, d, c.Params("id"))
		if err != nil {
			return err
		}
		return c.JSON(toAPI(*cs, d.Clock.Now()))
	}
}

// apiQuery reads status, unit, from and to (YYYY-MM-DD, to inclusive)
// strictly: an unknown or repeated parameter is a 400, a bad value a 422,
// a unit outside the caller's subtree a 403.
func apiQuery(c *fiber.Ctx, d *web.Deps) (survey.CaseQuery, error) {
	args := map[string]string{}
	var bad error
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		if _, seen := args[key]; bad == nil && (seen || !slices.Contains([]string{"status", "unit", "from", "to"}, key)) {
			bad = &survey.Error{Code: survey.EMALFORMED, Field: key, Message: "Tham số không được hỗ trợ hoặc bị lặp: " + key + ". / Unknown or repeated parameter " + key + "."}
		}
		args[key] = string(v)
	})
	if bad != nil {
		return survey.CaseQuery{}, bad
	}
	p := web.Who(c)
	q := survey.CaseQuery{Status: args["status"]}
	if q.Status != "" && q.Status != "open" && !slices.Contains(survey.CaseStatuses, q.Status) {
		return q, survey.FieldError("status", "Trạng thái phải là open, new, in_progress, replied hoặc closed. / status must be open, new, in_progress, replied or closed.")
	}
	root := p.Unit
	if u := args["unit"]; u != "" {
		if d.Org.Unit(u) == nil {
			return q, survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", u, u)
		}
		if !p.Covers(d.Org, u) {
			return q, web.Forbid(u)
		}
		root = u
	}
	if root != "" {
		q.Units = d.Org.Subtree(root)
	}
	loc := d.Clock.Loc()
	for _, f := range []struct {
		key string
		to  *time.Time
		add int
	}{{"from", &q.From, 0}, {"to", &q.To, 1}} {
		if s := args[f.key]; s != "" {
			day, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				return q, survey.FieldError(f.key, "Ngày phải có dạng YYYY-MM-DD. / Dates are YYYY-MM-DD.")
			}
			*f.to = day.AddDate(0, 0, f.add)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	return q, nil
}
