// Package static embeds the CSS, JavaScript, images and fonts. Asset URLs
// carry a content hash so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed css
var files embed.FS

var hashes = map[string]string{}

func init() {
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := files.ReadFile(p)
		sum := sha256.Sum256(b)
		hashes[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
}

// URL returns the cache-busting URL of an embedded asset ("css/app.css").
func URL(name string) string {
	return "/static/" + name + "?v=" + hashes[name]
}

// Handler serves /static/*. A request carrying the current hash is cached
// for a year; others must revalidate.
func Handler(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	b, err := files.ReadFile(name)
	if err != nil {
		return fiber.ErrNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	if v := c.Query("v"); v != "" && v == hashes[name] {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	return c.Send(b)
}
