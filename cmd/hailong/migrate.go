package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"hailong/survey"
)

// migrateChunk is how many records go into one transaction of the target.
const migrateChunk = 5000

// cmdMigrate copies a whole installation from one store to another (bbolt →
// PostgreSQL, or bbolt → bbolt), then compares them (migrate_check.go).
func cmdMigrate(args []string, stdout io.Writer) error {
	var from, to, tz string
	var force bool
	f := newFlags("migrate")
	f.str(&from, "from", "", "the source: a data folder, a bbolt file or a postgres:// address")
	f.str(&to, "to", "", "the target: a postgres:// address, a data folder or a bbolt file")
	f.str(&tz, "tz", "", "time zone of a new target (default: the source's)")
	f.boolean(&force, "force", "copy into a target that already holds data (an item present on both sides still stops the copy)")
	if err := f.parse(args); err != nil {
		return err
	}
	if from == "" || to == "" || f.NArg() != 0 {
		return usageError("migrate needs --from and --to, and no other argument")
	}
	srcCfg := Config{DB: storeArg(from)}
	if _, err := os.Stat(srcCfg.DB); !isPostgres(srcCfg.DB) && err != nil {
		return fmt.Errorf("no source database: %w", err)
	}
	src, err := cliStore(&srcCfg, false)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	dstCfg := Config{DB: storeArg(to), TZ: tz}
	if dstCfg.TZ == "" {
		dstCfg.TZ = src.Loc().String()
	}
	if !isPostgres(dstCfg.DB) {
		if err := os.MkdirAll(filepath.Dir(dstCfg.DB), 0o750); err != nil {
			return err
		}
	}
	dst, err := cliStore(&dstCfg, false)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	defer dst.Close()
	if what := holds(dst); what != "" && !force {
		return fmt.Errorf("the target is not empty (%s): nothing copied; --force copies into it anyway", what)
	}
	start := time.Now()
	st, err := migrate(src, dst, stdout)
	if err != nil {
		return fmt.Errorf("copy stopped (the target is incomplete: empty it before trying again): %w", err)
	}
	st.seconds = time.Since(start).Seconds()
	fmt.Fprintf(stdout, "copied %d responses in %.1f s (%.0f responses/s), %d records in all\n",
		st.responses, st.seconds, float64(st.responses)/max(st.seconds, 1e-9), st.records)
	fmt.Fprint(stdout, migrateNotes)
	return checkMigration(src, dst, stdout)
}

// migrateNotes says what a migration does not carry as it was.
const migrateNotes = `not carried: login sessions (everyone logs in again); the key that hashes client addresses (rate limits start afresh)
rebuilt: the tamper-evident log — the target appended every copied response to a new chain, so its heads differ from
  the ones published before; keep the source's 'hailong export log' as the record of the old chain (docs/DEPLOY.md)
`

// storeArg is a --from/--to value as a store address: a data folder (one
// that exists, or a new path not ending in .db) means its hailong.db.
func storeArg(s string) string {
	if isPostgres(s) {
		return s
	}
	fi, err := os.Stat(s)
	if (err == nil && fi.IsDir()) || (err != nil && filepath.Ext(s) != ".db") {
		return filepath.Join(s, "hailong.db")
	}
	return s
}

// holds says what a target already has that a migration would copy ("" =
// nothing: a new store holds only the built-in surveys).
func holds(db survey.Store) string {
	switch {
	case db.ResponseCount() > 0:
		return fmt.Sprintf("%d responses", db.ResponseCount())
	case len(db.Units()) > 0:
		return fmt.Sprintf("%d units", len(db.Units()))
	case len(db.Users()) > 0:
		return fmt.Sprintf("%d logins", len(db.Users()))
	case len(db.Tokens()) > 0:
		return fmt.Sprintf("%d API tokens", len(db.Tokens()))
	case len(db.Kiosks()) > 0:
		return fmt.Sprintf("%d kiosks", len(db.Kiosks()))
	case len(db.Webhooks()) > 0:
		return fmt.Sprintf("%d webhooks", len(db.Webhooks()))
	}
	if cs, err := db.Cases(survey.CaseQuery{Limit: 1}); err != nil || len(cs) > 0 {
		return "cases" // or an error reading them: not known to be empty
	}
	return ""
}

