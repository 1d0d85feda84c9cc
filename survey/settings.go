package survey

import (
	"time"
)

// DefaultZone is the zone of a new installation when none is given.
const DefaultZone = "Asia/Ho_Chi_Minh"

// Survey uses: the kiosk at the counter, and the receipt's QR form.
const (
	UseKiosk   = "kiosk"
	UseReceipt = "receipt"
)

// DefaultSurveyFor is the built-in survey of a use: quay for kiosks, sipas
// for receipts.
func DefaultSurveyFor(use string) string {
	if use == UseReceipt {
		return SurveySipas
	}
	return SurveyQuay
}

// Settings are the installation's settings, read and saved whole through
// SettingsService. Each one's stored key, bounds and text form are in the
// table of settings_stored.go; its default in DefaultSettings. A Settings
// read from the store is always valid.
type Settings struct {
	// Sessions bound a login session's life (web.RequireUser, the hourly prune).
	Sessions SessionPolicy
	Kiosk    KioskSettings
	Receipts ReceiptSettings
	// Submissions bound the client's time of live submissions.
	Submissions SubmissionSettings
	// Retention of data that need not be kept for ever.
	Retention RetentionSettings
	// Cases are the rules of PAKN cases.
	Cases CaseSettings
	// Analytics is the index methodology and the dashboard's rules.
	Analytics AnalyticsSettings
	// Report fills the official report's signature block.
	Report ReportSettings
	// Publish says what the public results page and the open data show.
	Publish PublishSettings
	// PublicURL is the address the server last ran with (set by serve at
	// start; 'kiosk add' prints pairing links with it).
	PublicURL string
}

// KioskSettings are the kiosks' behaviour, read by each kiosk at its next
// state poll (about 20 s), and the misuse rule of the writer.
type KioskSettings struct {
	// Idle is how long a half-answered survey waits without a touch before
	// the kiosk returns to the start screen.
	Idle time.Duration
	// Thanks is how long the thanks screen stays.
	Thanks time.Duration
	// Partial is what happens to the answers of a survey left idle:
	// PartialKeep submits them as a partial response, PartialDiscard drops
	// them.
	Partial string
	// MisuseInterval: a kiosk answer closer than this to the previous one
	// from the same kiosk is flagged misuse. It takes effect with the save.
	MisuseInterval time.Duration
}

// Partial policies of KioskSettings.
const (
	PartialKeep    = "keep"
	PartialDiscard = "discard"
)

// ReceiptSettings are the defaults of receipts.
type ReceiptSettings struct {
	// ExpiryDays is how long a receipt's token stays valid after the
	// dossier was received, unless the request says otherwise.
	ExpiryDays int
}

// SubmissionSettings bound the submitted_at of live submissions (the API,
// kiosks and forms; CSV imports are exempt).
type SubmissionSettings struct {
	// WindowDays: a submission whose submitted_at lies more than this many
	// days before the server receives it is refused (422, nothing stored).
	// The default is the kiosk queue's longest expected wait.
	WindowDays int
}

// Window is WindowDays as a duration.
func (s SubmissionSettings) Window() time.Duration {
	return time.Duration(s.WindowDays) * 24 * time.Hour
}

// RetentionSettings say how long data are kept.
type RetentionSettings struct {
	// CommentDays: comments older than this are removed hourly, the answers
	// (and so every index) stay; 0 keeps them for ever.
	CommentDays int
	// ContactDays: a case's contact (phone, e-mail) is deleted this many
	// days after the case closes.
	ContactDays int
}

// CaseSettings are the handling rules of PAKN cases.
type CaseSettings struct {
	// DeadlineDays is the time to reply, in working days after the day the
	// case is opened (docs/CASES.md gives the legal source of the default).
	DeadlineDays int
}

// AnalyticsSettings are the index methodology (docs/METHODOLOGY.md) and the
// dashboard's alert and action rules.
type AnalyticsSettings struct {
	Method string // one of IndexMethods
	MinN   int    // below it a figure is "too few answers" and unranked
	// AlertDays and AlertNegative: a criterion whose share of negative
	// answers over the last AlertDays days is at or above AlertNegative
	// percent is an alert on the dashboard.
	AlertDays     int
	AlertNegative float64
	// ActionWindowDays is the length of the before and after windows an
	// improvement action's effect is measured over.
	ActionWindowDays int
}

