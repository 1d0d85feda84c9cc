package storetest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

// LogService: the tamper-evident log (docs/INTEGRITY.md). Tampering with
// the storage itself is backend-specific and tested by each backend.
var logCases = []testCase{
	{"AppendOrder", func(t *testing.T, e *env) {
		e.org(t)
		var seqs []uint64
		for range 3 {
			r := e.submit(t, e.response())
			if r.Seq == 0 {
				t.Fatal("Submit left Seq 0")
			}
			seqs = append(seqs, r.Seq)
		}
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+1 {
				t.Fatalf("seqs %v: not consecutive", seqs)
			}
		}
		// A repeat gets the entry (and so the code) of the stored response.
		r := e.response()
		e.submit(t, r)
		again := *r
		again.Seq = 0
		created, err := e.Submit(&again)
		must(t, err)
		equal(t, "created", created, false)
		equal(t, "repeat's seq", again.Seq, r.Seq)
		equal(t, "repeat's code", e.ConfirmationCode(&again), e.ConfirmationCode(r))
	}},
	{"Heads", func(t *testing.T, e *env) {
		e.org(t)
		for range 4 {
			e.submit(t, e.response())
		}
		if hs := e.Heads(time.Time{}, time.Time{}, false); len(hs) != 0 {
			t.Fatalf("today's head published before the day ends: %+v", hs)
		}
		open := e.Heads(time.Time{}, time.Time{}, true)
		if len(open) != 1 || open[0].Entries != 4 || len(open[0].Hash) != 64 {
			t.Fatalf("open heads %+v, want one of 4 entries", open)
		}
		equal(t, "date", open[0].Date, T0.In(e.Loc()).Format(time.DateOnly))
		e.clock.Add(24 * time.Hour)
		e.submit(t, e.response())
		hs := e.Heads(time.Time{}, time.Time{}, false)
		if len(hs) != 1 || hs[0] != open[0] {
			t.Fatalf("final heads %+v, want yesterday's %+v unchanged", hs, open[0])
		}
		all := e.Heads(time.Time{}, time.Time{}, true)
		if len(all) != 2 || all[1].Entries != 5 {
			t.Fatalf("heads %+v, want today's with 5 entries", all)
		}
		// The log's day never goes back, whatever the clock does.
		e.clock.Add(-48 * time.Hour)
		e.submit(t, e.response())
		all = e.Heads(time.Time{}, time.Time{}, true)
		if len(all) != 2 || all[1].Entries != 6 {
			t.Fatalf("after the clock went back: heads %+v", all)
		}
	}},
	{"VerifyAfterChanges", func(t *testing.T, e *env) {
		e.org(t)
		var last *survey.Response
		for i := range 5 {
			r := e.response()
			if i == 2 {
				r.Answers = map[string]int{survey.OverallKey: 1}
				r.Reasons = []string{"waited_long"}
				r.Comment = "Chờ lâu quá, gọi 0912345678"
			}
			last = e.submit(t, r)
		}
		must(t, e.SetResponseFlags(last.ID, survey.FlagMisuse, "admin", "test"))
		e.clock.Add(48 * time.Hour)
		n, err := e.PurgeComments(e.Now())
		must(t, err)
		equal(t, "purged", n, 1)
		rep, err := e.VerifyLog(e.Heads(time.Time{}, time.Time{}, false), nil)
		must(t, err)
		if !rep.OK {
			t.Fatalf("verify: %s (%+v)", rep.Problem, rep.Entry)
		}
		equal(t, "entries", rep.Entries, uint64(7))
		equal(t, "responses", rep.Responses, uint64(5))
		equal(t, "changes", rep.Changes, uint64(2))
		// A forged head is caught.
		bad := e.Heads(time.Time{}, time.Time{}, true)
		bad[0].Hash = strings.Repeat("0", 64)
		rep, err = e.VerifyLog(bad, nil)
		must(t, err)
		if rep.OK {
			t.Fatal("verify accepted a head that is not the chain's")
		}
	}},
	{"Confirmation", func(t *testing.T, e *env) {
		e.org(t)
		ok := e.submit(t, e.response())
		flagged := e.submit(t, e.response())
		must(t, e.SetResponseFlags(flagged.ID, survey.FlagMisuse, "admin", "test"))
		code := e.ConfirmationCode(ok)
		if len(code) < 10 {
			t.Fatalf("code %q too short", code)
		}
		cf, err := e.Confirmation(strings.ToLower(code))
		must(t, err)
		equal(t, "day", cf.Day, T0.In(e.Loc()).Format(time.DateOnly))
		equal(t, "counted", cf.Counted, true)
		equal(t, "unit", cf.Unit, "so-a")
		if cf.Head != nil {
			t.Fatal("today's head given as published")
		}
		cf, err = e.Confirmation(e.ConfirmationCode(flagged))
		must(t, err)
		equal(t, "counted", cf.Counted, false)
		equal(t, "excluded", cf.Excluded, survey.ExcludedFlagsChanged)
		e.clock.Add(24 * time.Hour)
		cf, err = e.Confirmation(code)
		must(t, err)
		if cf.Head == nil || cf.Head.Entries < ok.Seq {
			t.Fatalf("head %+v, want the final head of the day", cf.Head)
		}
		// Forged, malformed and unknown codes read alike.
		forged := []byte(strings.ReplaceAll(code, "-", ""))
		forged[len(forged)-1] ^= 1
		_, e1 := e.Confirmation(string(forged))
		_, e2 := e.Confirmation("not a code")
		_, e3 := e.Confirmation("")
		for _, err := range []error{e1, e2, e3} {
			wantErr(t, err, survey.ENOTFOUND)
			equal(t, "message", err.Error(), e1.Error())
		}
		equal(t, "code of an unstored response", e.ConfirmationCode(&survey.Response{}), "")
	}},
	{"ExportRoundTrip", func(t *testing.T, e *env) {
		e.org(t)
		r := e.response()
		r.Comment = "Nhân viên nhiệt tình"
		e.submit(t, r)
		e.submit(t, e.response())
		must(t, e.SetResponseFlags(r.ID, survey.FlagUnverified, "admin", "test"))
		var buf bytes.Buffer
		must(t, e.ExportLog(&buf))
		if bytes.Contains(buf.Bytes(), []byte("nhiệt tình")) {
			t.Fatal("the export carries a comment")
		}
		sc := bufio.NewScanner(&buf)
		sc.Buffer(nil, 1<<20)
		sc.Scan()
		var h survey.LogHeader
		must(t, json.Unmarshal(sc.Bytes(), &h))
		equal(t, "format", h.Format, survey.LogFormat)
		equal(t, "entries", h.Entries, uint64(3))
		var hash [32]byte
		var kinds []string
		for sc.Scan() {
			var le survey.LogEntry
			must(t, json.Unmarshal(sc.Bytes(), &le))
			c, err := le.Canonical()
			must(t, err)
			hash = survey.ChainNext(hash, sha(c))
			kinds = append(kinds, le.Kind)
			if le.Seq == 1 && (le.CommentHash != survey.HashText(r.Comment) || le.Answers[survey.OverallKey] != 4 || le.Unit != "so-a") {
				t.Fatalf("entry 1 = %+v", le)
			}
		}
		equalSlice(t, "kinds", kinds, []string{survey.EntryResponse, survey.EntryResponse, survey.EntryChange})
		open := e.Heads(time.Time{}, time.Time{}, true)
		equal(t, "recomputed tip", hexOf(hash), open[len(open)-1].Hash)
	}},
}

func sha(b []byte) [32]byte { return sha256.Sum256(b) }

func hexOf(h [32]byte) string { return hex.EncodeToString(h[:]) }
