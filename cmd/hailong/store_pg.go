package main

import (
	"context"
	"log/slog"
	"time"

	"hailong/survey"
	"hailong/survey/pg"
)

// openPostgres opens the PostgreSQL store at url.
func openPostgres(ctx context.Context, url string, loc *time.Location, now func() time.Time, log *slog.Logger) (survey.Store, error) {
	return pg.Open(ctx, url, pg.Options{Loc: loc, Now: now, Logger: log})
}
