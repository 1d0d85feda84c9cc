// Package web is the shared HTTP layer: the Fiber app and its error
// handler, security headers, authentication of API tokens and kiosks, JSON
// decoding, health and metrics. kiosk and analytics register their routes on
// the app it builds; they never import each other.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// BodyLimit is the largest request body accepted (SPEC: 413 above 64 KiB).
// The server reads bodies up to readLimit so that a client sending a little
// more gets a clean JSON 413 rather than a cut connection.
const (
	BodyLimit = 64 << 10
	readLimit = 4 << 20
)

// Deps are what handlers need: the storage services (interfaces of the
// domain, whatever the backend) and the HTTP settings.
type Deps struct {
	*survey.Services
	Log       *slog.Logger
	Metrics   *Metrics
	PublicURL string // base of links printed in QR codes and pairing URLs
	Secure    bool   // cookies get the Secure attribute (TLS in front)
	// TrustedProxies may set X-Forwarded-For / X-Forwarded-Proto; from
	// anyone else those headers are ignored (ClientAddr).
	TrustedProxies Proxies
	Clients        *ClientKeys // keyed hashes of client addresses for rate limits
	Sender         SenderInfo  // the outbox sender as the server runs it (admin pages)
	// Limits counts the rate limits and login throttles (nil: one
	// process's memory, survey.MemoryLimits); the wiring gives the
	// store's when it is shared by several servers.
	Limits survey.LimitService
	// Health reports whether the store can be reached (nil: always);
	// /healthz answers 503 with its error.
	Health func() error
}

// SenderInfo is what the pages know of the sender of the outbox (package
// notify, started by the server).
type SenderInfo struct {
	SMTP string // the SMTP configuration with its password masked; "" = mail not configured
	Wake func() // makes the sender look at the outbox now; nil when none runs
}

// New builds the Fiber app with the error handler, security headers,
// metrics and the health route.
func New(d *Deps) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "hailong",
		BodyLimit:             readLimit,
		ErrorHandler:          ErrorHandler(d.Log),
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ReadBufferSize:        16 << 10,
		// No ProxyHeader: c.IP() is always the TCP peer, and the client's
		// address comes from ClientAddr alone. The proxy check stays on so
		// that c.Protocol() believes X-Forwarded-Proto only from a proxy.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.TrustedProxies.strings(),
	})
	if d.Clients == nil {
		ck, err := NewClientKeys(d.Settings)
		if err != nil {
			d.Log.Error("client keys", "err", err)
			ck = &ClientKeys{key: []byte("fallback")}
		}
		d.Clients = ck
	}
	if d.Limits == nil {
		d.Limits = survey.NewMemoryLimits()
	}
	app.Use(recoverer(d.Log))
	if d.Metrics != nil {
		app.Use(d.Metrics.Middleware())
		app.Get("/metrics", d.Metrics.Handler())
	}
	app.Use(securityHeaders, limitBody)
	app.Get("/healthz", healthz(d))
	return app
}

// NotFound is the last handler: a JSON 404 for API paths.
func NotFound(c *fiber.Ctx) error {
	return &survey.Error{Code: survey.ENOTFOUND, Message: "Không tìm thấy trang. / Not found."}
}

var statusOf = map[string]int{
	survey.EMALFORMED:    fiber.StatusBadRequest,
	survey.EUNAUTHORIZED: fiber.StatusUnauthorized,
	survey.EFORBIDDEN:    fiber.StatusForbidden,
	survey.ENOTFOUND:     fiber.StatusNotFound,
	survey.ECONFLICT:     fiber.StatusConflict,
	survey.EGONE:         fiber.StatusGone,
	survey.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	survey.EUNSUPPORTED:  fiber.StatusUnsupportedMediaType,
	survey.EINVALID:      fiber.StatusUnprocessableEntity,
	survey.ERATELIMIT:    fiber.StatusTooManyRequests,
	survey.ELOCKED:       fiber.StatusServiceUnavailable,
	survey.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
}

// Status returns the HTTP status of an error code.
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return fiber.StatusInternalServerError
}

