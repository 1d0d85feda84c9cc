package admin

import (
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// csvUpload is an import from a CSV file uploaded as the form field "file"
// (the units and the procedure catalogue): at most Max bytes, stored all or
// nothing by Load. Problems go beside the "csv-file" input; a refused file's
// problems by line in Problems.
type csvUpload struct {
	Max     int64
	MaxText string // "1 MiB"
	Noun    string // what the file holds, in Vietnamese: "đơn vị"
	Load    func(io.Reader) (survey.ImportStats, error)
}

// run imports the uploaded file. A status other than 200 means nothing was
// stored: f then holds the message and problems the file's problems by
// line. err is an error that is not the user's.
func (u csvUpload) run(c *fiber.Ctx, f *orgForm) (st survey.ImportStats, filename string, problems []survey.ImportProblem, status int, err error) {
	fh, ferr := c.FormFile("file")
	if ferr != nil || fh.Size == 0 {
		f.fail("csv-file", "Hãy chọn một tệp CSV có dữ liệu. / Choose a CSV file with data.")
		return st, "", nil, fiber.StatusUnprocessableEntity, nil
	}
	if fh.Size > u.Max {
		f.fail("csv-file", "Tệp lớn quá "+u.MaxText+". / The file is larger than "+u.MaxText+".")
		return st, "", nil, fiber.StatusRequestEntityTooLarge, nil
	}
	file, err := fh.Open()
	if err != nil {
		return st, "", nil, 0, err
	}
	defer file.Close()
	st, err = u.Load(io.LimitReader(file, u.Max))
	var ie *survey.ImportError
	if errors.As(err, &ie) {
		n := strconv.Itoa(len(ie.Problems))
		f.fail("csv-file", "Tệp có "+n+" lỗi; chưa "+u.Noun+" nào được lưu. Sửa tệp theo danh sách bên dưới rồi gửi lại. / The file has "+n+
			" problems; nothing was stored. Fix them (listed below) and upload again.")
		return st, "", ie.Problems, fiber.StatusUnprocessableEntity, nil
	} else if err != nil {
		status, err := f.take(err, "csv-", "file")
		return st, "", nil, status, err
	}
	return st, fh.Filename, nil, fiber.StatusOK, nil
}
