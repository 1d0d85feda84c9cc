package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"hailong/survey"
)

// openPostgres opens the PostgreSQL store at url. Until survey/pg is part
// of the build this is the one line that changes when it is.
func openPostgres(ctx context.Context, url string, loc *time.Location, now func() time.Time, log *slog.Logger) (survey.Store, error) {
	return nil, errors.New("this build has no PostgreSQL backend (survey/pg)")
}
