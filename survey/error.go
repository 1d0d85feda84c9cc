package survey

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in web.ErrorHandler; messages are
// safe to show to users, internal details are logged and never shown.
const (
	EMALFORMED    = "malformed"    // 400: the request cannot be parsed
	EUNAUTHORIZED = "unauthorized" // 401: no or bad credentials
	EFORBIDDEN    = "forbidden"    // 403: outside the caller's rights
	ENOTFOUND     = "not_found"    // 404
	ECONFLICT     = "conflict"     // 409: already answered / already exists
	EGONE         = "gone"         // 410: expired
	ETOOLARGE     = "too_large"    // 413
	EUNSUPPORTED  = "unsupported"  // 415: wrong content type
	EINVALID      = "invalid"      // 422: well-formed but fails validation
	ERATELIMIT    = "rate_limited" // 429
	ELOCKED       = "locked"       // the database is held by another process
	EUNAVAILABLE  = "unavailable"  // 503: the server is shutting down
	EINTERNAL     = "internal"     // 500: a bug
)

// Error is the one error type of the application: a machine code, a message
// that can be shown to a user, and optionally the field it concerns.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns a validation error (EINVALID) about one field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Lỗi hệ thống, xin vui lòng thử lại sau. / Internal error, please try again later."
}

// ErrClosed is returned while the store is closing: callers must not read a
// missing record as "unknown" then (a kiosk would think it was unpaired).
var ErrClosed = &Error{Code: EUNAVAILABLE, Message: "Máy chủ đang dừng, xin thử lại sau. / The server is shutting down; please retry."}
