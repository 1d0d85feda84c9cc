package publish

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"hailong/analytics/engine"
	"hailong/survey"
)

// Meta keys of the publication settings, set on /admin/publish
// (docs/PUBLICATION.md "Settings"). Publication is off until an
// administrator turns it on.
const (
	MetaEnabled = "publish_enabled" // "1": the public page and data are served; absent: off
	MetaFrom    = "publish_from"    // YYYY-MM-DD: nothing before this day is shown; absent: no limit
	MetaGroups  = "publish_groups"  // comma-separated ids of the groups whose agencies are public
	MetaExclude = "publish_exclude" // comma-separated ids of agencies withheld although their group is public
	MetaStaff   = "publish_staff"   // "1": counter- and staff-level figures (each above the minimum n); absent: off
	MetaOrigins = "publish_origins" // space-separated https origins allowed to frame the widget
)

// MaxOrigins bounds the widget's allowed portal origins.
const MaxOrigins = 20

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

// settingKeys are the meta keys the public pages read at every request:
// the publish_* keys and the analytics configuration.
var settingKeys = []string{MetaEnabled, MetaFrom, MetaGroups, MetaExclude, MetaStaff, MetaOrigins, engine.MetaMethod, engine.MetaMinN}

// Load reads the settings from the store; a malformed stored value counts
// as unset (an origin or date that no longer parses is dropped).
func Load(db survey.SettingsService) Settings { return parseSettings(db.Metas(settingKeys...)) }

// parseSettings reads the stored values of settingKeys, in that order.
func parseSettings(raw []string) Settings {
	s := Settings{Enabled: raw[0] == "1", Groups: SplitList(raw[2]), Exclude: SplitList(raw[3]), Staff: raw[4] == "1",
		Config: engine.ConfigOf(raw[6], raw[7]), fingerprint: strings.Join(raw, "\x00")}
	if d, ok := engine.ParseDate(raw[1]); ok {
		s.From = d
	}
	for _, o := range SplitList(raw[5]) {
		if norm, ok := ParseOrigin(o); ok && len(s.Origins) < MaxOrigins {
			s.Origins = append(s.Origins, norm)
		}
	}
	return s
}

// Meta returns the meta values that store s (empty values remove a key).
func (s Settings) Meta() map[string]string {
	kv := map[string]string{MetaEnabled: "", MetaFrom: "", MetaGroups: strings.Join(s.Groups, ","),
		MetaExclude: strings.Join(s.Exclude, ","), MetaStaff: "", MetaOrigins: strings.Join(s.Origins, " ")}
	if s.Enabled {
		kv[MetaEnabled] = "1"
	}
	if s.From != 0 {
		kv[MetaFrom] = engine.Period{From: s.From, To: s.From}.FromDate()
	}
	if s.Staff {
		kv[MetaStaff] = "1"
	}
	return kv
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

// SplitList splits a stored or typed list at commas and white space,
// dropping empty items and repeats.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// ParseOrigin reads a web origin that may frame the widget: https, a host
// name and an optional port, nothing else (no path, query, user or
// wildcard), and returns it normalised ("https://congkhai.khanhhoa.gov.vn").
// The result goes into a Content-Security-Policy header, so every character
// is checked.
func ParseOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme != "https" || u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if len(host) > 253 || !hostRE.MatchString(host) {
		return "", false
	}
	out := "https://" + host
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != p {
			return "", false
		}
		if n != 443 {
			out += ":" + p
		}
	}
	return out, true
}
