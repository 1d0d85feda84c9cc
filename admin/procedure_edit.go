package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The procedure catalogue (/admin/procedures, administrators only): the
// names of the administrative procedures by code, so that slips, the
// mobile form, the dashboard and the report show "Đăng ký thành lập hộ kinh
// doanh" rather than "1.001612". Entries are added or renamed one at a time
// or from a CSV file (code,name), and removed; responses and dossiers keep
// their codes whatever happens to the catalogue.

// maxProceduresCSV bounds an uploaded catalogue: a province's ~2,000
// procedures with long names take about 400 KB.
const maxProceduresCSV = 2 << 20

// proceduresShown bounds the rows of one page; the search narrows them.
const proceduresShown = 300

type proceduresView struct {
	orgForm
	Query        string
	Rows         []survey.Procedure
	Total, Found int
	ImportErrors []survey.ImportProblem
}

func listProcedures(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderProcedures(c, d, &proceduresView{}, fiber.StatusOK, "")
	}
}

func renderProcedures(c *fiber.Ctx, d *web.Deps, v *proceduresView, status int, flash string) error {
	v.Query = strings.TrimSpace(c.Query("q"))
	if code := c.Query("code"); code != "" && v.Values == nil {
		// "Sửa" on a row: the form below starts with that entry
		if name := d.Procedures.ProcedureName(code); name != "" {
			v.keep("proc-code", strings.Clone(code))
			v.keep("proc-name", name)
		}
	}
	all := d.Procedures.Procedures()
	v.Total = len(all)
	q := survey.Slug(v.Query)
	for _, p := range all {
		if q != "" && !strings.Contains(survey.Slug(p.Code+" "+p.Name), q) {
			continue
		}
		v.Found++
		if len(v.Rows) < proceduresShown {
			v.Rows = append(v.Rows, p)
		}
	}
	p := orgPage(c, "Danh mục thủ tục / Procedures", v)
	if flash != "" {
		p.Flash = flash
	}
	return pages.Render(c, status, "sys_procedures", p)
}

// saveProcedure adds a procedure, or renames the one with that code.
func saveProcedure(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &proceduresView{}
		p := survey.Procedure{Code: v.keep("proc-code", form(c, "code")), Name: v.keep("proc-name", form(c, "name"))}
		before := d.Procedures.ProcedureName(p.Code)
		if err := p.Validate(); err != nil {
			status, err := v.take(err, "proc-", "code", "name")
			if err != nil {
				return err
			}
			return renderProcedures(c, d, v, status, "")
		}
		if err := d.Procedures.PutProcedures([]survey.Procedure{p}); err != nil {
			return err
		}
		ok := "procedure-added"
		if before != "" {
			ok = "procedure-saved"
			audit(c, d, "procedure.rename", p.Code, before+" → "+p.Name)
		} else {
			audit(c, d, "procedure.add", p.Code, p.Name)
		}
		return c.Redirect("/admin/procedures?ok="+ok+"&q="+url.QueryEscape(p.Code), fiber.StatusSeeOther)
	}
}

func deleteProcedure(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		code := form(c, "code")
		name := d.Procedures.ProcedureName(code)
		if err := d.Procedures.DeleteProcedure(code); err != nil {
			return err
		}
		audit(c, d, "procedure.delete", code, name)
		return c.Redirect("/admin/procedures?ok=procedure-deleted", fiber.StatusSeeOther)
	}
}

// importProcedures stores the catalogue entries of an uploaded CSV file
// (code,name), all or nothing, and shows the file's problems by line.
func importProcedures(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &proceduresView{}
		up := csvUpload{Max: maxProceduresCSV, MaxText: "2 MiB", Noun: "thủ tục", Load: d.Procedures.ImportProcedures}
		stats, name, problems, status, err := up.run(c, &v.orgForm)
		if err != nil {
			return err
		} else if status != fiber.StatusOK {
			v.ImportErrors = problems
			return renderProcedures(c, d, v, status, "")
		}
		n := strconv.Itoa(stats.Rows)
		audit(c, d, "procedures.import", "procedures", n+" rows from "+name)
		return renderProcedures(c, d, v, fiber.StatusOK, "Đã nhập "+n+" thủ tục. / Imported "+n+" procedures.")
	}
}
