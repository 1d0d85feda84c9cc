package storetest

import (
	"strings"
	"testing"
	"time"

	"hailong/survey"
)

var proposalCases = []testCase{
	{"ProposeAndConfirm", func(t *testing.T, e *env) {
		e.org(t)
		r := e.response()
		r.Unit, r.Flags = "so-a-vp", survey.FlagUnverified
		e.submit(t, r)
		plain := e.all(survey.DimBase)
		plain.IncludeMisuse, plain.IncludeUnverified = false, false
		audits := e.auditCount()
		p, err := e.ProposeFlags(survey.FlagProposal{Response: r.Key, Clear: survey.FlagUnverified, Reason: " người dân gọi lại xác nhận ", By: "giamdoc"})
		must(t, err)
		equal(t, "id", p.ID, "1")
		equal(t, "unit", p.Unit, "so-a-vp")
		equal(t, "state", p.State, survey.ProposalOpen)
		equal(t, "reason trimmed", p.Reason, "người dân gọi lại xác nhận")
		equal(t, "at", p.At.Equal(e.clock.Now()), true)
		equal(t, "audit entries", e.auditCount(), audits+1)
		equal(t, "audit", e.lastAudit(t).Action, "proposal.create")
		// proposing changes nothing that counts
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "flags after proposing", got.Flags, survey.FlagUnverified)
		equal(t, "excluded", e.tally(t, plain).Excluded, survey.Exclusions{Unverified: 1})

		e.clock.Add(time.Minute)
		p2, err := e.ProposeFlags(survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Reason: "thử", By: "giamdoc"})
		must(t, err)
		equal(t, "second id", p2.ID, "2")
		open := e.FlagProposals(survey.ProposalOpen)
		equal(t, "open proposals", len(open), 2)
		equal(t, "newest first", open[0].ID, "2")

		e.clock.Add(time.Minute)
		d, err := e.DecideFlagProposal("1", true, "quantri", "đã kiểm tra sổ")
		must(t, err)
		equal(t, "state", d.State, survey.ProposalConfirmed)
		equal(t, "decided by", d.DecidedBy, "quantri")
		equal(t, "note", d.Note, "đã kiểm tra sổ")
		got, err = e.Response(r.Key)
		must(t, err)
		equal(t, "flags after confirming", got.Flags, survey.FlagReclassified)
		equal(t, "excluded", e.tally(t, plain).Excluded, survey.Exclusions{Reinstated: 1})
		var flagsEntry, confirmEntry bool
		for _, a := range e.AuditLog(3, time.Time{}) {
			switch a.Action {
			case "response.flags":
				flagsEntry = a.Actor == "quantri" && strings.Contains(a.Detail, "người dân gọi lại xác nhận") && strings.Contains(a.Detail, "giamdoc")
			case "proposal.confirm":
				confirmEntry = a.Actor == "quantri"
			}
		}
		equal(t, "audited flag change with the proposal's reason", flagsEntry, true)
		equal(t, "audited confirmation", confirmEntry, true)

		_, err = e.DecideFlagProposal("1", false, "quantri", "")
		wantErr(t, err, survey.ECONFLICT)
		stored, err := e.FlagProposal("1")
		must(t, err)
		equal(t, "stored state", stored.State, survey.ProposalConfirmed)
		equal(t, "open proposals", len(e.FlagProposals(survey.ProposalOpen)), 1)
		equal(t, "every proposal", len(e.FlagProposals("")), 2)
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "CheckAgg", ok, true)
	}},
	{"Refuse", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		p, err := e.ProposeFlags(survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Reason: "nghi phiếu giả", By: "giamdoc"})
		must(t, err)
		audits := e.auditCount()
		d, err := e.DecideFlagProposal(p.ID, false, "quantri", "không đủ căn cứ")
		must(t, err)
		equal(t, "state", d.State, survey.ProposalRefused)
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "flags unchanged", got.Flags, survey.Flags(0))
		equal(t, "audit entries", e.auditCount(), audits+1)
		equal(t, "audit", e.lastAudit(t).Action, "proposal.refuse")
		_, err = e.DecideFlagProposal(p.ID, true, "quantri", "")
		wantErr(t, err, survey.ECONFLICT)
		got, err = e.Response(r.Key)
		must(t, err)
		equal(t, "flags still unchanged", got.Flags, survey.Flags(0))
	}},
	{"ConfirmWhenAlreadyChanged", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		p, err := e.ProposeFlags(survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Reason: "bấm thử", By: "giamdoc"})
		must(t, err)
		must(t, e.SetResponseFlags(r.ID, survey.FlagMisuse, "quantri", "bấm thử"))
		audits := e.auditCount()
		d, err := e.DecideFlagProposal(p.ID, true, "quantri", "")
		must(t, err)
		equal(t, "state", d.State, survey.ProposalConfirmed)
		equal(t, "only the decision is audited", e.auditCount(), audits+1)
	}},
	{"Errors", func(t *testing.T, e *env) {
		e.org(t)
		r := e.submit(t, e.response())
		audits := e.auditCount()
		bad := []struct {
			p     survey.FlagProposal
			code  string
			field string
		}{
			{survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Reason: " "}, survey.EINVALID, "reason"},
			{survey.FlagProposal{Response: r.Key, Reason: "không đổi gì"}, survey.EINVALID, "flag"},
			{survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Clear: survey.FlagMisuse, Reason: "cả hai"}, survey.EINVALID, "flag"},
			{survey.FlagProposal{Response: r.Key, Set: survey.FlagReclassified, Reason: "dấu"}, survey.EINVALID, "flag"},
			{survey.FlagProposal{Response: r.Key, Clear: survey.FlagMisuse, Reason: "đã như vậy"}, survey.EINVALID, "flag"},
			{survey.FlagProposal{Response: r.Key + 1, Set: survey.FlagMisuse, Reason: "không có phiếu"}, survey.ENOTFOUND, ""},
		}
		for _, b := range bad {
			_, err := e.ProposeFlags(b.p)
			if b.field != "" {
				wantErr(t, err, b.code, b.field)
			} else {
				wantErr(t, err, b.code)
			}
		}
		equal(t, "no proposal stored", len(e.FlagProposals("")), 0)
		equal(t, "audit entries", e.auditCount(), audits)
		_, err := e.FlagProposal("1")
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.FlagProposal("x")
		wantErr(t, err, survey.ENOTFOUND)
		_, err = e.DecideFlagProposal("9", true, "quantri", "")
		wantErr(t, err, survey.ENOTFOUND)
		p, err := e.ProposeFlags(survey.FlagProposal{Response: r.Key, Set: survey.FlagMisuse, Reason: "lý do", By: "giamdoc"})
		must(t, err)
		_, err = e.DecideFlagProposal(p.ID, true, "quantri", "hai\ndòng")
		wantErr(t, err, survey.EINVALID, "note")
		got, err := e.Response(r.Key)
		must(t, err)
		equal(t, "flags unchanged", got.Flags, survey.Flags(0))
	}},
}
