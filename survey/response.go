package survey

import (
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Channel is how a response reached us.
type Channel uint8

// Channels. The numbers are stored; never renumber.
const (
	ChannelKiosk Channel = 1
	ChannelQR    Channel = 2
	ChannelWeb   Channel = 3
	ChannelPaper Channel = 4
	NumChannels          = 5 // array size for per-channel tables (index 0 unused)
)

var channelNames = [...]string{"", "kiosk", "qr", "web", "paper"}

func (c Channel) String() string {
	if int(c) < len(channelNames) {
		return channelNames[c]
	}
	return "unknown"
}

// ParseChannel parses "kiosk", "qr", "web" or "paper".
func ParseChannel(s string) (Channel, bool) {
	for i, n := range channelNames {
		if i > 0 && n == s {
			return Channel(i), true
		}
	}
	return 0, false
}

// Flags mark responses that analytics excludes by default or reports apart.
type Flags uint8

// Flag bits. The numbers are stored; never renumber.
const (
	FlagMisuse     Flags = 1 << 0 // a kiosk answer right after the previous one
	FlagUnverified Flags = 1 << 1 // from an open poster, not a receipt
	// FlagReclassified: an administrator changed this response's counting
	// flags (SetResponseFlags, with a reason in the audit and change logs).
	// It never excludes by itself; it says why an excluded response is
	// excluded ("reclassified", not the kiosk rule or the poster) and that a
	// counted one counts after a review. Once set it stays.
	FlagReclassified Flags = 1 << 2
	NumFlagClasses         = 8 // flags&7 indexes per-flag tables

	// FlagsCounting are the flags that exclude a response from the figures.
	FlagsCounting = FlagMisuse | FlagUnverified
	// FlagsAll are every flag a response may carry.
	FlagsAll = FlagMisuse | FlagUnverified | FlagReclassified
)

// Excluded reports whether flags leave a response out of the figures by
// default (misuse or unverified).
func (f Flags) Excluded() bool { return f&FlagsCounting != 0 }

// Limits of free-text fields.
const (
	MaxComment = 2000 // runes
	MaxCode    = 100  // procedure and dossier codes
)

// Response is one citizen's answers. Responses are never edited; only their
// flags change.
type Response struct {
	Key         uint64         // store key: submitted time in ns, made unique by the store
	ID          string         // idempotency key (UUID), may be empty for imports
	Survey      string         // survey key
	Version     int            // survey version answered
	Channel     Channel        //
	Unit        string         //
	Counter     string         // optional
	Staff       string         // optional
	Procedure   string         // optional procedure code
	Kiosk       string         // kiosk id for the kiosk channel
	Dossier     string         // dossier code when linked to a receipt
	Answers     map[string]int // criterion key → NA (0) or 1..scale
	Facts       map[string]int // fact key → option index
	Reasons     []string       //
	Comment     string         //
	SubmittedAt time.Time      // when the citizen answered
	ReceivedAt  time.Time      // when the server received it (set by the store's clock unless the caller backdates it)
	Flags       Flags          //
	// Device is who delivered the response ("kiosk:<id>", "token:<id>",
	// "user:<name>", "poster:<client key>"), set by the HTTP layer. The
	// writer flags a burst by receive time per device (misuse); it is not
	// stored.
	Device string
	Seq    uint64 // its entry in the tamper-evident log, set by the store (0: unknown)
}

// Validate checks the response against the survey version it answers.
// Every error is EINVALID with the offending field.
func (r *Response) Validate(s *Survey) error {
	if s == nil || s.Key != r.Survey || s.Version != r.Version {
		return FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", r.Survey, r.Survey)
	}
	if r.Channel < ChannelKiosk || r.Channel > ChannelPaper {
		return FieldError("channel", "Kênh không hợp lệ. / Invalid channel.")
	}
	if e := CheckID("unit", r.Unit); e != nil {
		return e
	}
	for field, v := range map[string]string{"counter": r.Counter, "staff": r.Staff, "kiosk": r.Kiosk} {
		if v != "" {
			if e := CheckID(field, v); e != nil {
				return e
			}
		}
	}
	if e := checkCode("procedure", r.Procedure); e != nil {
		return e
	}
	if e := checkCode("dossier", r.Dossier); e != nil {
		return e
	}
	if len(r.Answers) == 0 {
		return FieldError("answers", "Cần ít nhất một câu trả lời. / At least one answer is required.")
	}
	for _, k := range sortedKeys(r.Answers) {
		c, _ := s.Criterion(k)
		if c == nil {
			return FieldError("answers."+k, "Tiêu chí %q không có trong phiếu. / Unknown criterion %q.", k, k)
		}
		if v := r.Answers[k]; v < 0 || v > c.Scale {
			return FieldError("answers."+k, "Điểm %d ngoài thang 1–%d (0 = không áp dụng). / Score %d out of range 1–%d (0 = not applicable).", v, c.Scale, v, c.Scale)
		}
	}
	for _, k := range sortedKeys(r.Facts) {
		f, _ := s.Fact(k)
		if f == nil {
			return FieldError("facts."+k, "Câu hỏi %q không có trong phiếu. / Unknown question %q.", k, k)
		}
		if v := r.Facts[k]; v < 0 || v >= len(f.Options) {
			return FieldError("facts."+k, "Lựa chọn %d không hợp lệ. / Option %d out of range.", v, v)
		}
	}
	seen := map[string]bool{}
	for _, k := range r.Reasons {
		if s.Reason(k) < 0 {
			return FieldError("reasons", "Lý do %q không có trong phiếu. / Unknown reason %q.", k, k)
		}
		if seen[k] {
			return FieldError("reasons", "Lý do %q bị lặp. / Reason %q repeated.", k, k)
		}
		seen[k] = true
	}
	if !utf8.ValidString(r.Comment) {
		return FieldError("comment", "Ý kiến không phải văn bản UTF-8 hợp lệ. / Comment is not valid UTF-8.")
	}
	if utf8.RuneCountInString(r.Comment) > MaxComment {
		return FieldError("comment", "Ý kiến dài quá %d ký tự. / Comment longer than %d characters.", MaxComment, MaxComment)
	}
	if r.Comment != "" && !s.Comment {
		return FieldError("comment", "Phiếu này không nhận ý kiến. / This survey takes no comment.")
	}
	if r.SubmittedAt.IsZero() || r.SubmittedAt.Year() < 2000 || r.SubmittedAt.Year() > 2999 {
		return FieldError("submitted_at", "Thời điểm trả lời không hợp lệ. / Invalid submission time.")
	}
	return nil
}

func checkCode(field, s string) error {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxCode {
		return FieldError(field, "Mã dài quá %d ký tự hoặc không hợp lệ. / Code invalid or longer than %d characters.", MaxCode, MaxCode)
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) >= 0 {
		return FieldError(field, "Mã chứa ký tự điều khiển. / Code contains control characters.")
	}
	return nil
}

// Valid reports whether the response has at least one answer other than N/A.
func (r *Response) Valid() bool {
	for _, v := range r.Answers {
		if v != NA {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// String names the flags for people: "misuse,unverified,reclassified",
// or "none".
func (f Flags) String() string {
	s := ""
	for _, x := range []struct {
		bit  Flags
		name string
	}{{FlagMisuse, "misuse"}, {FlagUnverified, "unverified"}, {FlagReclassified, "reclassified"}} {
		if f&x.bit != 0 {
			if s != "" {
				s += ","
			}
			s += x.name
		}
	}
	if s == "" {
		return "none"
	}
	return s
}

// MaxFutureSkew is how far ahead of the receive time a submission time may
// be: a clock up to this fast is taken as the receive time (the response is
// stored as received then, never on a day that has not begun), more is
// refused (SPEC 2026-12: at most 5 minutes ahead).
const MaxFutureSkew = 5 * time.Minute

// CheckSubmittedAt checks a live submission's time against the time the
// server received it: not more than window before it (the kiosk queue's
// longest wait, Settings.Submissions), nor more than MaxFutureSkew after.
// The error is EINVALID on field submitted_at. CSV imports, historical by
// nature, are not checked.
func CheckSubmittedAt(submitted, received time.Time, window time.Duration) error {
	if d := submitted.Sub(received); d > MaxFutureSkew {
		return FieldError("submitted_at", "Thời điểm trả lời ở tương lai (quá %d phút sau giờ máy chủ). / submitted_at is in the future (more than %d minutes after the server's time).",
			int(MaxFutureSkew/time.Minute), int(MaxFutureSkew/time.Minute))
	}
	if received.Sub(submitted) > window {
		days := int(window / (24 * time.Hour))
		return FieldError("submitted_at", "Thời điểm trả lời sớm hơn lúc máy chủ nhận quá %d ngày: phiếu cũ chỉ nhập bằng lệnh import. / submitted_at is more than %d days before the server received it: older responses come only by import.",
			days, days)
	}
	return nil
}
