package analytics

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/cells"
	"hailong/survey"
)

// exportChunk is how many stored responses one read transaction reads for
// an export: the rows are written out between transactions, so a slow
// download never holds a read transaction (which would keep bbolt from
// growing its file under the writers) and memory stays flat.
const exportChunk = 5000

// eachChunk reads the responses submitted in [from, to) in time order,
// exportChunk at a time, and hands those that match to fn outside the read
// transaction.
func eachChunk(db survey.ResponseService, from, to time.Time, match func(*survey.Response) bool, fn func([]*survey.Response) error) error {
	start := from
	for {
		var batch []*survey.Response
		var last uint64
		scanned := 0
		err := db.EachResponse(start, to, func(r *survey.Response) error {
			scanned++
			last = r.Key
			if match(r) {
				batch = append(batch, r)
			}
			if scanned == exportChunk {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			return err
		}
		if len(batch) > 0 {
			if ferr := fn(batch); ferr != nil {
				return ferr
			}
		}
		if err != errStop {
			return nil
		}
		start = time.Unix(0, int64(last)+1)
	}
}

// responseColumns are the header of a responses export: the contract's
// import columns (SPEC "CSV formats"), so that an export can be imported
// elsewhere, then the flags and the stored key.
func responseColumns(keys []string) []string {
	cols := append([]string{"submitted_at", "unit", "channel", "survey"}, keys...)
	return append(cols, "counter", "staff", "procedure", "reasons", "comment", "flags", "key")
}

// responseRecord is one response as export cells: scores as numbers, "na"
// for not applicable, empty when not asked or not answered; the comment
// masked (SPEC: masked in exports by default). The key is text: as an Excel
// number it would lose digits.
func responseRecord(r *survey.Response, keys []string, loc *time.Location) []cells.Cell {
	out := make([]cells.Cell, 0, len(keys)+11)
	out = append(out, cells.Texts(r.SubmittedAt.In(loc).Format(time.RFC3339), r.Unit, r.Channel.String(), r.Survey)...)
	for _, k := range keys {
		switch v, ok := r.Answers[k]; {
		case !ok:
			out = append(out, cells.Text(""))
		case v == survey.NA:
			out = append(out, cells.Text("na"))
		default:
			out = append(out, cells.Int(v))
		}
	}
	flags := ""
	if r.Flags != 0 {
		flags = r.Flags.String()
	}
	return append(out, cells.Texts(r.Counter, r.Staff, r.Procedure, strings.Join(r.Reasons, "|"), survey.MaskPII(r.Comment),
		flags, strconv.FormatUint(r.Key, 10))...)
}

// exportMatch selects the responses of the page's scope (every flag class:
// the flags column tells them apart).
func (r *pageReq) exportMatch() func(*survey.Response) bool {
	q := commentQuery{Units: r.eng.UnitSet(r.filter), Survey: r.filter.Survey, Channel: r.filter.Channel}
	return func(resp *survey.Response) bool { return q.match(nil, resp) }
}

// attachment names a download: hailong-<what>-<unit>-<from>-<to>.<ext>.
func (r *pageReq) attachment(c *fiber.Ctx, what, ext, ctype string) {
	unit := r.filter.Unit
	if unit == "" {
		unit = "all"
	}
	name := fmt.Sprintf("hailong-%s-%s-%s-%s.%s", what, unit, r.period.FromDate(), r.period.ToDate(), ext)
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// pctCell is a percentage for a CSV export: a number with 2 decimals,
// empty without data.
func pctCell(x float64, ok bool) cells.Cell {
	if !ok {
		return cells.Text("")
	}
	return cells.Float(engine.Round2(x), 2)
}

// boolCell is true or false.
func boolCell(b bool) cells.Cell { return cells.Text(strconv.FormatBool(b)) }