type migrateStats struct {
	responses, records int
	seconds            float64
}

// migrate copies the organisation through the services, then every kind of
// record through the Exporter and Importer, then what refers to both.
func migrate(src, dst survey.Store, out io.Writer) (migrateStats, error) {
	var st migrateStats
	ex, ok1 := src.(survey.Exporter)
	im, ok2 := dst.(survey.Importer)
	if !ok1 || !ok2 {
		return st, fmt.Errorf("these stores cannot be migrated between (no survey.Exporter or survey.Importer)")
	}
	if err := copyOrg(src, dst); err != nil {
		return st, fmt.Errorf("organisation: %w", err)
	}
	for _, kind := range survey.RecordKinds {
		t := time.Now()
		n, err := copyKind(ex, im, kind)
		if err != nil {
			return st, fmt.Errorf("%s: %w", kind, err)
		}
		fmt.Fprintf(out, "%-9s %8d  %.1f s\n", kind, n, time.Since(t).Seconds())
		st.records += n
		if kind == survey.RecResponse {
			st.responses = n
		}
		if kind == survey.RecSurvey {
			if err := copyUses(src, dst); err != nil {
				return st, fmt.Errorf("survey of each unit: %w", err)
			}
		}
		if kind == survey.RecHoliday {
			if err := dropHolidays(src, dst); err != nil {
				return st, fmt.Errorf("holidays: %w", err)
			}
		}
	}
	return st, copyAfter(src, dst)
}

// copyKind streams one kind in chunks of migrateChunk records.
func copyKind(ex survey.Exporter, im survey.Importer, kind string) (int, error) {
	n := 0
	chunk := make([]survey.Record, 0, migrateChunk)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := im.Import(kind, chunk)
		n += len(chunk)
		chunk = chunk[:0]
		return err
	}
	err := ex.Export(kind, func(r survey.Record) error {
		if chunk = append(chunk, r); len(chunk) == migrateChunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, flush()
}

// copyOrg copies groups, units, counters, staff with their photos and the
// procedure catalogue.
func copyOrg(src, dst survey.Store) error {
	for _, g := range src.Groups() {
		if err := dst.PutGroup(g); err != nil {
			return err
		}
	}
	if us := src.Units(); len(us) > 0 {
		if err := dst.PutUnits(us); err != nil {
			return err
		}
	}
	for _, c := range src.Counters("") {
		if err := dst.PutCounter(c); err != nil {
			return err
		}
	}
	for _, s := range src.StaffOf("") {
		if err := dst.PutStaff(s); err != nil {
			return err
		}
		if _, img := src.StaffPhoto(s.ID); img != nil {
			if _, err := dst.SetStaffPhoto(s.ID, img); err != nil {
				return fmt.Errorf("photo of %s: %w", s.ID, err)
			}
		}
	}
	if ps := src.Procedures(); len(ps) > 0 {
		return dst.PutProcedures(ps)
	}
	return nil
}

// copyUses copies which survey each unit (and the installation) uses.
func copyUses(src, dst survey.Store) error {
	units := []string{""}
	for _, u := range src.Units() {
		units = append(units, u.ID)
	}
	for _, u := range units {
		for _, use := range []string{survey.UseKiosk, survey.UseReceipt} {
			if key := src.OwnSurveyFor(u, use); key != "" {
				if err := dst.SetSurveyFor(u, use, key); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// dropHolidays deletes the target's holidays the source does not have (the
// defaults a new store holds, which the source's administrator deleted):
// the calendar, and so the deadlines counted on the copy, are the source's.
func dropHolidays(src, dst survey.Store) error {
	keep := map[string]bool{}
	for _, h := range src.Holidays() {
		keep[h.Day] = true
	}
	for _, h := range dst.Holidays() {
		if !keep[h.Day] {
			if err := dst.DeleteHoliday(h.Day, cliActor("")); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyAfter copies the settings (the kiosk policy and publication among
// them) last, so that nothing copied before runs under the new ones.
func copyAfter(src, dst survey.Store) error {
	return dst.SaveSettings(src.Settings())
}
