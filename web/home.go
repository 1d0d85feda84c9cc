package web

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
)

// home is the page at /: what this server is and where to go, so that a
// newcomer opening the address after `make run` is not met by a JSON 404.
var home = template.Must(template.New("home").Funcs(template.FuncMap{"css": static.URL}).Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hài Lòng – Khảo sát sự hài lòng</title>
<link rel="stylesheet" href="{{css "css/page.css"}}">
</head>
<body>
<main role="main">
<h1>Hài Lòng</h1>
<p>Hệ thống khảo sát sự hài lòng của người dân tại Bộ phận Tiếp nhận và Trả kết quả đang hoạt động.</p>
<p class="en" lang="en">The satisfaction-survey system for one-stop reception desks is running.</p>
<p><a href="/login">Đăng nhập dành cho cán bộ / Staff log in</a></p>
<p><a href="/kiosk">Ki-ốt đánh giá tại quầy / Counter kiosk</a></p>
<p><a href="/cong-khai">Kết quả khảo sát công khai / Published results</a></p>
<p class="en">API: <code>POST /api/v1/responses</code>, <code>GET /api/v1/analytics/summary</code> · <a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a></p>
</main>
</body>
</html>`))

// Home serves the landing page.
func Home(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return home.Execute(c.Response().BodyWriter(), nil)
}
