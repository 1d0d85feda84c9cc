package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hailong/survey"
	"strconv"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// bProposals holds the flag proposals: id uint64 BE → JSON FlagProposal.
// The first proposal creates the bucket (no schema change: a file without
// it simply has none).
var bProposals = []byte("proposals")

// ProposeFlags stores a new open proposal; see survey.ProposalService.
func (db *DB) ProposeFlags(p survey.FlagProposal) (survey.FlagProposal, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := db.update(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bResponses).Get(u64(p.Response))
		if v == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phiếu. / Response not found.")
		}
		rc, err := decodeRec(u64(p.Response), v, db.ncrit)
		if err != nil {
			return fmt.Errorf("response %d: %w", p.Response, err)
		}
		if f := survey.Flags(rc.flags); p.Apply(f)&survey.FlagsCounting == f&survey.FlagsCounting {
			return survey.FieldError("flag", "Phiếu đã ở trạng thái được đề xuất. / The response already has the flags proposed.")
		}
		b, err := tx.CreateBucketIfNotExists(bProposals)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		p.ID, p.Unit, p.At, p.State = strconv.FormatUint(seq, 10), db.dict.name(kindUnit, rc.unit), db.opts.Now().UTC(), survey.ProposalOpen
		p.DecidedBy, p.DecidedAt, p.Note = "", time.Time{}, ""
		if err := putProposal(b, seq, p); err != nil {
			return err
		}
		return putAudit(tx, p.At, survey.AuditEntry{Actor: p.By, Action: "proposal.create", Target: strconv.FormatUint(p.Response, 10),
			Detail: "#" + p.ID + " " + p.Detail() + ": " + p.Reason})
	})
	return p, err
}

// FlagProposal returns one proposal. Errors: ENOTFOUND.
func (db *DB) FlagProposal(id string) (*survey.FlagProposal, error) {
	var out *survey.FlagProposal
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		p, _, err := getProposal(tx, id)
		out = p
		return err
	})
	return out, err
}

// FlagProposals returns the proposals in state ("" = every state), newest
// first.
func (db *DB) FlagProposals(state string) []survey.FlagProposal {
	var out []survey.FlagProposal
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bProposals)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var p survey.FlagProposal
			if err := json.Unmarshal(v, &p); err != nil {
				db.log.Error("proposal", "key", k, "err", err)
				continue
			}
			if state == "" || p.State == state {
				out = append(out, p)
			}
		}
		return nil
	})
	return out
}

// DecideFlagProposal confirms or refuses an open proposal; see
// survey.ProposalService.
func (db *DB) DecideFlagProposal(id string, confirm bool, actor, note string) (survey.FlagProposal, error) {
	var out survey.FlagProposal
	note, err := survey.CheckReason("note", note, false)
	if err != nil {
		return out, err
	}
	err = db.update(func(tx *bbolt.Tx) error {
		p, seq, err := getProposal(tx, id)
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
			if _, err := db.setFlags(tx, p.Response, p.Apply, actor, reason); err != nil {
				return err
			}
		}
		if err := putProposal(tx.Bucket(bProposals), seq, *p); err != nil {
			return err
		}
		out = *p
		detail := "#" + p.ID + " " + p.Detail()
		if note != "" {
			detail += ": " + note
		}
		return putAudit(tx, now, survey.AuditEntry{Actor: actor, Action: action, Target: strconv.FormatUint(p.Response, 10), Detail: detail})
	})
	return out, err
}

func getProposal(tx *bbolt.Tx, id string) (*survey.FlagProposal, uint64, error) {
	notFound := survey.Errorf(survey.ENOTFOUND, "Không có đề xuất #%s. / No proposal #%s.", id, id)
	seq, err := strconv.ParseUint(id, 10, 64)
	b := tx.Bucket(bProposals)
	if err != nil || b == nil {
		return nil, 0, notFound
	}
	v := b.Get(u64(seq))
	if v == nil {
		return nil, 0, notFound
	}
	var p survey.FlagProposal
	if err := json.Unmarshal(v, &p); err != nil {
		return nil, 0, fmt.Errorf("proposal %d: %w", seq, err)
	}
	return &p, seq, nil
}

func putProposal(b *bbolt.Bucket, seq uint64, p survey.FlagProposal) error {
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return b.Put(k, v)
}
