package admin

import (
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
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
		fh, err := c.FormFile("file")
		if err != nil || fh.Size == 0 {
			v.fail("csv-file", "Hãy chọn một tệp CSV có dữ liệu. / Choose a CSV file with data.")
			return renderUnits(c, d, v, fiber.StatusUnprocessableEntity, "")
		}
		if fh.Size > maxUnitsCSV {
			v.fail("csv-file", "Tệp lớn quá 1 MiB. / The file is larger than 1 MiB.")
			return renderUnits(c, d, v, fiber.StatusRequestEntityTooLarge, "")
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		stats, err := d.DB.ImportUnits(io.LimitReader(f, maxUnitsCSV))
		var ie *survey.ImportError
		if errors.As(err, &ie) {
			v.ImportErrors = ie.Problems
			n := strconv.Itoa(len(ie.Problems))
			v.fail("csv-file", "Tệp có "+n+" lỗi; chưa đơn vị nào được lưu. Sửa tệp theo danh sách bên dưới rồi gửi lại. / The file has "+n+" problems; nothing was stored. Fix them (listed below) and upload again.")
			return renderUnits(c, d, v, fiber.StatusUnprocessableEntity, "")
		} else if err != nil {
			status, err := v.take(err, "csv-", "file")
			if err != nil {
				return err
			}
			return renderUnits(c, d, v, status, "")
		}
		n := strconv.Itoa(stats.Rows)
		audit(c, d, "units.import", "units", n+" rows from "+fh.Filename)
		return renderUnits(c, d, v, fiber.StatusOK, "Đã nhập "+n+" đơn vị. / Imported "+n+" units.")
	}
}
