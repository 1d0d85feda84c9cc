package admin

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"hailong/notify"
	"hailong/survey"
	"hailong/web"
)

// Webhooks (Quản trị → Webhook): the endpoints other systems registered
// with us, the events each one receives, and its secret — shown once, on
// the page answering the POST that created it (never in a URL). A URL that
// is not http(s), or resolves to a loopback, link-local, private or
// multicast address, is refused unless "allow a private address" is ticked
// (the sender checks the address it dials again at every call).

type webhookRow struct {
	ID, Name, URL, Created string
	Events                 []string
	AllowPrivate, Disabled bool
	Pending                int
}

type webhookForm struct {
	Name, URL    string
	Events       []string
	AllowPrivate bool
	formState
}

// Has reports whether event e is ticked.
func (f *webhookForm) Has(e string) bool { return slices.Contains(f.Events, e) }

type webhooksView struct {
	Hooks      []webhookRow
	EventTypes []eventOption
	Add        *webhookForm
	Secret     string // a new webhook's secret, shown once
	SecretName string
}

// eventOption is an event type with its description.
type eventOption struct{ Key, Name string }

// eventNames describe the event types on the page.
var eventNames = map[string]string{
	survey.EventResponseCreated: "Có phiếu đánh giá mới (tính hay loại) / A response was stored (counted or excluded)",
	survey.EventCaseOpened:      "Mở phản ánh, kiến nghị / A case was opened",
	survey.EventCaseUpdated:     "Phản ánh được cập nhật (trạng thái, trả lời, chuyển lên, đánh giá) / A case was updated",
	survey.EventDossierFinished: "Hồ sơ đã trả kết quả / A dossier's result was returned",
}

func listWebhooks(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderWebhooks(c, d, fiber.StatusOK, &webhooksView{})
	}
}

func renderWebhooks(c *fiber.Ctx, d *web.Deps, status int, v *webhooksView) error {
	pending := map[string]int{}
	if ds, err := d.Outbox.Deliveries(survey.DeliveryQuery{Kind: survey.DeliverWebhook, State: survey.DeliveryPending, Limit: 10000}); err == nil {
		for _, x := range ds {
			pending[x.Webhook]++
		}
	} else {
		return err
	}
	for _, w := range d.Outbox.Webhooks() {
		v.Hooks = append(v.Hooks, webhookRow{ID: w.ID, Name: w.Name, URL: w.URL, Events: w.Events, AllowPrivate: w.AllowPrivate,
			Disabled: w.Disabled, Created: w.CreatedAt.In(d.Clock.Loc()).Format("02/01/2006 15:04"), Pending: pending[w.ID]})
	}
	for _, e := range survey.EventTypes {
		v.EventTypes = append(v.EventTypes, eventOption{e, eventNames[e]})
	}
	if v.Add == nil {
		v.Add = &webhookForm{}
	}
	return pages.Render(c, status, "sys_webhooks", withFlash(c, page(c, "Webhook", v)))
}

func addWebhook(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := &webhookForm{Name: form(c, "name"), URL: form(c, "url"), AllowPrivate: c.FormValue("allow_private") == "on"}
		for _, e := range survey.EventTypes {
			if c.FormValue("event_"+e) == "on" {
				f.Events = append(f.Events, e)
			}
		}
		w := survey.Webhook{Name: f.Name, URL: f.URL, Events: f.Events, AllowPrivate: f.AllowPrivate}
		err := w.Validate()
		if err == nil {
			err = notify.CheckURL(c.UserContext(), w.URL, w.AllowPrivate)
		}
		if err == nil {
			if w, err = d.Outbox.PutWebhook(w, web.Who(c).Actor()); err == nil {
				return renderWebhooks(c, d, fiber.StatusCreated, &webhooksView{Secret: w.Secret, SecretName: w.Name})
			}
		}
		if e := f.failErr(err, "name", nil); e != nil {
			return e
		}
		return renderWebhooks(c, d, fiber.StatusUnprocessableEntity, &webhooksView{Add: f})
	}
}

// toggleWebhook turns a webhook off or on again (its secret and URL stay;
// a webhook turned back on is checked again as at registration).
func toggleWebhook(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		w, err := d.Outbox.Webhook(param(c, "id"))
		if err != nil {
			return err
		}
		w.Disabled = !w.Disabled
		if !w.Disabled {
			if err := notify.CheckURL(c.UserContext(), w.URL, w.AllowPrivate); err != nil {
				return err
			}
		}
		if _, err := d.Outbox.PutWebhook(*w, web.Who(c).Actor()); err != nil {
			return err
		}
		ok := "hook-enabled"
		if w.Disabled {
			ok = "hook-disabled"
		}
		return c.Redirect("/admin/webhooks?ok="+ok, fiber.StatusSeeOther)
	}
}

func deleteWebhook(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := d.Outbox.DeleteWebhook(param(c, "id"), web.Who(c).Actor()); err != nil {
			return err
		}
		return c.Redirect("/admin/webhooks?ok=hook-deleted", fiber.StatusSeeOther)
	}
}