// ErrorHandler maps every error to one JSON shape:
// {"error": {"code", "message", "field"}}. Internal errors are logged and
// shown only as a generic message.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var fe *fiber.Error
		e := &survey.Error{}
		if errors.As(err, &e) {
			// use as is
		} else if errors.As(err, &fe) {
			e = fiberError(fe)
		} else {
			log.Error("internal error", "method", c.Method(), "path", LogPath(c.Path()), "err", err)
			e = &survey.Error{Code: survey.EINTERNAL, Message: survey.ErrorMessage(err)}
		}
		status := Status(e.Code)
		if status >= 500 && e.Code != survey.EINTERNAL {
			log.Error("server error", "method", c.Method(), "path", LogPath(c.Path()), "err", err)
		}
		if wantsHTML(c) {
			if err := errorPage(c, status, e); err != nil {
				log.Error("error page", "err", err)
				return c.Status(status).JSON(fiber.Map{"error": e})
			}
			return nil
		}
		return c.Status(status).JSON(fiber.Map{"error": e})
	}
}

func fiberError(fe *fiber.Error) *survey.Error {
	switch fe.Code {
	case fiber.StatusRequestEntityTooLarge:
		return survey.Errorf(survey.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa 64 KiB). / Request body larger than 64 KiB.")
	case fiber.StatusNotFound:
		return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy trang. / Not found.")
	case fiber.StatusMethodNotAllowed:
		return survey.Errorf(survey.EMALFORMED, "Phương thức không được hỗ trợ. / Method not allowed.")
	case fiber.StatusUnsupportedMediaType:
		return survey.Errorf(survey.EUNSUPPORTED, "Kiểu nội dung không được hỗ trợ. / Unsupported content type.")
	case fiber.StatusUnprocessableEntity:
		return survey.Errorf(survey.EINVALID, "%s", fe.Message)
	case fiber.StatusTooManyRequests:
		return survey.Errorf(survey.ERATELIMIT, "Quá nhiều yêu cầu, xin thử lại sau. / Too many requests, please retry later.")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return survey.Errorf(survey.EMALFORMED, "Yêu cầu không hợp lệ. / Bad request.")
	}
	return survey.Errorf(survey.EINTERNAL, "%s", survey.ErrorMessage(errors.New(fe.Message)))
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func recoverer(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", "method", c.Method(), "path", LogPath(c.Path()), "panic", r)
				err = errors.New("panic")
			}
		}()
		return c.Next()
	}
}

// UploadLimit is the largest multipart upload (staff photos, CSV imports);
// each upload handler applies its own, smaller limit to the file.
const UploadLimit = 2 << 20

// limitBody refuses bodies over BodyLimit (UploadLimit for multipart
// uploads) with a 413.
func limitBody(c *fiber.Ctx) error {
	limit := BodyLimit
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		limit = UploadLimit
	}
	if len(c.Body()) > limit {
		if limit == UploadLimit {
			return survey.Errorf(survey.ETOOLARGE, "Tệp gửi lên quá lớn (tối đa 2 MiB). / Upload larger than 2 MiB.")
		}
		return survey.Errorf(survey.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa 64 KiB). / Request body larger than 64 KiB.")
	}
	return c.Next()
}

// securityHeaders sets a strict CSP (no inline script or style) and friends.
func securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	return c.Next()
}

// secretPaths are path prefixes whose next segment is a secret (a receipt
// token, a pairing code): logs show the route, never the secret.
var secretPaths = []string{"/r/", "/receipts/", "/api/v1/receipts/", "/kiosk/pair/"}

// LogPath is path with any secret segment replaced by "…".
func LogPath(path string) string {
	for _, p := range secretPaths {
		if rest, ok := strings.CutPrefix(path, p); ok {
			if _, tail, found := strings.Cut(rest, "/"); found {
				return p + "…/" + tail
			}
			return p + "…"
		}
	}
	return path
}

// healthz answers 200 while the store can be reached and 503 with the
// reason while it cannot (a load balancer then sends no traffic here); the
// error's details go to the log, never to the public answer.
func healthz(d *Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if d.Health != nil {
			if err := d.Health(); err != nil {
				d.Log.Warn("health check: store unreachable", "err", err)
				return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "database unreachable"})
			}
		}
		return c.JSON(fiber.Map{"status": "ok"})
	}
}

// errStoreDown answers a request whose credential could not be checked
// because the database cannot be reached (PostgreSQL restarting or failing
// over): a 503 that kiosks and integrations retry, never a 401 that would
// make a kiosk think it was unpaired.
var errStoreDown = &survey.Error{Code: survey.EUNAVAILABLE,
	Message: "Cơ sở dữ liệu tạm thời không trả lời, xin thử lại sau. / The database is not answering for the moment: please try again."}

// StoreDown answers a lookup that could not be asked (the store closing,
// its database away): 503, which kiosks and integrations retry.
func StoreDown(err error) error {
	if errors.Is(err, survey.ErrClosed) {
		return err
	}
	return fmt.Errorf("%w (%v)", errStoreDown, err)
}
