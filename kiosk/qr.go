package kiosk

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"hailong/survey"
)

// QR codes for slips and posters. A survey URL is ~80 characters (public
// address, /r/ and a 43-character token): at error-correction level Q (25 %
// of the code may be smudged or creased) that is a version 6–7 code, 41–45
// modules plus the 4-module quiet zone. The A5 slip prints it 40 mm wide and
// the roll 46 mm, quiet zone included: 0.75–0.9 mm a module, which phone
// cameras read from paper at arm's length and a 203 dpi thermal head draws
// with 6–7 dots.
const (
	qrLevel     = qrcode.High // go-qrcode's High is level Q (25 %)
	qrPNGModule = 8           // pixels per module in the PNG
)

func newQR(content string) (*qrcode.QRCode, error) {
	q, err := qrcode.New(content, qrLevel)
	if err != nil {
		return nil, survey.Errorf(survey.EINVALID, "Không tạo được mã QR. / Cannot make the QR code.")
	}
	return q, nil
}

// qrPNG draws content as a PNG, qrPNGModule pixels per module.
func qrPNG(content string) ([]byte, error) {
	q, err := newQR(content)
	if err != nil {
		return nil, err
	}
	return q.PNG(-qrPNGModule)
}

// qrPath returns the code as one SVG path (each dark module a unit square)
// and its size in modules, quiet zone included.
func qrPath(content string) (string, int, error) {
	q, err := newQR(content)
	if err != nil {
		return "", 0, err
	}
	bm := q.Bitmap()
	var b strings.Builder
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	return b.String(), len(bm), nil
}

// qrSVG draws content as a standalone SVG document.
func qrSVG(content string) ([]byte, error) {
	path, n, err := qrPath(content)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, n*8, n*8, n, n, path)), nil
}

// qrInline is the code for a page: an <svg> drawn inline, so that a printed
// slip or poster needs no second request.
type qrInline struct {
	Path template.HTMLAttr // d="…" (only digits and path letters)
	Size int
}

func inlineQR(content string) (qrInline, error) {
	path, n, err := qrPath(content)
	if err != nil {
		return qrInline{}, err
	}
	return qrInline{Path: template.HTMLAttr(`d="` + path + `"`), Size: n}, nil
}

// sendQR answers with the code of content as PNG or SVG (format "png" or
// "svg"). A receipt's code carries its token: private, never stored by
// caches; a poster's is public.
func sendQR(c *fiber.Ctx, content, format string, public bool) error {
	var body []byte
	var err error
	switch format {
	case "png":
		body, err = qrPNG(content)
		c.Set(fiber.HeaderContentType, "image/png")
	case "svg":
		body, err = qrSVG(content)
		c.Set(fiber.HeaderContentType, "image/svg+xml")
	default:
		return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy trang. / Not found.")
	}
	if err != nil {
		return err
	}
	if public {
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	return c.Send(body)
}
