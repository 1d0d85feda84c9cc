package publish

import (
	"fmt"
	"strings"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The publication settings are survey.Settings.Publish, set on
// /admin/publish (docs/PUBLICATION.md "Settings"). Publication is off until
// an administrator turns it on.

// Settings are the publication settings in force, with the analytics
// configuration (method, minimum n) they are computed with.
type Settings struct {
	Enabled bool
	From    int32 // first day shown (days since 1970-01-01); 0 = no limit
	Groups  []string
	Exclude []string
	Staff   bool
	Origins []string
	Config  engine.Config
	// fingerprint names every value above: cached pages are keyed by it,
	// so a change of settings is seen at the next request.
	fingerprint string
}

// Load reads the settings in force from the store.
func Load(db survey.SettingsService) Settings { return settingsOf(db.Settings()) }

// settingsOf picks the publication settings out of the installation's.
func settingsOf(all survey.Settings) Settings {
	p := all.Publish
	s := Settings{Enabled: p.Enabled, From: p.From, Groups: p.Groups, Exclude: p.Exclude, Staff: p.Staff, Origins: p.Origins,
		Config: engine.ConfigOf(all.Analytics)}
	s.fingerprint = fmt.Sprintf("%t|%d|%s|%s|%t|%s|%s|%d", s.Enabled, s.From, strings.Join(s.Groups, ","), strings.Join(s.Exclude, ","),
		s.Staff, strings.Join(s.Origins, " "), s.Config.Method, s.Config.MinN)
	return s
}

// GroupPublic reports whether group g is published.
func (s Settings) GroupPublic(g string) bool { return g != "" && contains(s.Groups, g) }

// UnitPublic reports whether u is a published agency: a member of a public
// group that is not withheld. Units without a group (the province, the
// departments under an agency) are never listed on their own.
func (s Settings) UnitPublic(u *survey.Unit) bool {
	return u != nil && s.GroupPublic(u.Group) && !contains(s.Exclude, u.ID)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
