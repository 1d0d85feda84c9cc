package survey

import (
	"strings"
	"time"
)

// A receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả) is a dossier with a
// single-use survey token: the QR code on the slip opens /r/<token>, where
// the citizen rates the whole dossier once. Only SHA-256 of the token is
// stored (in the dossier and, as the key, in the receipts bucket).

// DefaultReceiptDays is how long a receipt's token stays valid after the
// dossier was received, unless the setting Receipts.ExpiryDays (or the
// request's expires_at) says otherwise.
const DefaultReceiptDays = 90

// MaxReceiptDays bounds the expiry a setting or a request may ask for.
const MaxReceiptDays = 3660

// TokenLen is the length of a receipt token: 32 random bytes (256 bits) in
// unpadded base64url. Anything else is not a token, without a lookup.
const TokenLen = 43

// ValidToken reports whether s has the shape of a receipt token.
func ValidToken(s string) bool {
	if len(s) != TokenLen {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// Answerable reports why a receipt's form cannot be answered at now: nil,
// ECONFLICT when it was answered, EGONE when its token expired.
func (d *Dossier) Answerable(now time.Time) error {
	if d.Answered {
		return Errorf(ECONFLICT, "Hồ sơ này đã được đánh giá. Xin cảm ơn Ông/Bà! / This dossier has already been rated. Thank you!")
	}
	if !d.TokenExpires.IsZero() && !now.Before(d.TokenExpires) {
		return Errorf(EGONE, "Mã đánh giá đã hết hạn. / This survey link has expired.")
	}
	return nil
}

// String returns the machine name of an outcome, as in the timeliness API.
func (o Outcome) String() string {
	switch o {
	case Early:
		return "early"
	case OnTime:
		return "on_time"
	case Late:
		return "late"
	}
	return "in_progress"
}
