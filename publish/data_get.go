package publish

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
)

// getJSON handles GET /cong-khai/data.json[?p=2025|2025-q3]: the open data
// of the period (docs/OPEN_DATA.md). Errors are JSON: 422 for a malformed
// period, 404 for a period with nothing published or while publication is
// off.
func (s *server) getJSON(c *fiber.Ctx) error {
	r, err := s.parse(c, "")
	if err != nil {
		noStore(c)
		return err
	}
	r.lang = "" // both languages are in the file
	out, err := s.cached(r, "json", func(snap *snapshot) (*output, error) {
		body, err := json.Marshal(buildData(snap, publisher(s.d.Org)))
		if err != nil {
			return nil, err
		}
		return newOutput(fiber.MIMEApplicationJSONCharsetUTF8, body), nil
	})
	if err != nil {
		return err
	}
	openData(c)
	return send(c, out, fileMaxAge)
}

// getCSV handles GET /cong-khai/data.csv[?p=…]: the same figures as one
// CSV table.
func (s *server) getCSV(c *fiber.Ctx) error {
	r, err := s.parse(c, "")
	if err != nil {
		noStore(c)
		return err
	}
	r.lang = ""
	out, err := s.cached(r, "csv", func(snap *snapshot) (*output, error) {
		body, err := buildCSV(buildData(snap, publisher(s.d.Org)))
		if err != nil {
			return nil, err
		}
		return newOutput("text/csv; charset=utf-8", body), nil
	})
	if err != nil {
		return err
	}
	openData(c)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="hailong-cong-khai-`+r.choice.Key+`.csv"`)
	return send(c, out, fileMaxAge)
}

// openData marks a data file as open: any site may read it from a script,
// and it names its licence.
func openData(c *fiber.Ctx) {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set("Link", "<"+LicenceURL+`>; rel="license"`)
}
