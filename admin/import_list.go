package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Quản trị → Nhập dữ liệu: the batches of responses imported from CSV files
// (`hailong import responses`; these pages import none), newest first, each
// withdrawable as a whole with a reason (ImportService.WithdrawBatch: the
// store writes the audit entry and the change log in its transaction).

type importRow struct {
	survey.ImportBatch
	When, WithdrawnWhen string
	Withdrawable        bool
}

type importsView struct {
	Rows []importRow
	Zone string
	formState
	Reason, Batch string // the withdrawal form as typed, when refused
}

func listImports(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderImports(c, d, fiber.StatusOK, &importsView{})
	}
}

func renderImports(c *fiber.Ctx, d *web.Deps, status int, v *importsView) error {
	bs, err := d.Imports.Batches()
	if err != nil {
		return err
	}
	v.Zone = d.Clock.Loc().String()
	for _, b := range bs {
		v.Rows = append(v.Rows, importRow{ImportBatch: b, When: clock(d.Clock, b.At), WithdrawnWhen: clock(d.Clock, b.WithdrawnAt),
			Withdrawable: b.Status != survey.BatchWithdrawn})
	}
	return pages.Render(c, status, "sys_imports", withFlash(c, page(c, "Nhập dữ liệu / Imports", v)))
}

// withdrawImport handles POST /admin/imports/{id}/withdraw (field reason).
func withdrawImport(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("id")
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có lô nhập này. / No such import batch.")
		}
		id = string(append([]byte(nil), id...))
		reason := form(c, "reason")
		if _, err := d.Imports.WithdrawBatch(id, web.Who(c).Actor(), reason); err != nil {
			v := &importsView{Reason: reason, Batch: id}
			if err := v.failErr(err, "reason-"+id, func(string) string { return "reason-" + id }); err != nil {
				return err
			}
			return renderImports(c, d, web.Status(survey.ErrorCode(err)), v)
		}
		return c.Redirect("/admin/imports?ok=withdrawn", fiber.StatusSeeOther)
	}
}
