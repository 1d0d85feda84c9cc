package storetest

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"hailong/survey"
)

// hook registers a webhook for events, failing the test on error.
func (e *env) hook(t *testing.T, name string, events ...string) survey.Webhook {
	t.Helper()
	w, err := e.PutWebhook(survey.Webhook{Name: name, URL: "https://example.org/" + name, Events: events}, "admin")
	must(t, err)
	return w
}

// mail is a mail delivery with id, due at next.
func mail(id string, next time.Time) survey.Delivery {
	return survey.Delivery{ID: id, Kind: survey.DeliverMail, NextAt: next,
		Mail: &survey.Mail{To: "lan@example.org", Subject: "Thư thử — Test", Text: "Xin chào"}}
}

// deliveriesOf lists the deliveries of webhook id.
func (e *env) deliveriesOf(t *testing.T, id string) []survey.Delivery {
	t.Helper()
	ds, err := e.Deliveries(survey.DeliveryQuery{Webhook: id})
	must(t, err)
	return ds
}

var outboxCases = []testCase{
	{"PutWebhook/CreateUpdate", func(t *testing.T, e *env) {
		before := e.auditCount()
		w := e.hook(t, "mot-cua", survey.EventResponseCreated)
		if w.ID == "" || !w.CreatedAt.Equal(T0) {
			t.Fatalf("created %+v", w)
		}
		if b, err := base64.RawURLEncoding.DecodeString(w.Secret); err != nil || len(b) != 32 {
			t.Fatalf("secret %q: %d bytes, %v; want 32 random bytes", w.Secret, len(b), err)
		}
		equal(t, "audit entries", e.auditCount(), before+1)
		equal(t, "audit action", e.lastAudit(t).Action, "webhook.create")
		e.clock.Add(time.Hour)
		w.Events, w.Secret, w.Disabled = []string{survey.EventCaseOpened}, "", true
		got, err := e.PutWebhook(w, "admin")
		must(t, err)
		stored, err := e.Webhook(w.ID)
		must(t, err)
		for _, x := range []survey.Webhook{got, *stored} {
			if x.Secret == "" || !x.CreatedAt.Equal(T0) || !x.Disabled || len(x.Events) != 1 {
				t.Fatalf("updated %+v: want the secret and creation kept", x)
			}
		}
		equal(t, "audit action", e.lastAudit(t).Action, "webhook.update")
		equal(t, "webhooks", len(e.Webhooks()), 1)
	}},
	{"PutWebhook/ErrInvalid", func(t *testing.T, e *env) {
		for _, c := range []struct {
			w     survey.Webhook
			field string
		}{
			{survey.Webhook{Name: "", URL: "https://x.org", Events: []string{survey.EventCaseOpened}}, "name"},
			{survey.Webhook{Name: "a", URL: "ftp://x.org/", Events: []string{survey.EventCaseOpened}}, "url"},
			{survey.Webhook{Name: "a", URL: "https://u:p@x.org/", Events: []string{survey.EventCaseOpened}}, "url"},
			{survey.Webhook{Name: "a", URL: "https://x.org/", Events: nil}, "events"},
			{survey.Webhook{Name: "a", URL: "https://x.org/", Events: []string{"case.deleted"}}, "events"},
		} {
			_, err := e.PutWebhook(c.w, "admin")
			wantErr(t, err, survey.EINVALID, c.field)
		}
		equal(t, "webhooks", len(e.Webhooks()), 0)
		equal(t, "audit entries", e.auditCount(), 0)
		_, err := e.PutWebhook(survey.Webhook{ID: "nope", Name: "a", URL: "https://x.org/", Events: []string{survey.EventCaseOpened}}, "admin")
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.Webhook("nope")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"Enqueue/Idempotent", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("digest-2026-W10-lan", T0)))
		again := mail("digest-2026-W10-lan", T0)
		again.Mail.Subject = "another"
		must(t, e.Enqueue(again))
		d, err := e.Delivery("digest-2026-W10-lan")
		must(t, err)
		equal(t, "subject", d.Mail.Subject, "Thư thử — Test")
		equal(t, "state", d.State, survey.DeliveryPending)
		equal(t, "pending mails", e.PendingCount()[survey.DeliverMail], 1)
		bad := mail("bad", T0)
		bad.Mail.To = "not an address"
		wantErr(t, e.Enqueue(mail("ok", T0), bad), survey.EINVALID, "to")
		_, err = e.Delivery("ok")
		wantErr(t, err, survey.ENOTFOUND) // all or nothing
		wantErr(t, e.Enqueue(survey.Delivery{Kind: "fax"}), survey.EINVALID, "kind")
		must(t, e.Enqueue(survey.Delivery{Kind: survey.DeliverMail, Mail: mail("", T0).Mail}))
		equal(t, "pending mails", e.PendingCount()[survey.DeliverMail], 2) // an empty id got one
	}},
	{"Due/Order", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("c", T0.Add(2*time.Minute)), mail("a", T0.Add(-time.Minute)), mail("b", T0), mail("later", T0.Add(time.Hour))))
		ds, err := e.Due(T0.Add(2*time.Minute), 10)
		must(t, err)
		equalSlice(t, "due", ids(ds, func(d survey.Delivery) string { return d.ID }), []string{"a", "b", "c"})
		ds, err = e.Due(T0.Add(2*time.Minute), 2)
		must(t, err)
		equal(t, "limited", len(ds), 2)
		ds, err = e.Due(T0.Add(-2*time.Minute), 10)
		must(t, err)
		equal(t, "due before any", len(ds), 0)
	}},
	{"Attempted/Backoff", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("m", T0)))
		at := T0
		for n := 1; n < survey.MaxAttempts; n++ {
			must(t, e.Attempted("m", survey.Attempt{At: at, Status: 451, Error: "try later"}, false))
			d, err := e.Delivery("m")
			must(t, err)
			equal(t, "state", d.State, survey.DeliveryPending)
			equal(t, "next", d.NextAt, at.Add(survey.Backoff(n)))
			if ds, _ := e.Due(d.NextAt.Add(-time.Nanosecond), 10); len(ds) != 0 {
				t.Fatalf("attempt %d: due before its next attempt", n)
			}
			if ds, _ := e.Due(d.NextAt, 10); len(ds) != 1 {
				t.Fatalf("attempt %d: not due at its next attempt", n)
			}
			at = d.NextAt
		}
		must(t, e.Attempted("m", survey.Attempt{At: at, Error: "refused"}, false))
		d, err := e.Delivery("m")
		must(t, err)
		equal(t, "state", d.State, survey.DeliveryFailed)
		equal(t, "attempts", len(d.Attempts), survey.MaxAttempts)
		if ds, _ := e.Due(at.AddDate(1, 0, 0), 10); len(ds) != 0 {
			t.Fatal("a failed delivery is still due")
		}
		wantErr(t, e.Attempted("nope", survey.Attempt{At: at}, true), survey.ENOTFOUND)
	}},
	{"Attempted/Delivered", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("m", T0)))
		must(t, e.Attempted("m", survey.Attempt{At: T0, Status: 250, Duration: time.Millisecond}, true))
		d, err := e.Delivery("m")
		must(t, err)
		equal(t, "state", d.State, survey.DeliveryDelivered)
		equal(t, "status", d.Attempts[0].Status, 250)
		equal(t, "pending", len(e.PendingCount()), 0)
	}},
	{"PruneDeliveries", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("old-sent", T0), mail("old-failed", T0), mail("old-pending", T0)))
		must(t, e.Attempted("old-sent", survey.Attempt{At: T0, Status: 250}, true))
		for i := 0; i < survey.MaxAttempts; i++ {
			must(t, e.Attempted("old-failed", survey.Attempt{At: T0, Error: "down"}, false))
		}
		e.clock.Add(48 * time.Hour)
		must(t, e.Enqueue(mail("new-sent", e.Now())))
		must(t, e.Attempted("new-sent", survey.Attempt{At: e.Now(), Status: 250}, true))
		n, err := e.PruneDeliveries(T0.Add(24 * time.Hour))
		must(t, err)
		equal(t, "pruned", n, 2)
		ds, err := e.Deliveries(survey.DeliveryQuery{})
		must(t, err)
		equalSlice(t, "kept", sorted(ids(ds, func(d survey.Delivery) string { return d.ID })), []string{"new-sent", "old-pending"})
		equal(t, "still due", e.PendingCount()[survey.DeliverMail], 1)
	}},
	{"Redeliver", func(t *testing.T, e *env) {
		must(t, e.Enqueue(mail("m", T0)))
		for i := 0; i < survey.MaxAttempts; i++ {
			must(t, e.Attempted("m", survey.Attempt{At: T0, Error: "down"}, false))
		}
		e.clock.Add(time.Hour)
		must(t, e.Redeliver("m", "admin"))
		equal(t, "audit action", e.lastAudit(t).Action, "delivery.redeliver")
		ds, err := e.Due(e.Now(), 10)
		must(t, err)
		equal(t, "due again", len(ds), 1)
		must(t, e.Attempted("m", survey.Attempt{At: e.Now(), Error: "down"}, false))
		d, err := e.Delivery("m")
		must(t, err)
		equal(t, "state", d.State, survey.DeliveryPending) // the backoff starts again
		equal(t, "next", d.NextAt, e.Now().Add(survey.Backoff(1)))
		wantErr(t, e.Redeliver("nope", "admin"), survey.ENOTFOUND)
	}},
	{"DeleteWebhook/FailsPending", func(t *testing.T, e *env) {
		e.org(t)
		w := e.hook(t, "mot-cua", survey.EventResponseCreated)
		keep := e.hook(t, "sms", survey.EventResponseCreated)
		e.submit(t, e.response())
		equal(t, "pending", e.PendingCount()[survey.DeliverWebhook], 2)
		must(t, e.DeleteWebhook(w.ID, "admin"))
		equal(t, "audit action", e.lastAudit(t).Action, "webhook.delete")
		ds := e.deliveriesOf(t, w.ID)
		if len(ds) != 1 || ds[0].State != survey.DeliveryFailed {
			t.Fatalf("deliveries of the deleted webhook: %+v", ds)
		}
		equal(t, "pending", e.PendingCount()[survey.DeliverWebhook], 1)
		equal(t, "the other's", e.deliveriesOf(t, keep.ID)[0].State, survey.DeliveryPending)
		wantErr(t, e.DeleteWebhook(w.ID, "admin"), survey.ENOTFOUND)
	}},
	{"Emit/ResponseCreated", func(t *testing.T, e *env) {
		e.org(t)
		e.submit(t, e.response()) // no webhook: nothing written
		equal(t, "deliveries", len(e.deliveriesOf(t, "")), 0)
		want := e.hook(t, "mot-cua", survey.EventResponseCreated)
		other := e.hook(t, "cases", survey.EventCaseOpened)
		off := e.hook(t, "off", survey.EventResponseCreated)
		off.Disabled = true
		_, err := e.PutWebhook(off, "admin")
		must(t, err)
		r := e.response()
		r.Comment = "Nhân viên tên Lan, số 0912345678"
		e.submit(t, r)
		equal(t, "unsubscribed", len(e.deliveriesOf(t, other.ID)), 0)
		equal(t, "disabled", len(e.deliveriesOf(t, off.ID)), 0)
		ds := e.deliveriesOf(t, want.ID)
		if len(ds) != 1 || ds[0].Event == nil || ds[0].Event.Type != survey.EventResponseCreated || ds[0].State != survey.DeliveryPending {
			t.Fatalf("deliveries: %+v", ds)
		}
		var data map[string]any
		must(t, json.Unmarshal(ds[0].Event.Data, &data))
		if data["id"] != r.ID || data["unit"] != "so-a" || data["channel"] != "web" || data["survey"] != survey.SurveyQuay || data["counted"] != true {
			t.Fatalf("data %v", data)
		}
		if _, ok := data["comment"]; ok || len(data) != 7 {
			t.Fatalf("data has more than id, unit, channel, survey, submitted_at, counted, flags: %v", data)
		}
		created, err := e.Submit(r) // a repeat stores nothing and emits nothing
		must(t, err)
		equal(t, "repeat created", created, false)
		equal(t, "deliveries after a repeat", len(e.deliveriesOf(t, want.ID)), 1)
	}},
	{"Emit/AnswerReceipt", func(t *testing.T, e *env) {
		e.org(t)
		w := e.hook(t, "mot-cua", survey.EventResponseCreated)
		tok := e.issue(t, e.dossier("HS-001"))
		r := sipas()
		r.ID = e.uuid()
		must(t, e.AnswerReceipt(tok, r))
		ds := e.deliveriesOf(t, w.ID)
		if len(ds) != 1 || ds[0].Event.Type != survey.EventResponseCreated {
			t.Fatalf("deliveries: %+v", ds)
		}
		var data map[string]any
		must(t, json.Unmarshal(ds[0].Event.Data, &data))
		if data["id"] != r.ID || data["channel"] != "qr" || data["unit"] != "so-a" || data["survey"] != survey.SurveySipas {
			t.Fatalf("data %v", data)
		}
		wantErr(t, e.AnswerReceipt(tok, sipas()), survey.ECONFLICT) // refused: nothing emitted
		equal(t, "deliveries", len(e.deliveriesOf(t, w.ID)), 1)
	}},
	{"Emit/DossierFinished", func(t *testing.T, e *env) {
		e.org(t)
		w := e.hook(t, "mot-cua", survey.EventDossierFinished)
		must(t, e.PutDossiers([]survey.Dossier{{Code: "HS-1", Unit: "so-a", ReceivedAt: e.at(2026, 3, 2, 8, 0), DueAt: e.at(2026, 3, 9, 17, 0)}}))
		equal(t, "deliveries for a dossier received", len(e.deliveriesOf(t, w.ID)), 0)
		_, err := e.FinishDossier("HS-1", e.at(2026, 3, 10, 9, 0), nil)
		must(t, err)
		ds := e.deliveriesOf(t, w.ID)
		if len(ds) != 1 || ds[0].Event.Type != survey.EventDossierFinished {
			t.Fatalf("deliveries: %+v", ds)
		}
		var data struct {
			Code       string    `json:"code"`
			FinishedAt time.Time `json:"finished_at"`
			OnTime     *bool     `json:"on_time"`
		}
		must(t, json.Unmarshal(ds[0].Event.Data, &data))
		if data.Code != "HS-1" || !data.FinishedAt.Equal(e.at(2026, 3, 10, 9, 0)) || data.OnTime == nil || *data.OnTime {
			t.Fatalf("data %s", ds[0].Event.Data)
		}
		_, err = e.FinishDossier("nope", e.at(2026, 3, 10, 9, 0), nil)
		wantErr(t, err, survey.ENOTFOUND)
		equal(t, "deliveries", len(e.deliveriesOf(t, w.ID)), 1)
		// An import (PutDossiers) that sets a finish emits too; one that
		// repeats the same finish does not.
		d := survey.Dossier{Code: "HS-2", Unit: "so-a", ReceivedAt: e.at(2026, 3, 2, 8, 0), DueAt: e.at(2026, 3, 9, 17, 0), FinishedAt: e.at(2026, 3, 5, 8, 0)}
		must(t, e.PutDossiers([]survey.Dossier{d}))
		must(t, e.PutDossiers([]survey.Dossier{d}))
		equal(t, "deliveries", len(e.deliveriesOf(t, w.ID)), 2)
	}},
}
