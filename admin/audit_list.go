package admin

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The audit log, newest first, a page at a time; ?before=<Unix ns> pages
// back from an entry.

const auditPage = 50

type auditRow struct {
	At, Actor, Action, Target, Detail string
}

type auditView struct {
	Rows  []auditRow
	Next  string // ?before= of the next (older) page, "" at the end
	Paged bool   // not the first page
	Zone  string
}

func listAudit(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var before time.Time
		if b := c.Query("before"); b != "" {
			ns, err := strconv.ParseInt(b, 10, 64)
			if err != nil || ns <= 0 {
				return survey.Errorf(survey.EMALFORMED, "Tham số before không hợp lệ. / Invalid before parameter.")
			}
			before = time.Unix(0, ns)
		}
		entries := d.Audit.AuditLog(auditPage+1, before)
		v := &auditView{Paged: !before.IsZero(), Zone: d.Clock.Loc().String()}
		for i, e := range entries {
			if i == auditPage {
				v.Next = strconv.FormatInt(entries[i-1].At.UnixNano(), 10)
				break
			}
			v.Rows = append(v.Rows, auditRow{At: e.At.In(d.Clock.Loc()).Format("02/01/2006 15:04:05"), Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail})
		}
		return pages.Render(c, fiber.StatusOK, "sys_audit", page(c, "Nhật ký quản trị / Audit log", v))
	}
}
