package admin

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Deliveries (Quản trị → Các lần gửi): the outbox, newest first — webhook
// calls, e-mails and the alerts that become e-mails — with every attempt
// (time, status, error, duration), the next attempt of those pending, and
// "send again", which puts one back to pending, due now (audited).

type attemptRow struct {
	At, Error, Duration string
	Status              int
}

type deliveryRow struct {
	ID, Kind, Target, Event, State, Created, Next string
	Attempts                                      []attemptRow
}

type deliveriesView struct {
	Rows                  []deliveryRow
	Kind, State, Webhook  string
	Kinds, States         []string
	Zone                  string
	PendingMail, NoSender bool
}

func listDeliveries(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q := survey.DeliveryQuery{Kind: c.Query("kind"), State: c.Query("state"), Webhook: c.Query("webhook"), Limit: 200}
		kinds := []string{survey.DeliverWebhook, survey.DeliverMail, survey.DeliverAlert}
		states := []string{survey.DeliveryPending, survey.DeliveryDelivered, survey.DeliveryFailed}
		if q.Kind != "" && !slices.Contains(kinds, q.Kind) {
			return survey.FieldError("kind", "Loại không hợp lệ. / Unknown kind.")
		}
		if q.State != "" && !slices.Contains(states, q.State) {
			return survey.FieldError("state", "Trạng thái không hợp lệ. / Unknown state.")
		}
		ds, err := d.Outbox.Deliveries(q)
		if err != nil {
			return err
		}
		loc := d.Clock.Loc()
		names := map[string]string{}
		for _, w := range d.Outbox.Webhooks() {
			names[w.ID] = w.Name
		}
		v := &deliveriesView{Kind: q.Kind, State: q.State, Webhook: q.Webhook, Kinds: kinds, States: states, Zone: loc.String(),
			PendingMail: d.Outbox.PendingCount()[survey.DeliverMail] > 0, NoSender: d.Sender.SMTP == ""}
		for i := range ds {
			v.Rows = append(v.Rows, deliveryRowOf(&ds[i], names, loc))
		}
		return pages.Render(c, fiber.StatusOK, "sys_deliveries", withFlash(c, page(c, "Các lần gửi / Deliveries", v)))
	}
}

func deliveryRowOf(x *survey.Delivery, names map[string]string, loc *time.Location) deliveryRow {
	const layout = "02/01/2006 15:04:05"
	r := deliveryRow{ID: x.ID, Kind: x.Kind, State: x.State, Created: x.CreatedAt.In(loc).Format(layout)}
	switch {
	case x.Mail != nil:
		r.Target, r.Event = x.Mail.To, x.Mail.Subject
	case x.Webhook != "":
		r.Target = names[x.Webhook]
		if r.Target == "" {
			r.Target = x.Webhook + " (đã xoá / deleted)"
		}
	}
	if x.Event != nil {
		r.Event = x.Event.Type + " · " + x.Event.ID
	}
	if x.State == survey.DeliveryPending {
		r.Next = x.NextAt.In(loc).Format(layout)
	}
	for _, a := range x.Attempts {
		r.Attempts = append(r.Attempts, attemptRow{At: a.At.In(loc).Format(layout), Status: a.Status, Error: a.Error,
			Duration: strconv.FormatInt(a.Duration.Milliseconds(), 10) + " ms"})
	}
	return r
}

func redeliver(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := d.Outbox.Redeliver(param(c, "id"), web.Who(c).Actor()); err != nil {
			return err
		}
		if d.Sender.Wake != nil {
			d.Sender.Wake()
		}
		return c.Redirect("/admin/deliveries?ok=redelivered", fiber.StatusSeeOther)
	}
}
