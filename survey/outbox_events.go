package survey

import (
	"strings"
	"time"
)

// The data of each event type, one definition for every backend: what the
// systems around us receive. Nothing that identifies a citizen leaves: no
// contact, no comment; a case's summary is masked (MaskPII) and internal
// notes and the reply's text stay inside.

// ResponseEventData is the data of a response.created event: where and how
// the response came, and whether it counts.
type ResponseEventData struct {
	ID          string    `json:"id,omitempty"`
	Unit        string    `json:"unit"`
	Channel     string    `json:"channel"`
	Survey      string    `json:"survey"`
	SubmittedAt time.Time `json:"submitted_at"`
	Counted     bool      `json:"counted"`
	Flags       []string  `json:"flags"`
}

// ResponseEvent returns the event data of a stored response.
func ResponseEvent(r *Response) ResponseEventData {
	flags := []string{}
	if r.Flags != 0 {
		flags = strings.Split(r.Flags.String(), ",")
	}
	return ResponseEventData{ID: r.ID, Unit: r.Unit, Channel: r.Channel.String(), Survey: r.Survey,
		SubmittedAt: r.SubmittedAt.UTC(), Counted: !r.Flags.Excluded(), Flags: flags}
}

// FinishedEventData is the data of a dossier.finished event.
type FinishedEventData struct {
	Code       string    `json:"code"`
	Unit       string    `json:"unit"`
	Procedure  string    `json:"procedure,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	DueAt      time.Time `json:"due_at"`
	FinishedAt time.Time `json:"finished_at"`
	OnTime     bool      `json:"on_time"` // finished early or on the due date (supplement days excluded)
}

// FinishedEvent returns the event data of a finished dossier; days are cut
// in loc.
func FinishedEvent(d *Dossier, loc *time.Location) FinishedEventData {
	o := d.Outcome(loc)
	return FinishedEventData{Code: d.Code, Unit: d.Unit, Procedure: d.Procedure, ReceivedAt: d.ReceivedAt.UTC(),
		DueAt: d.DueAt.UTC(), FinishedAt: d.FinishedAt.UTC(), OnTime: o == Early || o == OnTime}
}

// CaseEventData is the data of the case.opened and case.updated events: the
// case's state, never its contact, internal notes or the reply's text.
type CaseEventData struct {
	ID          string    `json:"id"`
	Unit        string    `json:"unit"`
	Kind        string    `json:"kind"`
	Source      string    `json:"source"`
	Channel     string    `json:"channel,omitempty"`
	Response    string    `json:"response,omitempty"`
	Dossier     string    `json:"dossier,omitempty"`
	Summary     string    `json:"summary,omitempty"` // masked: no phone, identity or other long number
	Status      string    `json:"status"`
	Assignee    string    `json:"assignee,omitempty"`
	OpenedAt    time.Time `json:"opened_at"`
	DueAt       time.Time `json:"due_at"`
	EscalatedTo string    `json:"escalated_to,omitempty"`
	RepliedAt   time.Time `json:"replied_at,omitzero"`
	ReplyVia    string    `json:"reply_via,omitempty"`
	OnTime      *bool     `json:"on_time,omitempty"` // set once replied
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Rating      string    `json:"rating,omitempty"`
}

// CaseEvent returns the event data of a case.
func CaseEvent(c *Case) CaseEventData {
	e := CaseEventData{ID: c.ID, Unit: c.Unit, Kind: c.Kind, Source: c.Source, Channel: c.Channel, Response: c.Response,
		Dossier: c.Dossier, Summary: MaskPII(c.Summary), Status: c.Status, Assignee: c.Assignee, OpenedAt: c.OpenedAt.UTC(),
		DueAt: c.DueAt.UTC(), EscalatedTo: c.EscalatedTo, ClosedAt: c.ClosedAt.UTC(), Rating: c.Rating}
	if at, ok := c.RepliedAt(); ok {
		on := c.OnTime()
		e.RepliedAt, e.OnTime = at.UTC(), &on
	}
	if c.Reply != nil {
		e.ReplyVia = c.Reply.Via
	}
	return e
}
