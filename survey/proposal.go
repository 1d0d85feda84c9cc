package survey

import "time"

// Proposal states.
const (
	ProposalOpen      = "open"
	ProposalConfirmed = "confirmed"
	ProposalRefused   = "refused"
)

// FlagProposal is a request, by someone who may not change counting flags
// (a manager: the ranked party), that an administrator change the flags of
// one response. Confirming applies the change through SetResponseFlags'
// path, with the proposal's reason; refusing changes nothing. Either way
// the decision is audited and the proposal kept.
type FlagProposal struct {
	ID        string    `json:"id"`       // the store's sequence number
	Response  uint64    `json:"response"` // the response's storage key
	Unit      string    `json:"unit"`     // the response's unit (who may see the proposal)
	Set       Flags     `json:"set"`      // counting flags to set …
	Clear     Flags     `json:"clear"`    // … and to clear
	Reason    string    `json:"reason"`
	By        string    `json:"by"` // who proposed (Principal.Actor)
	At        time.Time `json:"at"`
	State     string    `json:"state"` // Proposal*
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Note      string    `json:"note,omitempty"` // the administrator's note on the decision
}

// Validate checks the change and the reason (trimming it). Errors: EINVALID
// with field "flag" (no change, unknown flags, or a flag both set and
// cleared) or "reason".
func (p *FlagProposal) Validate() error {
	if p.Set|p.Clear == 0 || (p.Set|p.Clear)&^FlagsCounting != 0 || p.Set&p.Clear != 0 {
		return FieldError("flag", "Đề xuất phải đặt hoặc bỏ cờ misuse hoặc unverified. / A proposal sets or clears misuse or unverified.")
	}
	r, err := CheckReason("reason", p.Reason, true)
	p.Reason = r
	return err
}

// Apply is the flags a response with flags f has once the proposal is
// confirmed.
func (p *FlagProposal) Apply(f Flags) Flags { return (f | p.Set) &^ p.Clear }

// Detail names the change proposed: "misuse: set".
func (p *FlagProposal) Detail() string {
	return FlagChangeDetail(p.Clear, p.Set)
}
