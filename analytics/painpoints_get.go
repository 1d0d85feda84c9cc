package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

type reasonJSON struct {
	Key   string      `json:"key"`
	Label survey.Text `json:"label"`
	Count uint64      `json:"count"`
	Share *float64    `json:"share"`
}

type painPointJSON struct {
	Key      string      `json:"key"`
	Element  string      `json:"element"`
	Label    survey.Text `json:"label"`
	Negative uint64      `json:"negative"`
	figureJSON
	Reasons []reasonJSON `json:"reasons"`
}

// getPainPoints handles GET /api/v1/analytics/painpoints: per criterion the
// share of negative answers and the reasons chosen most often with them
// (top, default 3), the most negative first; and the reasons overall as
// shares of the responses.
func getPainPoints(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, append([]string{"top"}, paramsResponse...)...)
		if err != nil {
			return err
		}
		points, t, err := r.eng.PainPoints(r.filter, r.period, r.top)
		if err != nil {
			return err
		}
		labels := reasonLabels(d.Surveys)
		minN := r.eng.Cfg.MinN
		out := make([]painPointJSON, 0, len(points))
		for _, p := range points {
			out = append(out, painPointJSON{Key: p.Key, Element: p.Element, Label: r.eng.Cat.Criterion(p.Key).Label,
				Negative: p.Negative, figureJSON: figure(p.Figure, minN), Reasons: reasonsJSON(p.Reasons, labels)})
		}
		overall := reasonsJSON(engine.TopReasons(t.Reasons[""], t.Responses+t.Empty, 0), labels)
		return c.JSON(fiber.Map{"scope": r.scopeJSON(), "responses": t.Responses + t.Empty, "criteria": out, "reasons": overall})
	}
}

func reasonsJSON(rs []engine.ReasonShare, labels map[string]survey.Text) []reasonJSON {
	out := make([]reasonJSON, 0, len(rs))
	for _, r := range rs {
		l, ok := labels[r.Key]
		if !ok {
			l = survey.Text{Vi: r.Key, En: r.Key}
		}
		out = append(out, reasonJSON{Key: r.Key, Label: l, Count: r.Count, Share: numIf(r.Share, r.OK)})
	}
	return out
}

// reasonLabels collects the reason labels of every survey's current version.
func reasonLabels(db survey.SurveyService) map[string]survey.Text {
	out := map[string]survey.Text{}
	for _, k := range db.SurveyKeys() {
		if s := db.Survey(k, 0); s != nil {
			for _, r := range s.Reasons {
				if _, ok := out[r.Key]; !ok {
					out[r.Key] = r.Label
				}
			}
		}
	}
	return out
}