// IndexMethods are the index methods analytics computes, the default first.
var IndexMethods = []string{"share45", "mean", "pooled", "overall"}

// ReportSettings fill the signature block of the official report; empty
// values are derived from the unit tree.
type ReportSettings struct {
	Place  string // the place of the date line, e.g. "Khánh Hòa"
	Signer string // the signer's title, e.g. "GIÁM ĐỐC"
}

// PublishSettings are the public results page and open data
// (docs/PUBLICATION.md). Publication is off until an administrator turns
// it on.
type PublishSettings struct {
	Enabled bool     // the public page and data are served
	From    int32    // first day shown (days since 1970-01-01); 0 = no limit
	Groups  []string // ids of the groups whose agencies are public
	Exclude []string // ids of agencies withheld although their group is public
	Staff   bool     // counter- and staff-level figures (each above the minimum n)
	Origins []string // https origins allowed to frame the widget (ParseOrigin's form)
}

// Defaults and bounds of the settings.
const (
	DefaultMinN             = 30
	MaxMinN                 = 10000
	MinMisuseInterval       = time.Second
	MaxMisuseInterval       = 10 * time.Minute
	DefaultAlertDays        = 30
	DefaultAlertNegative    = 20.0
	DefaultActionWindowDays = 90
	MinActionWindowDays     = 7
	MaxActionWindowDays     = 365
	DefaultContactDays      = 30
	MaxContactDays          = 365
	DefaultDeadlineDays     = 10
	MaxDeadlineDays         = 60
	MinCommentDays          = 30
	MaxCommentDays          = 3660
	MaxOrigins              = 20
	DefaultWindowDays       = 7
	MinWindowDays           = 1
	MaxWindowDays           = 30
	maxReportText           = 200
	maxPublicURL            = 2048
)

// DefaultSettings are the settings of a new installation; a stored value
// that is missing or out of bounds reads as its default.
func DefaultSettings() Settings {
	return Settings{
		Sessions:    DefaultSessionPolicy,
		Kiosk:       KioskSettings{Idle: 30 * time.Second, Thanks: 6 * time.Second, Partial: PartialKeep, MisuseInterval: 5 * time.Second},
		Receipts:    ReceiptSettings{ExpiryDays: DefaultReceiptDays},
		Submissions: SubmissionSettings{WindowDays: DefaultWindowDays},
		Retention:   RetentionSettings{ContactDays: DefaultContactDays},
		Cases:       CaseSettings{DeadlineDays: DefaultDeadlineDays},
		Analytics:   AnalyticsSettings{Method: IndexMethods[0], MinN: DefaultMinN, AlertDays: DefaultAlertDays, AlertNegative: DefaultAlertNegative, ActionWindowDays: DefaultActionWindowDays},
	}
}

// Validate returns the first problem of s (EINVALID with the field, as in
// Problems), or nil.
func (s Settings) Validate() error {
	if ps := s.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems returns every setting of s that is out of bounds, in the order
// of the table, each an EINVALID *Error naming its field ("kiosk.idle",
// "sessions.max" …) with a message for the person who typed it. A form
// shows each beside its input.
func (s Settings) Problems() []*Error {
	var out []*Error
	for _, st := range settingTable {
		if msg := st.check(&s); msg != "" {
			out = append(out, &Error{Code: EINVALID, Field: st.field, Message: msg})
		}
	}
	return out
}

// Clone returns a copy of s that shares no slice with it.
func (s Settings) Clone() Settings {
	s.Publish.Groups = clone(s.Publish.Groups)
	s.Publish.Exclude = clone(s.Publish.Exclude)
	s.Publish.Origins = clone(s.Publish.Origins)
	return s
}

func clone(list []string) []string {
	if list == nil {
		return nil
	}
	return append([]string(nil), list...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
