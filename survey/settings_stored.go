package survey

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// setting is one row of the table: a setting's stored key, the field its
// errors name, its text form and its bounds. The keys and texts are those
// stored before the typed layer, so existing databases keep their settings.
type setting struct {
	key   string
	field string
	get   func(s *Settings) string         // the stored text ("" = the key is removed)
	set   func(s *Settings, v string) bool // reads the stored text; false when malformed
	check func(s *Settings) string         // "", or why the value is out of bounds
}

var settingTable = []setting{
	{"index_method", "analytics.method",
		func(s *Settings) string { return s.Analytics.Method },
		func(s *Settings, v string) bool { s.Analytics.Method = v; return true },
		func(s *Settings) string {
			return unless(contains(IndexMethods, s.Analytics.Method), "Chọn một phương pháp trong danh sách. / Choose a method from the list.")
		}},
	{"min_n", "analytics.min_n",
		func(s *Settings) string { return strconv.Itoa(s.Analytics.MinN) },
		func(s *Settings, v string) bool { return atoi(v, &s.Analytics.MinN) },
		func(s *Settings) string {
			return unless(in(s.Analytics.MinN, 1, MaxMinN), "Số phiếu tối thiểu phải từ 1 đến 10000. / The minimum n must be 1 to 10000.")
		}},
	{"alert_days", "analytics.alert_days",
		func(s *Settings) string { return strconv.Itoa(s.Analytics.AlertDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Analytics.AlertDays) },
		func(s *Settings) string {
			return unless(in(s.Analytics.AlertDays, 1, 366), "Số ngày cảnh báo phải từ 1 đến 366. / The alert window must be 1 to 366 days.")
		}},
	{"alert_negative", "analytics.alert_negative",
		func(s *Settings) string { return strconv.FormatFloat(s.Analytics.AlertNegative, 'g', -1, 64) },
		func(s *Settings, v string) bool {
			x, err := strconv.ParseFloat(v, 64)
			s.Analytics.AlertNegative = x
			return err == nil
		},
		func(s *Settings) string {
			x := s.Analytics.AlertNegative
			return unless(x > 0 && x < 100, "Ngưỡng cảnh báo phải lớn hơn 0 và nhỏ hơn 100 (%). / The alert threshold must be above 0 and below 100 (%).")
		}},
	{"action_window_days", "analytics.action_window_days",
		func(s *Settings) string { return strconv.Itoa(s.Analytics.ActionWindowDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Analytics.ActionWindowDays) },
		func(s *Settings) string {
			return unless(in(s.Analytics.ActionWindowDays, MinActionWindowDays, MaxActionWindowDays),
				"Số ngày của mỗi khoảng phải từ 7 đến 365. / The window must be 7 to 365 days.")
		}},
	{"misuse_interval", "kiosk.misuse_interval",
		func(s *Settings) string { return s.Kiosk.MisuseInterval.String() },
		func(s *Settings, v string) bool { return parseDuration(v, &s.Kiosk.MisuseInterval) },
		func(s *Settings) string {
			d := s.Kiosk.MisuseInterval
			return unless(d >= MinMisuseInterval && d <= MaxMisuseInterval, "Khoảng cách phải từ 1 đến 600 giây. / The interval must be 1 to 600 seconds.")
		}},
	{"kiosk_idle", "kiosk.idle",
		func(s *Settings) string { return s.Kiosk.Idle.String() },
		func(s *Settings, v string) bool { return parseDuration(v, &s.Kiosk.Idle) },
		func(s *Settings) string {
			d := s.Kiosk.Idle
			return unless(d >= time.Second && d <= time.Hour, "Thời gian chờ phải từ 1 đến 3600 giây. / The idle time must be 1 to 3600 seconds.")
		}},
	{"kiosk_thanks", "kiosk.thanks",
		func(s *Settings) string { return s.Kiosk.Thanks.String() },
		func(s *Settings, v string) bool { return parseDuration(v, &s.Kiosk.Thanks) },
		func(s *Settings) string {
			d := s.Kiosk.Thanks
			return unless(d >= time.Second && d <= time.Minute, "Màn hình cảm ơn phải từ 1 đến 60 giây. / The thanks screen must last 1 to 60 seconds.")
		}},
	{"kiosk_partial", "kiosk.partial",
		func(s *Settings) string { return s.Kiosk.Partial },
		func(s *Settings, v string) bool { s.Kiosk.Partial = v; return true },
		func(s *Settings) string {
			p := s.Kiosk.Partial
			return unless(p == PartialKeep || p == PartialDiscard, "Chọn giữ hoặc bỏ. / Choose keep or discard.")
		}},
	{"receipt_expiry_days", "receipts.expiry_days",
		func(s *Settings) string { return strconv.Itoa(s.Receipts.ExpiryDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Receipts.ExpiryDays) },
		func(s *Settings) string {
			return unless(in(s.Receipts.ExpiryDays, 1, MaxReceiptDays), "Thời hạn phải từ 1 đến 3660 ngày. / The expiry must be 1 to 3660 days.")
		}},
	{"submission_window_days", "submissions.window_days",
		func(s *Settings) string { return strconv.Itoa(s.Submissions.WindowDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Submissions.WindowDays) },
		func(s *Settings) string {
			return unless(in(s.Submissions.WindowDays, MinWindowDays, MaxWindowDays), "Số ngày phải từ 1 đến 30. / The window must be 1 to 30 days.")
		}},
	{"session_idle", "sessions.idle",
		func(s *Settings) string { return s.Sessions.Idle.String() },
		func(s *Settings, v string) bool { return goDuration(v, &s.Sessions.Idle) },
		func(s *Settings) string {
			return unless(idleOK(s.Sessions.Idle), "Nhập thời lượng từ 5m đến 24h (ví dụ 30m, 1h). / Enter 5m to 24h (e.g. 30m, 1h).")
		}},
	{"session_max", "sessions.max",
		func(s *Settings) string { return s.Sessions.Max.String() },
		func(s *Settings, v string) bool { return goDuration(v, &s.Sessions.Max) },
		func(s *Settings) string {
			p := s.Sessions
			if p.Max < time.Hour || p.Max > 30*24*time.Hour {
				return "Nhập thời lượng từ 1h đến 720h (ví dụ 12h). / Enter 1h to 720h (e.g. 12h)."
			}
			return unless(!idleOK(p.Idle) || p.Max >= p.Idle, "Thời hạn tối đa không được ngắn hơn thời gian chờ. / The maximum cannot be shorter than the idle time.")
		}},
	{"comment_retention_days", "retention.comment_days",
		func(s *Settings) string { return strconv.Itoa(s.Retention.CommentDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Retention.CommentDays) },
		func(s *Settings) string {
			n := s.Retention.CommentDays
			return unless(n == 0 || in(n, MinCommentDays, MaxCommentDays), "Nhập 0 (giữ mãi) hoặc từ 30 đến 3660 ngày. / Enter 0 (keep) or 30 to 3660 days.")
		}},
	{"contact_retention_days", "retention.contact_days",
		func(s *Settings) string { return strconv.Itoa(s.Retention.ContactDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Retention.ContactDays) },
		func(s *Settings) string {
			return unless(in(s.Retention.ContactDays, 1, MaxContactDays), "Nhập từ 1 đến 365 ngày. / Enter 1 to 365 days.")
		}},
	{"case_deadline_days", "cases.deadline_days",
		func(s *Settings) string { return strconv.Itoa(s.Cases.DeadlineDays) },
		func(s *Settings, v string) bool { return atoi(v, &s.Cases.DeadlineDays) },
		func(s *Settings) string {
			return unless(in(s.Cases.DeadlineDays, 1, MaxDeadlineDays), "Nhập từ 1 đến 60 ngày làm việc. / Enter 1 to 60 working days.")
		}},
	{"report_place", "report.place",
		func(s *Settings) string { return s.Report.Place },
		func(s *Settings, v string) bool { s.Report.Place = v; return true },
		func(s *Settings) string {
			return unless(plainText(s.Report.Place, maxReportText), "Địa danh tối đa 200 ký tự, một dòng. / The place must be one line of at most 200 characters.")
		}},
	{"report_signer", "report.signer",
		func(s *Settings) string { return s.Report.Signer },
		func(s *Settings, v string) bool { s.Report.Signer = v; return true },
		func(s *Settings) string {
			return unless(plainText(s.Report.Signer, maxReportText), "Chức danh tối đa 200 ký tự, một dòng. / The signer's title must be one line of at most 200 characters.")
		}},
	{"publish_enabled", "publish.enabled",
		func(s *Settings) string { return flag(s.Publish.Enabled) },
		func(s *Settings, v string) bool { s.Publish.Enabled = v == "1"; return true },
		func(*Settings) string { return "" }},
	{"publish_from", "publish.from",
		func(s *Settings) string {
			if s.Publish.From == 0 {
				return ""
			}
			return DayString(s.Publish.From)
		},
		func(s *Settings, v string) bool {
			d, ok := ParseDay(v)
			s.Publish.From = d
			return ok
		},
		func(s *Settings) string {
			return unless(s.Publish.From == 0 || publishYearOK(s.Publish.From),
				"Ngày không hợp lệ: dùng dạng YYYY-MM-DD (năm 2000–2999). / Invalid date: use YYYY-MM-DD.")
		}},
	{"publish_groups", "publish.groups",
		func(s *Settings) string { return strings.Join(s.Publish.Groups, ",") },
		func(s *Settings, v string) bool { s.Publish.Groups = SplitList(v); return true },
		func(s *Settings) string { return listProblem(s.Publish.Groups) }},
	{"publish_exclude", "publish.exclude",
		func(s *Settings) string { return strings.Join(s.Publish.Exclude, ",") },
		func(s *Settings, v string) bool { s.Publish.Exclude = SplitList(v); return true },
		func(s *Settings) string { return listProblem(s.Publish.Exclude) }},
	{"publish_staff", "publish.staff",
		func(s *Settings) string { return flag(s.Publish.Staff) },
		func(s *Settings, v string) bool { s.Publish.Staff = v == "1"; return true },
		func(*Settings) string { return "" }},
	{"publish_origins", "publish.origins",
		func(s *Settings) string { return strings.Join(s.Publish.Origins, " ") },
		func(s *Settings, v string) bool {
			// An origin that no longer parses is dropped, not the whole list.
			s.Publish.Origins = nil
			for _, o := range SplitList(v) {
				if norm, ok := ParseOrigin(o); ok && len(s.Publish.Origins) < MaxOrigins && !contains(s.Publish.Origins, norm) {
					s.Publish.Origins = append(s.Publish.Origins, norm)
				}
			}
			return true
		},
		func(s *Settings) string {
			for _, o := range s.Publish.Origins {
				if norm, ok := ParseOrigin(o); !ok || norm != o {
					return OriginMessage(o)
				}
			}
			return unless(len(s.Publish.Origins) <= MaxOrigins, "Tối đa 20 nguồn. / At most 20 origins.")
		}},
	{"public_url", "public_url",
		func(s *Settings) string { return s.PublicURL },
		func(s *Settings, v string) bool { s.PublicURL = v; return true },
		func(s *Settings) string {
			return unless(plainText(s.PublicURL, maxPublicURL) && !strings.ContainsAny(s.PublicURL, " \t"),
				"Địa chỉ công khai không hợp lệ. / Invalid public URL.")
		}},
}

