package publish

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// output is a rendered public response, kept in the cache as bytes: the
// body, its gzip form and its entity tag.
type output struct {
	body, gz []byte
	etag     string
	ctype    string
}

// outputSize weighs an output in the cache.
func outputSize(o *output) int { return len(o.body) + len(o.gz) + 128 }

func newOutput(ctype string, body []byte) *output {
	sum := sha256.Sum256(body)
	o := &output{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if len(body) > 512 {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(body)
		w.Close()
		if buf.Len() < len(body) {
			o.gz = buf.Bytes()
		}
	}
	return o
}

// send writes o with status 200 and "Cache-Control: public, max-age=<maxAge>",
// or 304 when the client already holds this version (If-None-Match).
func send(c *fiber.Ctx, o *output, maxAge int) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(maxAge))
	c.Set(fiber.HeaderETag, o.etag)
	c.Set(fiber.HeaderVary, "Accept-Encoding")
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatch(inm, o.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, o.ctype)
	if o.gz != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(o.gz)
	}
	return c.Send(o.body)
}

// etagMatch reads If-None-Match: a list of tags (weak ones compare equal
// to strong ones, RFC 9110) or "*".
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding, honouring an explicit "gzip;q=0".
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// noStore marks a response that must not be cached (a notice while
// publication is off, an error): turning publication on shows at once.
func noStore(c *fiber.Ctx) { c.Set(fiber.HeaderCacheControl, "no-store") }

// allowFraming replaces the global frame denial (web.securityHeaders:
// "frame-ancestors 'none'" and X-Frame-Options DENY) with the configured
// portal origins. X-Frame-Options cannot name several origins, so it is
// removed; browsers that know CSP follow frame-ancestors. Without origins
// the denial stays.
func allowFraming(c *fiber.Ctx, origins []string) {
	if len(origins) == 0 {
		return
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderContentSecurityPolicy, rewriteFrameAncestors(string(h.Peek(fiber.HeaderContentSecurityPolicy)), origins))
	h.Del(fiber.HeaderXFrameOptions)
}

// rewriteFrameAncestors puts "frame-ancestors <origins>" in policy csp in
// place of "frame-ancestors 'none'" (or adds it).
func rewriteFrameAncestors(csp string, origins []string) string {
	allowed := "frame-ancestors " + strings.Join(origins, " ")
	switch {
	case csp == "":
		return allowed
	case strings.Contains(csp, "frame-ancestors 'none'"):
		return strings.Replace(csp, "frame-ancestors 'none'", allowed, 1)
	}
	return strings.TrimSuffix(strings.TrimSpace(csp), ";") + "; " + allowed
}
