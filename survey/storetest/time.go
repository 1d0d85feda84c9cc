package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"hailong/survey"
)

// Time you can believe: the window of live submissions, misuse by receive
// time per device, and import batches.

var timeCases = []testCase{
	{"Window", func(t *testing.T, e *env) {
		e.org(t)
		day := 24 * time.Hour
		for _, c := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"SixDaysOld", T0.Add(-6 * day), true},
			{"SevenDaysOld", T0.Add(-7 * day), true},
			{"EightDaysOld", T0.Add(-8 * day), false},
			{"Year2019", time.Date(2019, 5, 1, 9, 0, 0, 0, e.Loc()), false},
			{"FourMinutesAhead", T0.Add(4 * time.Minute), true},
			{"SixMinutesAhead", T0.Add(6 * time.Minute), false},
		} {
			r := e.response()
			r.SubmittedAt = c.at
			_, err := e.Submit(r)
			if !c.ok {
				wantErr(t, err, survey.EINVALID, "submitted_at")
				continue
			}
			must(t, err)
			if !r.ReceivedAt.Equal(T0) || r.SubmittedAt.After(r.ReceivedAt) {
				t.Fatalf("%s: submitted %v, received %v", c.name, r.SubmittedAt, r.ReceivedAt)
			}
			got, err := e.Response(r.Key)
			must(t, err)
			want := c.at
			if want.After(T0) {
				want = T0 // a clock a little fast: taken as the receive time
			}
			if !got.ReceivedAt.Equal(T0) || !got.SubmittedAt.Equal(want) {
				t.Fatalf("%s: stored submitted %v received %v", c.name, got.SubmittedAt, got.ReceivedAt)
			}
		}
		equal(t, "stored", e.ResponseCount(), 3)
		equal(t, "counted", e.responses(t, e.all(survey.DimBase)), 3)
		// The setting moves the window at once; paper (imports only) is exempt.
		s := e.Settings()
		s.Submissions.WindowDays = 10
		must(t, e.SaveSettings(s))
		r := e.response()
		r.SubmittedAt = T0.Add(-9 * day)
		must(t, e.Prepare(r))
		s.Submissions.WindowDays = 31
		wantErr(t, e.SaveSettings(s), survey.EINVALID, "submissions.window_days")
		r = e.response()
		r.Channel, r.SubmittedAt = survey.ChannelPaper, T0.AddDate(-3, 0, 0)
		must(t, e.Prepare(r))
	}},
	{"MisuseByReceiveTime", func(t *testing.T, e *env) {
		e.org(t)
		// Six answers posted within a second by one device, dated over two
		// days: a burst, whatever the dates.
		var rs []*survey.Response
		for i := range 6 {
			r := e.response()
			r.Answers[survey.OverallKey] = 5
			r.SubmittedAt, r.Device = T0.Add(-time.Duration(i)*9*time.Hour), "token:t1"
			rs = append(rs, e.submit(t, r))
			e.clock.Add(150 * time.Millisecond)
		}
		for i, r := range rs {
			got, err := e.Response(r.Key)
			must(t, err)
			equal(t, "misuse of burst answer "+string(rune('1'+i)), got.Flags&survey.FlagMisuse != 0, i > 0)
		}
		// Another device at the same moment is not part of the burst; the
		// same device after the interval is not either.
		other := e.response()
		other.Device = "token:t2"
		equal(t, "other device flags", e.submit(t, other).Flags, survey.Flags(0))
		e.clock.Add(e.Settings().Kiosk.MisuseInterval)
		later := e.response()
		later.Device = "token:t1"
		equal(t, "after the interval", e.submit(t, later).Flags, survey.Flags(0))
		anon := e.response() // no device: store-level callers (imports, demo)
		equal(t, "no device", e.submit(t, anon).Flags, survey.Flags(0))
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "counts equal a rebuild", ok, true)
	}},
}

