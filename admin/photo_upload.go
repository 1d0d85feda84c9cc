package admin

import (
	"io"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// uploadPhoto stores a staff member's photo from a multipart form (field
// "photo"). The store reads the format from the bytes (JPEG, PNG, WebP);
// the file name and declared type are ignored. A refused file re-renders
// the page with the message beside the field (413 too large, 422 not an
// image) and stores nothing.
func uploadPhoto(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s, err := staffOf(c, d)
		if err != nil {
			return err
		}
		v := &staffEditView{}
		img, status := readPhoto(c, &v.orgForm)
		if status != 0 {
			return renderStaffEdit(c, d, v, status)
		}
		ctype, err := d.Staff.SetStaffPhoto(s.ID, img)
		if err != nil {
			status, err := v.take(err, "staff-", "photo")
			if err != nil {
				return err
			}
			return renderStaffEdit(c, d, v, status)
		}
		audit(c, d, "staff.photo", s.ID, ctype+", "+strconv.Itoa(len(img))+" bytes")
		return c.Redirect("/admin/staff/"+url.PathEscape(s.ID)+"/edit?ok=photo-saved", fiber.StatusSeeOther)
	}
}

// readPhoto reads the uploaded file, at most survey.MaxPhotoBytes; on a
// problem it records the message and returns the status to answer with.
func readPhoto(c *fiber.Ctx, f *orgForm) ([]byte, int) {
	tooLarge := "Ảnh lớn quá 512 KiB: hãy thu nhỏ ảnh rồi gửi lại. / The photo is larger than 512 KiB: make it smaller and try again."
	fh, err := c.FormFile("photo")
	if err != nil {
		f.fail("staff-photo", "Hãy chọn một tệp ảnh (JPEG, PNG hoặc WebP). / Choose an image file (JPEG, PNG or WebP).")
		return nil, fiber.StatusUnprocessableEntity
	}
	if fh.Size > survey.MaxPhotoBytes {
		f.fail("staff-photo", tooLarge)
		return nil, fiber.StatusRequestEntityTooLarge
	}
	file, err := fh.Open()
	if err != nil {
		f.fail("staff-photo", "Không đọc được tệp, xin gửi lại. / The file could not be read; please try again.")
		return nil, fiber.StatusBadRequest
	}
	defer file.Close()
	img, err := io.ReadAll(io.LimitReader(file, survey.MaxPhotoBytes+1))
	if err != nil {
		f.fail("staff-photo", "Không đọc được tệp, xin gửi lại. / The file could not be read; please try again.")
		return nil, fiber.StatusBadRequest
	}
	if len(img) > survey.MaxPhotoBytes {
		f.fail("staff-photo", tooLarge)
		return nil, fiber.StatusRequestEntityTooLarge
	}
	return img, 0
}

func deletePhoto(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s, err := staffOf(c, d)
		if err != nil {
			return err
		}
		if err := d.Staff.DeleteStaffPhoto(s.ID); err != nil {
			return err
		}
		audit(c, d, "staff.photo.delete", s.ID, "")
		return c.Redirect("/admin/staff/"+url.PathEscape(s.ID)+"/edit?ok=photo-deleted", fiber.StatusSeeOther)
	}
}
