package admin

import (
	"bufio"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"hailong/web"
)

// The online backup: a consistent copy of the whole database streamed from
// one read transaction. bbolt readers do not block writers, so kiosks keep
// submitting while the file downloads; the copy is the database as it was
// when the download started.

type backupView struct {
	Path string
	Size string
	Zone string
}

func showBackup(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &backupView{Path: d.Maint.Location(), Size: sizeText(d.Maint.Size()), Zone: d.Clock.Loc().String()}
		return pages.Render(c, fiber.StatusOK, "sys_backup", page(c, "Sao lưu / Backup", v))
	}
}

func downloadBackup(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		snap, err := d.Maint.Snapshot()
		if err != nil {
			return err
		}
		size := snap.Size()
		name := "hailong-" + d.Clock.Now().In(d.Clock.Loc()).Format("20060102-1504") + ".db"
		audit(c, d, "backup.download", name, strconv.FormatInt(size, 10)+" bytes")
		c.Set(fiber.HeaderContentType, "application/octet-stream")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		// The writer runs in its own goroutine while the response is sent;
		// if the client goes away its writes fail and the read transaction
		// ends all the same.
		body := fasthttp.NewStreamReader(func(w *bufio.Writer) {
			defer snap.Close()
			if _, err := snap.WriteTo(w); err != nil {
				d.Log.Warn("backup download cut short", "err", err)
			}
		})
		c.Context().SetBodyStream(body, int(size))
		return nil
	}
}

// sizeText writes a byte count for people: "12.3 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatInt(n/1024, 10) + " KB"
}
