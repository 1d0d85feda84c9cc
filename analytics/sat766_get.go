package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

// ratioJSON is a rate with what it is made of; value null when the
// denominator is 0.
type ratioJSON struct {
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Value       *float64 `json:"value"`
}

func ratioOf(r engine.Ratio) ratioJSON {
	return ratioJSON{Numerator: r.Num, Denominator: r.Den, Value: numIf(r.Pct, r.OK)}
}

// dossierSatJSON is the per-dossier satisfaction rate (766 item 5.4) and
// why dossiers count against it (a dossier may have several reasons).
type dossierSatJSON struct {
	ratioJSON
	Late        int      `json:"late"`
	Negative    int      `json:"negative"`
	WithCase    int      `json:"with_case"`
	Against     int      `json:"against"`
	PortalValue *float64 `json:"portal_value"`
}

// paknSatJSON is the satisfaction with PAKN handling (766 item 5.3).
type paknSatJSON struct {
	ratioJSON
	Late         int `json:"late"`
	Dissatisfied int `json:"dissatisfied"`
}

type sat766JSON struct {
	Unit             *string        `json:"unit"`
	Group            *string        `json:"group,omitempty"`
	From             string         `json:"from"`
	To               string         `json:"to"`
	ResponseRate     ratioJSON      `json:"response_rate"`
	DossierRate      dossierSatJSON `json:"dossier_satisfaction"`
	PAKNOnTime       ratioJSON      `json:"pakn_on_time"`
	PAKNSatisfaction paknSatJSON    `json:"pakn_satisfaction"`
	PAKNRated        ratioJSON      `json:"pakn_rated"`
}

func sat766Of(s engine.Sat766) sat766JSON {
	return sat766JSON{ResponseRate: ratioOf(s.Response),
		DossierRate: dossierSatJSON{ratioJSON: ratioOf(s.Dossier), Late: s.Late, Negative: s.Negative, WithCase: s.WithCase,
			Against: s.Against, PortalValue: numIf(s.PortalPct, s.Dossier.OK)},
		PAKNOnTime:       ratioOf(s.CasesOnTime),
		PAKNSatisfaction: paknSatJSON{ratioJSON: ratioOf(s.CasesSatisfied), Late: s.CasesLate, Dissatisfied: s.CasesBad},
		PAKNRated:        ratioOf(s.Rated)}
}

// getSat766 handles GET /api/v1/analytics/satisfaction766: the group
// "Mức độ hài lòng" of Quyết định 766/QĐ-TTg for the dossiers received and
// the cases opened in the period (docs/METHODOLOGY.md section 16).
func getSat766(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, paramsScope...)
		if err != nil {
			return err
		}
		s, err := r.eng.Satisfaction766(r.filter, r.period)
		if err != nil {
			return err
		}
		out := sat766Of(s)
		out.Unit, out.Group, out.From, out.To = str(r.filter.Unit), str(r.filter.Group), r.period.FromDate(), r.period.ToDate()
		return c.JSON(out)
	}
}
