package bolt_test

import (
	"bytes"
	"hailong/survey"
	"hailong/survey/bolt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an injectable, settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

func mustOpenAt(tb testing.TB, now time.Time) (*bolt.DB, *clock, string) {
	tb.Helper()
	clk := &clock{t: now}
	path := filepath.Join(tb.TempDir(), "hailong.db")
	db, err := bolt.Open(path, bolt.Options{Loc: hcm, Now: clk.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	MustOrg(tb, db)
	return db, clk, path
}

func receiptDossier(code string) *survey.Dossier {
	return &survey.Dossier{Code: code, Unit: "so-a", Procedure: "1.001", Staff: "nv-lan",
		ReceivedAt: time.Date(2026, 3, 10, 9, 30, 0, 0, hcm), DueAt: time.Date(2026, 3, 17, 17, 0, 0, 0, hcm)}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if survey.ErrorCode(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestIssueReceipt(t *testing.T) {
	db, _, path := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	tok, err := db.IssueReceipt("test", receiptDossier("HS-001"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !survey.ValidToken(tok) {
		t.Fatalf("token %q has not the shape of 256 bits in base64url", tok)
	}
	d, err := db.ReceiptByToken(tok)
	if err != nil || d.Code != "HS-001" || d.Answered {
		t.Fatalf("by token: %+v %v", d, err)
	}
	// 90 days after 10 March, to the end of that day: 8 June 2026 24:00.
	if want := time.Date(2026, 6, 9, 0, 0, 0, 0, hcm); !d.TokenExpires.Equal(want) {
		t.Errorf("expires %v, want %v", d.TokenExpires, want)
	}
	db.Close()
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte(tok)) {
		t.Fatal("the token is stored in clear")
	}
}

func TestReceiptExpirySetting(t *testing.T) {
	db, _, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	st := db.Settings()
	st.Receipts.ExpiryDays = 30
	if err := db.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	tok, err := db.IssueReceipt("test", receiptDossier("HS-030"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := db.ReceiptByToken(tok)
	if want := time.Date(2026, 4, 10, 0, 0, 0, 0, hcm); !d.TokenExpires.Equal(want) {
		t.Errorf("expires %v, want %v", d.TokenExpires, want)
	}
}

func TestIssueReceiptErrors(t *testing.T) {
	db, _, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	cases := []struct {
		name    string
		edit    func(d *survey.Dossier)
		expires time.Time
		field   string
	}{
		{"ErrUnknownUnit", func(d *survey.Dossier) { d.Unit = "so-x" }, time.Time{}, "unit"},
		{"ErrStaffOfAnotherUnit", func(d *survey.Dossier) { d.Staff = "nv-hung" }, time.Time{}, "staff"},
		{"ErrDueBeforeReceived", func(d *survey.Dossier) { d.DueAt = d.ReceivedAt.Add(-time.Hour) }, time.Time{}, "due_at"},
		{"ErrNoCode", func(d *survey.Dossier) { d.Code = "" }, time.Time{}, "code"},
		{"ErrExpiresInThePast", func(d *survey.Dossier) {}, time.Date(2026, 3, 10, 9, 0, 0, 0, hcm), "expires_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := receiptDossier("HS-E")
			c.edit(d)
			_, err := db.IssueReceipt("test", d, c.expires)
			var e *survey.Error
			if survey.ErrorCode(err) != survey.EINVALID || !asError(err, &e) || e.Field != c.field {
				t.Fatalf("got %v, want invalid %s", err, c.field)
			}
		})
	}
}

func asError(err error, e **survey.Error) bool {
	x, ok := err.(*survey.Error)
	*e = x
	return ok
}

func sipasAnswer() *survey.Response {
	return &survey.Response{Answers: map[string]int{"overall": 4, "staff_attitude": 5, "online_speed": survey.NA},
		Facts: map[string]int{"tt01_contacts": 0, "tt01_complaint": 0}, Comment: "Cảm ơn"}
}

func TestAnswerReceiptOnce(t *testing.T) {
	db, clk, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	tok, err := db.IssueReceipt("test", receiptDossier("HS-002"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2026, 3, 17, 15, 0, 0, 0, hcm))
	// Concurrent submissions of the same receipt: exactly one is stored.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) { defer wg.Done(); errs[i] = db.AnswerReceipt(tok, sipasAnswer()) }(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch survey.ErrorCode(err) {
		case "":
			ok++
		case survey.ECONFLICT:
		default:
			t.Fatalf("concurrent answer: %v", err)
		}
	}
	if ok != 1 || db.ResponseCount() != 1 {
		t.Fatalf("%d answers accepted, %d stored; want 1 and 1", ok, db.ResponseCount())
	}
	var got []*survey.Response
	db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { got = append(got, r); return nil })
	r := got[0]
	if r.Channel != survey.ChannelQR || r.Dossier != "HS-002" || r.Unit != "so-a" || r.Procedure != "1.001" || r.Staff != "nv-lan" ||
		r.Survey != survey.SurveySipas || r.Facts["tt01_contacts"] != 0 || len(r.Facts) != 2 || r.Flags != 0 {
		t.Fatalf("stored %+v", r)
	}
	d, _ := db.Dossier("HS-002")
	if !d.Answered {
		t.Fatal("dossier not marked answered")
	}
	wantCode(t, db.AnswerReceipt(tok, sipasAnswer()), survey.ECONFLICT)
	counts, err := db.Count(survey.CountQuery{Dim: survey.DimStaff, Units: []string{"so-a"}, From: clk.Now(), To: clk.Now()})
	if err != nil || counts["nv-lan"] == nil || counts["nv-lan"].Responses != 1 {
		t.Fatalf("counts by staff %+v %v", counts, err)
	}
	if same, err := db.CheckAgg(); err != nil || !same {
		t.Fatalf("counts differ from a rebuild: %v %v", same, err)
	}
	// Re-issuing an answered dossier is refused.
	_, err = db.IssueReceipt("test", receiptDossier("HS-002"), time.Time{})
	wantCode(t, err, survey.ECONFLICT)
}

func TestAnswerReceiptRefusals(t *testing.T) {
	db, clk, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	tok, err := db.IssueReceipt("test", receiptDossier("HS-003"), time.Date(2026, 3, 20, 0, 0, 0, 0, hcm))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrInvalidKeepsReceiptOpen", func(t *testing.T) {
		wantCode(t, db.AnswerReceipt(tok, &survey.Response{Answers: map[string]int{"overall": 9}}), survey.EINVALID)
		wantCode(t, db.AnswerReceipt(tok, &survey.Response{}), survey.EINVALID)
		if d, _ := db.Dossier("HS-003"); d.Answered {
			t.Fatal("a refused answer marked the dossier answered")
		}
	})
	t.Run("ErrForged", func(t *testing.T) {
		forged := strings.Repeat("A", survey.TokenLen)
		wantCode(t, db.AnswerReceipt(forged, sipasAnswer()), survey.ENOTFOUND)
		wantCode(t, db.AnswerReceipt("short", sipasAnswer()), survey.ENOTFOUND)
		_, err := db.ReceiptByToken(tok[:42] + "!")
		wantCode(t, err, survey.ENOTFOUND)
	})
	t.Run("ErrReplaced", func(t *testing.T) {
		tok2, err := db.IssueReceipt("test", receiptDossier("HS-003"), time.Date(2026, 3, 20, 0, 0, 0, 0, hcm))
		if err != nil || tok2 == tok {
			t.Fatalf("re-issue: %v", err)
		}
		wantCode(t, db.AnswerReceipt(tok, sipasAnswer()), survey.ENOTFOUND)
		tok = tok2
	})
	t.Run("ErrOtherUnit", func(t *testing.T) {
		d := receiptDossier("HS-003")
		d.Unit, d.Staff = "so-b", ""
		_, err := db.IssueReceipt("test", d, time.Time{})
		wantCode(t, err, survey.ECONFLICT)
	})
	t.Run("ErrExpired", func(t *testing.T) {
		clk.Set(time.Date(2026, 3, 20, 0, 0, 0, 0, hcm))
		wantCode(t, db.AnswerReceipt(tok, sipasAnswer()), survey.EGONE)
		if db.ResponseCount() != 0 {
			t.Fatal("stored after a refusal")
		}
	})
}

// A dossiers import (finishing the dossier) keeps the receipt's token and
// its answered flag; finishing by API sets only the outcome fields.
func TestReceiptSurvivesImportAndFinish(t *testing.T) {
	db, _, _ := mustOpenAt(t, time.Date(2026, 3, 10, 9, 31, 0, 0, hcm))
	tok, err := db.IssueReceipt("test", receiptDossier("HS-004"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AnswerReceipt(tok, sipasAnswer()); err != nil {
		t.Fatal(err)
	}
	d := receiptDossier("HS-004")
	d.FinishedAt = time.Date(2026, 3, 16, 10, 0, 0, 0, hcm)
	if err := db.PutDossiers([]survey.Dossier{*d}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReceiptByToken(tok)
	if err != nil || !got.Answered || got.FinishedAt.IsZero() {
		t.Fatalf("after PutDossiers: %+v %v", got, err)
	}
	csv := "code,unit,procedure,received_at,due_at,finished_at,supplement_days\nHS-004,so-a,1.001,2026-03-10,2026-03-17,2026-03-16,\n"
	if _, err := db.ImportDossiers(strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	got, err = db.ReceiptByToken(tok)
	if err != nil || !got.Answered || got.Staff != "nv-lan" {
		t.Fatalf("after a CSV import: %+v %v", got, err)
	}
	wantCode(t, db.AnswerReceipt(tok, sipasAnswer()), survey.ECONFLICT)

	three := 3
	f, err := db.FinishDossier("HS-004", time.Date(2026, 3, 19, 8, 0, 0, 0, hcm), &three)
	if err != nil || f.SupplementDays != 3 || f.Outcome(hcm) != survey.Early || !f.Answered {
		t.Fatalf("finish: %+v %v", f, err)
	}
	_, err = db.FinishDossier("HS-004", time.Date(2026, 3, 1, 8, 0, 0, 0, hcm), nil)
	wantCode(t, err, survey.EINVALID)
	_, err = db.FinishDossier("HS-none", time.Date(2026, 3, 19, 8, 0, 0, 0, hcm), nil)
	wantCode(t, err, survey.ENOTFOUND)
	if d, _ := db.Dossier("HS-004"); d.SupplementDays != 3 {
		t.Fatal("a refused finish changed the dossier")
	}
}