// SettingsFrom reads settings from their stored text: get returns the text
// stored under a key ("" when absent). A missing, malformed or
// out-of-bounds value reads as its default, so the result is valid.
func SettingsFrom(get func(key string) string) Settings {
	s := DefaultSettings()
	for _, st := range settingTable {
		v := get(st.key)
		if v == "" {
			continue
		}
		t := s
		if st.set(&t, v) && st.check(&t) == "" {
			s = t
		}
	}
	// A maximum stored without the idle time it was checked against.
	if s.Sessions.Max < s.Sessions.Idle {
		s.Sessions.Max = s.Sessions.Idle
	}
	return s
}

// Stored returns the stored text of every setting of s by key ("" = the
// key is absent). SettingsFrom(Stored()) gives s back.
func (s Settings) Stored() map[string]string {
	out := make(map[string]string, len(settingTable))
	for _, st := range settingTable {
		out[st.key] = st.get(&s)
	}
	return out
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

// OriginMessage says that o is not an origin ParseOrigin accepts.
func OriginMessage(o string) string {
	return fmt.Sprintf("“%s” không phải một nguồn https hợp lệ: chỉ ghi https://tên-miền (có thể kèm :cổng), không đường dẫn, không dấu *. / “%s” is not a valid https origin: https://host[:port] only, no path, no wildcard.", o, o)
}

func unless(ok bool, msg string) string {
	if ok {
		return ""
	}
	return msg
}

func in(n, lo, hi int) bool { return n >= lo && n <= hi }

func idleOK(d time.Duration) bool { return d >= 5*time.Minute && d <= 24*time.Hour }

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func atoi(v string, dst *int) bool {
	n, err := strconv.Atoi(v)
	*dst = n
	return err == nil
}

// parseDuration reads "30" (seconds, fractions allowed) or a Go duration
// ("30s", "1m"), as the kiosk and misuse settings have always been stored.
func parseDuration(v string, dst *time.Duration) bool {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		*dst = time.Duration(n * float64(time.Second))
		return true
	}
	return goDuration(v, dst)
}

func goDuration(v string, dst *time.Duration) bool {
	d, err := time.ParseDuration(v)
	*dst = d
	return err == nil
}

// publishYearOK bounds the first published day to the years 2000–2999.
func publishYearOK(day int32) bool {
	y := time.Unix(int64(day)*86400, 0).UTC().Year()
	return y >= 2000 && y <= 2999
}

// plainText reports whether s is one line of at most max characters.
func plainText(s string, max int) bool {
	if utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// listProblem checks a list of ids stored comma-separated.
func listProblem(ids []string) string {
	for _, id := range ids {
		if id == "" || strings.ContainsAny(id, ", \t\r\n") {
			return fmt.Sprintf("Mã %q không hợp lệ. / Invalid id %q.", id, id)
		}
	}
	return ""
}
