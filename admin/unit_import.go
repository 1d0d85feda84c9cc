package admin

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// maxUnitsCSV bounds an uploaded units file: a whole province's units
// (tens of thousands of lines) fit well below it.
const maxUnitsCSV = 1 << 20

// importUnits stores the units of an uploaded CSV file (id,name,parent,
// group), all or nothing, and shows the file's problems by line.
func importUnits(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &unitsView{}
		up := csvUpload{Max: maxUnitsCSV, MaxText: "1 MiB", Noun: "đơn vị", Load: d.Org.ImportUnits}
		stats, name, problems, status, err := up.run(c, &v.orgForm)
		if err != nil {
			return err
		} else if status != fiber.StatusOK {
			v.ImportErrors = problems
			return renderUnits(c, d, v, status, "")
		}
		n := strconv.Itoa(stats.Rows)
		audit(c, d, "units.import", "units", n+" rows from "+name)
		return renderUnits(c, d, v, fiber.StatusOK, "Đã nhập "+n+" đơn vị. / Imported "+n+" units.")
	}
}
