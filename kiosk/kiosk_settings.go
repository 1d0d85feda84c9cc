package kiosk

import (
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// Settings are the installation-wide kiosk behaviours, stored in the
// store's meta bucket so that a change reaches every kiosk at its next state
// poll (about 20 s), without a restart. See docs/KIOSK.md.
type Settings struct {
	// Idle is how long a half-answered survey waits without a touch before
	// the kiosk returns to the start screen.
	Idle time.Duration
	// Thanks is how long the thanks screen stays.
	Thanks time.Duration
	// Partial is what happens to the answers of a survey left idle:
	// PartialKeep submits them as a partial response, PartialDiscard drops
	// them.
	Partial string
}

// Partial policies.
const (
	PartialKeep    = "keep"
	PartialDiscard = "discard"
)

// Meta keys of the settings (values: seconds, or a Go duration like "45s";
// "keep" or "discard").
const (
	MetaIdle    = "kiosk_idle"
	MetaThanks  = "kiosk_thanks"
	MetaPartial = "kiosk_partial"
)

// DefaultSettings are used for anything not set (or set wrongly).
var DefaultSettings = Settings{Idle: 30 * time.Second, Thanks: 6 * time.Second, Partial: PartialKeep}

// Bounds of the settings.
const (
	minIdle, maxIdle     = time.Second, time.Hour
	minThanks, maxThanks = time.Second, time.Minute
)

// LoadSettings reads the kiosk settings; a missing or invalid value falls
// back to its default.
func LoadSettings(db survey.SettingsService) Settings {
	s := DefaultSettings
	if d, ok := parseSeconds(db.Meta(MetaIdle)); ok && d >= minIdle && d <= maxIdle {
		s.Idle = d
	}
	if d, ok := parseSeconds(db.Meta(MetaThanks)); ok && d >= minThanks && d <= maxThanks {
		s.Thanks = d
	}
	if p := db.Meta(MetaPartial); p == PartialKeep || p == PartialDiscard {
		s.Partial = p
	}
	return s
}

// SaveSettings validates and stores the kiosk settings. Errors: EINVALID.
func SaveSettings(db survey.SettingsService, s Settings) error {
	if s.Idle < minIdle || s.Idle > maxIdle {
		return survey.FieldError("idle", "Thời gian chờ phải từ 1 giây đến 1 giờ. / The idle time must be between 1 s and 1 h.")
	}
	if s.Thanks < minThanks || s.Thanks > maxThanks {
		return survey.FieldError("thanks", "Thời gian màn hình cảm ơn phải từ 1 đến 60 giây. / The thanks screen must last 1 to 60 s.")
	}
	if s.Partial != PartialKeep && s.Partial != PartialDiscard {
		return survey.FieldError("partial", "Chính sách phải là keep hoặc discard. / The policy must be keep or discard.")
	}
	for k, v := range map[string]string{MetaIdle: s.Idle.String(), MetaThanks: s.Thanks.String(), MetaPartial: s.Partial} {
		if err := db.SetMeta(k, v); err != nil {
			return err
		}
	}
	return nil
}

// parseSeconds reads "30" (seconds) or a Go duration ("30s", "1m").
func parseSeconds(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(n * float64(time.Second)), true
	}
	d, err := time.ParseDuration(v)
	return d, err == nil
}
