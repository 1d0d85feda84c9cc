package analytics

import (
	"bufio"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/cells"
	"hailong/survey"
	"hailong/web"
)

// CSV exports: UTF-8 with a byte-order mark (so that Excel reads the
// Vietnamese correctly), comma-separated, a header row, numbers with a
// decimal point, percentages to 2 decimals, empty cells where there is no
// figure. docs/DASHBOARD.md lists the columns. Rows go through
// cells.CSV, which keeps every text cell from being read as a formula.

const csvType = "text/csv; charset=utf-8"

// getResponsesCSV handles GET /exports/responses.csv: every response of the
// scope and period, streamed in time order, comments masked.
func getResponsesCSV(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return err
		}
		db, loc := d.Services, d.Clock.Loc()
		keys := r.eng.Cat.Keys()
		from, to, match := r.period.Start(loc), r.period.End(loc), r.exportMatch()
		r.attachment(c, "responses", "csv", csvType)
		c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
			w := cells.NewCSV(bw)
			w.Header(responseColumns(keys))
			err := eachChunk(db.Responses, from, to, match, func(rs []*survey.Response) error {
				for _, resp := range rs {
					if err := w.Write(responseRecord(resp, keys, loc)...); err != nil {
						return err
					}
				}
				return w.Flush()
			})
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				d.Log.Error("export responses", "err", err)
			}
		})
		return nil
	}
}

// summaryColumns is the header of summary.csv.
var summaryColumns = []string{"unit", "from", "to", "method", "kind", "key", "element", "label_vi", "label_en",
	"value", "ci_low", "ci_high", "n", "too_few", "mean", "previous_value", "delta_pp"}

// getSummaryCSV handles GET /exports/summary.csv: the figures of the
// summary route — the index, each element and each criterion, with the
// previous period's value and the change.
func getSummaryCSV(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return err
		}
		s, err := r.eng.Summary(r.filter, r.period)
		if err != nil {
			return err
		}
		r.attachment(c, "summary", "csv", csvType)
		bw := bufio.NewWriter(c.Response().BodyWriter())
		w := cells.NewCSV(bw)
		w.Header(summaryColumns)
		head := cells.Texts(r.filter.Unit, r.period.FromDate(), r.period.ToDate(), string(r.eng.Cfg.Method))
		for _, row := range r.summaryRows(s) {
			rec := append(append([]cells.Cell{}, head...), cells.Texts(row.Kind, row.Key, row.Element, row.Label.Vi, row.Label.En)...)
			rec = append(rec, pctCell(row.Fig.Value, row.Fig.OK), pctCell(row.Fig.Lo, row.Fig.OK), pctCell(row.Fig.Hi, row.Fig.OK),
				cells.Int(row.Fig.N), boolCell(engine.TooFew(row.Fig.N, r.eng.Cfg.MinN)),
				pctCell(row.Mean, row.MeanOK), pctCell(row.Prev.Value, row.Prev.OK),
				pctCell(engine.DeltaPP(row.Fig.Value, row.Prev.Value), row.Fig.OK && row.Prev.OK))
			w.Write(rec...)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
}

// summaryRow is one line of the summary exports.
type summaryRow struct {
	Kind, Key, Element string // kind: index, element, criterion
	Label              survey.Text
	Fig, Prev          engine.Figure
	Mean               float64
	MeanOK             bool
}

// summaryRows lists the index, the elements and the criteria (weakest
// first) of s, each with its value in the previous period.
func (r *pageReq) summaryRows(s *engine.Summary) []summaryRow {
	cat := r.eng.Cat
	out := []summaryRow{{Kind: "index", Label: survey.Text{Vi: "Chỉ số hài lòng", En: "Satisfaction index"},
		Fig: s.Current.Index, Prev: s.Previous.Index}}
	prevEl := map[string]engine.Figure{}
	for _, e := range s.Previous.Elements {
		prevEl[e.Key] = e.Figure
	}
	for _, e := range s.Current.Elements {
		out = append(out, summaryRow{Kind: "element", Key: e.Key, Label: cat.Element(e.Key), Fig: e.Figure, Prev: prevEl[e.Key]})
	}
	for _, row := range r.f.criteriaRows(r.db.Surveys, s.Current, r.eng, func(string) string { return "" }) {
		c, p := s.Current.Criterion(row.Key), s.Previous.Criterion(row.Key)
		out = append(out, summaryRow{Kind: "criterion", Key: c.Key, Element: c.Element, Label: cat.Criterion(c.Key).Label,
			Fig: c.Figure, Prev: p.Figure, Mean: c.Mean, MeanOK: c.OK})
	}
	return out
}

// breakdownColumns is the header of breakdown.csv.
var breakdownColumns = []string{"by", "key", "name", "value", "ci_low", "ci_high", "n", "too_few", "empty", "weakest", "weakest_value"}

// getBreakdownCSV handles GET /exports/breakdown.csv?by=unit|counter|staff|
// procedure|channel: the rows of the breakdown route.
func getBreakdownCSV(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d, "by")
		if err != nil {
			return err
		}
		by := r.raw["by"]
		if !engine.ValidBreakdown(by) {
			return survey.FieldError("by", "Tham số by phải là unit, counter, staff, procedure hoặc channel. / by must be unit, counter, staff, procedure or channel.")
		}
		rows, err := r.eng.Breakdown(r.filter, r.period, by)
		if err != nil {
			return err
		}
		r.attachment(c, "breakdown-"+by, "csv", csvType)
		bw := bufio.NewWriter(c.Response().BodyWriter())
		w := cells.NewCSV(bw)
		w.Header(breakdownColumns)
		for _, row := range rows {
			ix := row.Index
			rec := []cells.Cell{cells.Text(by), cells.Text(row.Key), cells.Text(row.Name), pctCell(ix.Value, ix.OK), pctCell(ix.Lo, ix.OK),
				pctCell(ix.Hi, ix.OK), cells.Int(ix.N), boolCell(engine.TooFew(ix.N, r.eng.Cfg.MinN)), cells.Int(row.Empty), {}, {}}
			if wk := row.Weakest; wk != nil {
				rec[9], rec[10] = cells.Text(wk.Key), pctCell(wk.Value, wk.OK)
			}
			w.Write(rec...)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
}
