package analytics

import (
	"bufio"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"hailong/cells"
	"hailong/survey"
	"hailong/web"
)

// Excel exports (github.com/xuri/excelize/v2). Figures are stored as
// numbers with a 2-decimal format, so Excel shows them in the reader's own
// number format; text cells are stored as text, never as formulas, and
// made safe by package cells like the CSV exports' (a text cell saved back
// to CSV, or edited, must not turn into a formula).

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// maxSheetRows is Excel's row limit (1,048,576), the header included.
const maxSheetRows = 1 << 20

// getResponsesXLSX handles GET /exports/responses.xlsx: the rows of
// responses.csv in one sheet, written with excelize's stream writer (rows
// go to a temporary file, not to memory), then streamed to the client.
func getResponsesXLSX(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return err
		}
		loc := d.Clock.Loc()
		keys := r.eng.Cat.Keys()
		x := excelize.NewFile()
		sheet := "Phieu"
		x.SetSheetName("Sheet1", sheet)
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			x.Close()
			return err
		}
		cols := responseColumns(keys)
		if err := sw.SetRow("A1", cells.Row(cells.Texts(cols...))); err != nil {
			x.Close()
			return err
		}
		row := 2
		err = eachChunk(d.Responses, r.period.Start(loc), r.period.End(loc), r.exportMatch(), func(rs []*survey.Response) error {
			for _, resp := range rs {
				if row > maxSheetRows {
					return errStop
				}
				axis, _ := excelize.CoordinatesToCellName(1, row)
				if err := sw.SetRow(axis, cells.Row(responseRecord(resp, keys, loc))); err != nil {
					return err
				}
				row++
			}
			return nil
		})
		if err == nil || err == errStop {
			err = sw.Flush()
		}
		if err != nil {
			x.Close()
			return err
		}
		return sendXLSX(c, d, r, x, "responses")
	}
}

// sendXLSX streams the workbook and closes it (removing its temporary files).
func sendXLSX(c *fiber.Ctx, d *web.Deps, r *pageReq, x *excelize.File, what string) error {
	r.attachment(c, what, "xlsx", xlsxType)
	if c.Method() == fiber.MethodHead { // no body: the stream writer would never run
		return x.Close()
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer x.Close()
		if err := x.Write(w); err != nil {
			d.Log.Error("export xlsx", "what", what, "err", err)
		}
	})
	return nil
}

// getSummaryXLSX handles GET /exports/summary.xlsx: the report's tables,
// one sheet each — summary, criteria, elements, months, dossiers and the
// breakdowns by unit, counter, staff member, procedure and channel.
func getSummaryXLSX(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return err
		}
		x, err := r.summaryWorkbook()
		if err != nil {
			return err
		}
		return sendXLSX(c, d, r, x, "summary")
	}
}
