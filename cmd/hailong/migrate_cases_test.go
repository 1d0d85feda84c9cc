package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
)

// migCases is what addMigCases stored in the source: a case from a
// response with a contact, one replied with an unused rating link, one
// closed; a holiday, and a webhook whose deliveries (one per case opened)
// are pending.
type migCases struct {
	contact, replied, closed string
	token                    string // the replied case's rating link
	hook                     survey.Webhook
	holidays                 []survey.Holiday // one added, one of the defaults deleted
}

const migPhone = "0912345678"

func addMigCases(t *testing.T, db survey.Store) migCases {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.PutHoliday(survey.Holiday{Day: "2026-12-31", Name: "Nghỉ bù cuối năm"}, "admin"))
	must(db.DeleteHoliday(survey.DefaultHolidays()[0].Day, "admin"))
	hook, err := db.PutWebhook(survey.Webhook{Name: "Cổng liên thông", URL: "https://cong-lien-thong.example.vn/hook",
		Events: []string{survey.EventCaseOpened}}, "admin")
	must(err)
	must(db.SetNotify("lan", "lan@example.vn", false, true, "admin"))
	r := &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelKiosk, Unit: "so-cong-thuong",
		Answers: map[string]int{"overall": 2, "staff_attitude": 1}, Comment: "Chờ quá lâu."}
	_, err = db.Submit(r)
	must(err)
	withContact, err := db.OpenCaseFromResponse(r.ID, survey.CaseAskReply, &survey.Contact{Name: "Trần Thị Bích", Phone: "0912 345 678"})
	must(err)
	byHand := func() string {
		c, err := db.OpenCase(survey.Case{Unit: "so-cong-thuong", Kind: survey.CasePetition, Source: survey.SourceCall,
			Summary: "Gọi điện phản ánh về lệ phí."}, nil, "lan")
		must(err)
		return c.ID
	}
	m := migCases{contact: withContact.ID, replied: byHand(), closed: byHand(), token: survey.NewSecret(), hook: hook, holidays: db.Holidays()}
	_, err = db.ReplyCase(m.replied, survey.CaseReply{Via: survey.ReplyByPhone, Text: "Đã trả lời qua điện thoại."}, m.token, nil, "lan")
	must(err)
	closed := survey.CaseClosed
	_, err = db.UpdateCase(m.closed, survey.CaseUpdate{Status: &closed, Note: "Đã giải quyết."}, "lan")
	must(err)
	return m
}

// checkMigCases checks on the copy (served at base by m) that the cases
// serve as they did in the source.
func checkMigCases(t *testing.T, m *Main, base string, mc migCases) {
	t.Run("CaseContact", func(t *testing.T) {
		ql := loginAs(t, m, "ql-sct", survey.RoleManager, "so-cong-thuong")
		st, body := ql.page(t, base, "GET", "/phan-anh/"+mc.contact, nil)
		wantStatus(t, "the case page on the copy", st, 200, body)
		if !strings.Contains(body, migPhone) || !strings.Contains(body, "Chờ quá lâu.") {
			t.Fatal("the case page on the copy does not show its handler the contact and the summary")
		}
		if c, err := m.DB.Case(mc.closed); err != nil || c.Status != survey.CaseClosed || len(c.Notes) != 1 {
			t.Fatalf("the closed case on the copy: %+v %v", c, err)
		}
	})
	t.Run("RatingLinkOnce", func(t *testing.T) {
		citizen, rate := &caller{}, "/danh-gia/"+mc.token
		st, body := citizen.page(t, base, "GET", rate, nil)
		wantStatus(t, "the rating page on the copy", st, 200, body)
		st, body = citizen.page(t, base, "POST", rate, url.Values{"rating": {"satisfied"}})
		wantStatus(t, "rating on the copy", st, 200, body)
		st, body = citizen.page(t, base, "POST", rate, url.Values{"rating": {"dissatisfied"}})
		wantStatus(t, "the used link again", st, 404, body)
		if c, err := m.DB.Case(mc.replied); err != nil || c.Rating != survey.RatingGood {
			t.Fatalf("the rated case on the copy: %+v %v", c, err)
		}
	})
	t.Run("WebhookAndOutbox", func(t *testing.T) {
		admin := loginAs(t, m, "qt-copy", survey.RoleAdmin, "")
		st, body := admin.page(t, base, "GET", "/admin/webhooks", nil)
		wantStatus(t, "the webhooks page on the copy", st, 200, body)
		if !strings.Contains(body, "Cổng liên thông") || !strings.Contains(body, "cong-lien-thong.example.vn") {
			t.Fatal("the carried webhook is not listed on the copy")
		}
		if w, err := m.DB.Webhook(mc.hook.ID); err != nil || w.Secret != mc.hook.Secret {
			t.Fatalf("the webhook on the copy: %+v %v (its secret must be carried)", w, err)
		}
		ds, err := m.DB.Deliveries(survey.DeliveryQuery{Webhook: mc.hook.ID})
		if err != nil || len(ds) != 3 {
			t.Fatalf("deliveries of the webhook on the copy: %d %v, want 3 (one per case opened)", len(ds), err)
		}
		due, err := m.DB.Due(time.Now().Add(24*time.Hour), 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.State != survey.DeliveryPending || !slices.ContainsFunc(due, func(x survey.Delivery) bool { return x.ID == d.ID }) {
				t.Fatalf("delivery %s on the copy: %s, due %v: it must stay pending and queued", d.ID, d.State, due)
			}
		}
		if got := m.DB.Holidays(); !slices.Equal(got, mc.holidays) {
			t.Fatalf("holidays on the copy: %v, want the source's %v", got, mc.holidays)
		}
		if u := m.DB.User("lan"); u == nil || u.Email != "lan@example.vn" || !u.NoAlerts || u.NoDigest {
			t.Fatalf("the notification settings of lan on the copy: %+v", u)
		}
	})
	t.Run("CaseSequence", func(t *testing.T) { // last: its event adds a delivery
		c, err := m.DB.OpenCase(survey.Case{Unit: "so-cong-thuong", Kind: survey.CasePetition, Source: survey.SourceLetter,
			Summary: "Thư mới."}, nil, "ql-sct")
		if err != nil || slices.Contains([]string{mc.contact, mc.replied, mc.closed}, c.ID) || c.ID[5:] != "0004" {
			t.Fatalf("a new case on the copy got id %q (%v): the year's sequence was not moved past the carried ids", c.ID, err)
		}
	})
}
