// Package static embeds the CSS, JavaScript and fonts. Asset URLs carry a
// content hash so browsers may cache them for a year; text assets are
// gzipped once at start-up and served compressed to clients that accept it.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed css js fonts/*.woff2
var files embed.FS

// asset is an embedded file as served.
type asset struct {
	body  []byte
	gz    []byte // nil when compression does not pay (fonts are compressed already)
	hash  string
	ctype string
}

var assets = map[string]*asset{}

var types = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".png":   "image/png",
	".json":  "application/json",
}

// cssURL matches url(../fonts/x.woff2) in a stylesheet: references to other
// embedded assets, rewritten to their hashed URLs.
var cssURL = regexp.MustCompile(`url\(\s*['"]?\.\./([a-z0-9_./-]+)['"]?\s*\)`)

func init() {
	var css []string
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) == ".css" {
			css = append(css, p) // after the files they reference are hashed
			return nil
		}
		b, _ := files.ReadFile(p)
		add(p, b)
		return nil
	})
	for _, p := range css {
		b, _ := files.ReadFile(p)
		b = cssURL.ReplaceAllFunc(b, func(m []byte) []byte {
			name := string(cssURL.FindSubmatch(m)[1])
			if assets[name] == nil {
				panic("static: " + p + " refers to missing " + name)
			}
			return []byte("url(" + URL(name) + ")")
		})
		add(p, b)
	}
}

func add(name string, b []byte) {
	sum := sha256.Sum256(b)
	a := &asset{body: b, hash: hex.EncodeToString(sum[:])[:12], ctype: types[path.Ext(name)]}
	if a.ctype == "" {
		a.ctype = "application/octet-stream"
	}
	if !strings.HasPrefix(a.ctype, "font/") && !strings.HasPrefix(a.ctype, "image/png") {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		if buf.Len() < len(b) {
			a.gz = buf.Bytes()
		}
	}
	assets[name] = a
}

// URL returns the cache-busting URL of an embedded asset ("css/app.css").
func URL(name string) string {
	a := assets[name]
	if a == nil {
		panic("static: no asset " + name) // a typo in a template: fail at start-up, in tests
	}
	return "/static/" + name + "?v=" + a.hash
}

// Handler serves /static/*. A request carrying the current hash is cached
// for a year; others must revalidate.
func Handler(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	a := assets[name]
	if a == nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, a.ctype)
	if v := c.Query("v"); v != "" && v == a.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	if a.gz != nil {
		c.Vary(fiber.HeaderAcceptEncoding)
		if acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(a.gz)
		}
	}
	return c.Send(a.body)
}

// acceptsGzip reads Accept-Encoding, honouring an explicit "gzip;q=0".
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// Bytes returns the content of an embedded asset as served (nil if none):
// for the kiosk's service worker, which is served from /kiosk/ for its scope.
func Bytes(name string) []byte {
	if a := assets[name]; a != nil {
		return a.body
	}
	return nil
}
