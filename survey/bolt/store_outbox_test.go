package bolt_test

import (
	"testing"
	"time"

	"hailong/survey"
)

// TestOutboxDurable: pending deliveries and the webhooks emit reads survive
// closing and reopening the file.
func TestOutboxDurable(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	w, err := db.PutWebhook(survey.Webhook{Name: "mot-cua", URL: "https://example.org/h", Events: []string{survey.EventResponseCreated}}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	m := survey.Delivery{ID: "digest-2026-W10-lan", Kind: survey.DeliverMail, Mail: &survey.Mail{To: "lan@example.org", Subject: "Tuần 10", Text: "…"}}
	if err := db.Enqueue(m); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db)
	r := &survey.Response{Survey: survey.SurveyQuay, Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{survey.OverallKey: 2}}
	if _, err := db.Submit(r); err != nil {
		t.Fatal(err)
	}
	due, err := db.Due(time.Now().Add(time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, d := range due {
		kinds[d.Kind]++
		if d.Kind == survey.DeliverWebhook && d.Webhook != w.ID {
			t.Errorf("delivery for webhook %q, want %q", d.Webhook, w.ID)
		}
	}
	if kinds[survey.DeliverMail] != 1 || kinds[survey.DeliverWebhook] != 1 {
		t.Fatalf("due after reopening: %v, want the queued mail and a webhook delivery for the response stored after", kinds)
	}
}