var batchCases = []testCase{
	{"ImportRecordsBatch", func(t *testing.T, e *env) {
		e.org(t)
		content := "submitted_at,unit,channel,survey,overall\n2019-05-02,so-a,paper,quay,5\n2025-01-10 08:00,so-b,web,quay,4\n2024-12-31,so-a,paper,quay,3\n"
		path := csvFile(t, content)
		_, err := e.ImportResponses(path, " ")
		wantErr(t, err, survey.EINVALID, "actor")
		st, err := e.ImportResponses(path, "cli:ops")
		must(t, err)
		equal(t, "rows", st.Rows, 3)
		b, err := e.Batch(st.Batch)
		must(t, err)
		sum := sha256.Sum256([]byte(content))
		if b.ID != st.Batch || b.Actor != "cli:ops" || !b.At.Equal(T0) || b.File != "import.csv" || b.SHA256 != hex.EncodeToString(sum[:]) ||
			b.Rows != 3 || b.FirstDay != "2019-05-02" || b.LastDay != "2025-01-10" || b.Status != survey.BatchStored {
			t.Fatalf("batch %+v", b)
		}
		st2, err := e.ImportResponses(csvFile(t, "submitted_at,unit,channel,survey,overall\n2026-01-05,so-a,paper,quay,2\n"), "admin")
		must(t, err)
		bs, err := e.Batches()
		must(t, err)
		if len(bs) != 2 || bs[0].ID != st2.Batch || bs[1].ID != st.Batch {
			t.Fatalf("batches %+v", bs)
		}
		empty, err := e.ImportResponses(csvFile(t, "submitted_at,unit,channel,survey,overall\n"), "admin")
		must(t, err)
		equal(t, "batch of an empty file", empty.Batch, "")
		_, err = e.Batch("99")
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.Batch("x")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"WithdrawBatch", func(t *testing.T, e *env) {
		e.org(t)
		live := e.submit(t, e.response())
		st, err := e.ImportResponses(csvFile(t, "submitted_at,unit,channel,survey,overall,facilities\n2025-03-01,so-a,paper,quay,5,1\n2025-03-02 10:00,so-b,kiosk,quay,1,\n"), "cli:ops")
		must(t, err)
		keep, err := e.ImportResponses(csvFile(t, "submitted_at,unit,channel,survey,overall\n2025-03-01,so-a,paper,quay,4\n"), "cli:ops")
		must(t, err)
		before := e.ResponseCount()
		for _, c := range []struct {
			reason, field string
		}{{"", "reason"}, {"   ", "reason"}, {string(make([]rune, survey.MaxReason+1)), "reason"}} {
			_, err := e.WithdrawBatch(st.Batch, "root", c.reason)
			wantErr(t, err, survey.EINVALID, c.field)
		}
		_, err = e.WithdrawBatch(st.Batch, "", "nhầm")
		wantErr(t, err, survey.EINVALID, "actor")
		_, err = e.WithdrawBatch("42", "root", "nhầm")
		wantErr(t, err, survey.ENOTFOUND)
		equal(t, "nothing withdrawn by refusals", e.ResponseCount(), before)
		e.clock.Add(time.Hour)
		b, err := e.WithdrawBatch(st.Batch, "root", "Nhập nhầm tệp")
		must(t, err)
		if b.Status != survey.BatchWithdrawn || b.WithdrawnBy != "root" || !b.WithdrawnAt.Equal(T0.Add(time.Hour)) || b.Reason != "Nhập nhầm tệp" || b.Rows != 2 {
			t.Fatalf("withdrawn batch %+v", b)
		}
		equal(t, "left", e.ResponseCount(), before-2)
		_, err = e.Response(live.Key)
		must(t, err)
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "counts equal a rebuild", ok, true)
		var rs []*survey.Response
		must(t, e.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { rs = append(rs, r); return nil }))
		e.checkCounts(t, "after WithdrawBatch", rs)
		_, err = e.WithdrawBatch(st.Batch, "root", "again")
		wantErr(t, err, survey.ECONFLICT)
		got, err := e.Batch(st.Batch)
		must(t, err)
		equal(t, "kept who withdrew", got.WithdrawnBy, "root")
		other, err := e.Batch(keep.Batch)
		must(t, err)
		equal(t, "other batch", other.Status, survey.BatchStored)
		found := false
		for _, a := range e.AuditLog(10, time.Time{}) {
			found = found || a.Action == "import.withdraw" && a.Target == st.Batch && a.Actor == "root"
		}
		equal(t, "audited", found, true)
	}},
}
