package pg

import (
	"hailong/survey"
	"hailong/survey/csvin"
	"io"

	"github.com/jackc/pgx/v5"
)

// ImportDossiers creates or updates dossiers by code from a CSV file with
// the columns code,unit,procedure,received_at,due_at,finished_at,
// supplement_days and optionally staff (see csvin.Dossiers.Import). All or
// nothing; the file is read into memory. Errors: *ImportError (EINVALID), or
// a read error.
func (db *DB) ImportDossiers(r io.Reader) (survey.ImportStats, error) {
	return csvin.Dossiers{Loc: db.opts.Loc, Put: db.PutDossiers, KeepStaff: db.keepStaff,
		Check: func(d *survey.Dossier) error { return db.snap().checkDossier(d) }}.Import(r)
}

// keepStaff carries over, from the stored dossiers with the same codes,
// the staff member (for a file without a staff column; the token and
// answered flag are carried over by putDossier, inside the write).
func (db *DB) keepStaff(ds []survey.Dossier) error {
	codes := make([]string, len(ds))
	for i := range ds {
		codes[i] = ds[i].Code
	}
	rows, err := db.pool.Query(ctx(), "SELECT code, coalesce(doc->>'staff', '') FROM dossiers WHERE code = ANY($1)", codes)
	if err != nil {
		return err
	}
	staff := map[string]string{}
	var code, st string
	if _, err := pgx.ForEachRow(rows, []any{&code, &st}, func() error { staff[code] = st; return nil }); err != nil {
		return err
	}
	for i := range ds {
		if st, ok := staff[ds[i].Code]; ok {
			ds[i].Staff = st
		}
	}
	return nil
}
