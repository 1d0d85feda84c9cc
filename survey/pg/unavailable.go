package pg

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"hailong/survey"
)

// errUnavailable is what a caller sees while the database cannot be
// reached (stopped, restarting, failing over): EUNAVAILABLE, a 503, which
// kiosks and integrations retry with the same id. The cause stays wrapped
// for the log.
var errUnavailable = &survey.Error{Code: survey.EUNAVAILABLE,
	Message: "Cơ sở dữ liệu tạm thời không trả lời, xin thử lại sau. / The database is not answering for the moment: please try again."}

// unavailable marks a failed database call EUNAVAILABLE, keeping the cause;
// nil stays nil.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w (%v)", errUnavailable, err)
}

// unreachable is unavailable for an error that says the database or the
// connection to it is gone — a refused or cut connection, a timeout, a
// server shutting down or starting (SQLSTATE classes 08 and 57P) — and
// err unchanged otherwise (a constraint, a bug: still internal). A commit
// cut off this way may have happened: the client's retry by id answers
// 200 then, never a second copy.
func unreachable(err error) error {
	if err == nil {
		return nil
	}
	var se *survey.Error
	if errors.As(err, &se) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") {
			return unavailable(err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed") {
		return unavailable(err)
	}
	return err
}
