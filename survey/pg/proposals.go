package pg

import (
	"encoding/json"
	"strconv"
	"time"

	"hailong/survey"
)

// Flag proposals: the proposals table, numbered by proposal_seq.

// ProposeFlags stores a new open proposal; see survey.ProposalService.
func (db *DB) ProposeFlags(p survey.FlagProposal) (survey.FlagProposal, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := db.update(func(tx *wtx) error {
		var unit string
		var flags int16
		err := tx.queryRow("SELECT unit, flags FROM responses WHERE key = $1", int64(p.Response)).Scan(&unit, &flags)
		if isNoRows(err) {
			return errNoResponse
		} else if err != nil {
			return err
		}
		if f := survey.Flags(flags); p.Apply(f)&survey.FlagsCounting == f&survey.FlagsCounting {
			return survey.FieldError("flag", "Phiếu đã ở trạng thái được đề xuất. / The response already has the flags proposed.")
		}
		var seq int64
		if err := tx.queryRow("SELECT nextval('proposal_seq')").Scan(&seq); err != nil {
			return err
		}
		p.ID, p.Unit, p.At, p.State = strconv.FormatInt(seq, 10), unit, db.opts.Now().UTC(), survey.ProposalOpen
		p.DecidedBy, p.DecidedAt, p.Note = "", time.Time{}, ""
		if err := tx.putProposal(p); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: p.By, Action: "proposal.create", Target: strconv.FormatUint(p.Response, 10),
			Detail: "#" + p.ID + " " + p.Detail() + ": " + p.Reason})
	})
	return p, err
}

func (tx *wtx) putProposal(p survey.FlagProposal) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO proposals (id, state, doc) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, doc = excluded.doc`, p.ID, p.State, b)
	return err
}

func getProposal(q querier, id string) (*survey.FlagProposal, error) {
	var b []byte
	err := q.QueryRow(ctx(), "SELECT doc FROM proposals WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không có đề xuất #%s. / No proposal #%s.", id, id)
	} else if err != nil {
		return nil, err
	}
	p := &survey.FlagProposal{}
	return p, json.Unmarshal(b, p)
}

// FlagProposal returns one proposal. Errors: ENOTFOUND.
func (db *DB) FlagProposal(id string) (*survey.FlagProposal, error) { return getProposal(db.pool, id) }

// FlagProposals returns the proposals in state ("" = every state), newest
// first.
func (db *DB) FlagProposals(state string) []survey.FlagProposal {
	return docs[survey.FlagProposal](db, "SELECT doc FROM proposals WHERE $1 = '' OR state = $1 ORDER BY id::bigint DESC", state)
}

// DecideFlagProposal confirms or refuses an open proposal; see
// survey.ProposalService.
func (db *DB) DecideFlagProposal(id string, confirm bool, actor, note string) (survey.FlagProposal, error) {
	var out survey.FlagProposal
	note, err := survey.CheckReason("note", note, false)
	if err != nil {
		return out, err
	}
	err = db.update(func(tx *wtx) error {
		p, err := getProposal(tx, id)
		if err != nil {
			return err
		}
		if p.State != survey.ProposalOpen {
			return survey.Errorf(survey.ECONFLICT, "Đề xuất #%s đã được xử lý. / Proposal #%s was decided already.", id, id)
		}
		now := db.opts.Now().UTC()
		p.State, p.DecidedBy, p.DecidedAt, p.Note = survey.ProposalRefused, actor, now, note
		action := "proposal.refuse"
		if confirm {
			p.State, action = survey.ProposalConfirmed, "proposal.confirm"
			reason := p.Reason + " (đề xuất / proposal #" + p.ID + ", " + p.By + ")"
			if note != "" {
				reason += "; " + note
			}
			if _, err := tx.setFlags(p.Response, p.Apply, actor, reason); err != nil {
				return err
			}
		}
		if err := tx.putProposal(*p); err != nil {
			return err
		}
		out = *p
		detail := "#" + p.ID + " " + p.Detail()
		if note != "" {
			detail += ": " + note
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: action, Target: strconv.FormatUint(p.Response, 10), Detail: detail})
	})
	return out, err
}
