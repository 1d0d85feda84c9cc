package survey

import (
	"strings"
	"time"
)

// DefaultZone is the zone of a new installation when none is given.
const DefaultZone = "Asia/Ho_Chi_Minh"

// Survey uses: the kiosk at the counter, and the receipt's QR form.
const (
	UseKiosk   = "kiosk"
	UseReceipt = "receipt"
)

// SurveyUseKey is the meta key naming the survey that unit's kiosks or
// receipts (use) answer: "survey_kiosk:<unit>", "survey_receipt:<unit>".
// The unit "" is the installation-wide choice.
func SurveyUseKey(use, unit string) string { return "survey_" + use + ":" + unit }

// DefaultSurveyFor is the built-in survey of a use: quay for kiosks, sipas
// for receipts.
func DefaultSurveyFor(use string) string {
	if use == UseReceipt {
		return SurveySipas
	}
	return SurveyQuay
}

// MetaMisuseInterval is the setting of the kiosk misuse interval (a Go
// duration): a kiosk answer closer than this to the previous one from the
// same kiosk is flagged misuse.
const MetaMisuseInterval = "misuse_interval"

// Bounds of the misuse interval.
const (
	MinMisuseInterval = time.Second
	MaxMisuseInterval = 10 * time.Minute
)

// ParseMisuseInterval reads a misuse interval setting ("5s", or seconds).
func ParseMisuseInterval(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	d, err := time.ParseDuration(v)
	if err != nil {
		d, err = time.ParseDuration(v + "s")
	}
	return d, err == nil && d >= MinMisuseInterval && d <= MaxMisuseInterval
}

// MetaCommentRetention is the setting (days; 0 or empty = keep for ever)
// after which comments are removed from stored responses. The answers, and
// so every index, stay; only the free text goes.
const MetaCommentRetention = "comment_retention_days"
