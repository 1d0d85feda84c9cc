package pg

import (
	"errors"

	"hailong/survey"
)

// Hooks for the external tests (package pg_test).

// SetImportChunk stores imported responses n per transaction and calls
// before(chunk) ahead of each chunk (counting from 1); an error from it
// fails the chunk. It returns a function that restores both.
func SetImportChunk(n int, before func(chunk int) error) (restore func()) {
	oldN, oldInsert := importChunk, importInsert
	importChunk = n
	calls := 0
	importInsert = func(db *DB, b *importBatch, rs []*survey.Response) error {
		calls++
		if before != nil {
			if err := before(calls); err != nil {
				return err
			}
		}
		return oldInsert(db, b, rs)
	}
	return func() { importChunk, importInsert = oldN, oldInsert }
}

// ErrInjected is the failure tests inject.
var ErrInjected = errors.New("injected chunk failure")

// DowngradeCounts puts the store's counts back as schema 2 kept them (the
// counts table, one row per cell, made from the stored blocks) and forgets
// migration 3, so that the next Open converts them again.
func (db *DB) DowngradeCounts() error {
	return db.update(func(tx *wtx) error {
		cells, err := storedCells(tx)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DROP TABLE count_blocks, count_names; DROP SEQUENCE count_name_seq;
			DELETE FROM schema_migrations WHERE version = 3;
			CREATE TABLE counts (
				unit text NOT NULL, period int NOT NULL, dim smallint NOT NULL, sub text NOT NULL,
				survey text NOT NULL, crit text NOT NULL, channel smallint NOT NULL, flags smallint NOT NULL, scale smallint NOT NULL,
				n0 bigint NOT NULL DEFAULT 0, n1 bigint NOT NULL DEFAULT 0, n2 bigint NOT NULL DEFAULT 0,
				n3 bigint NOT NULL DEFAULT 0, n4 bigint NOT NULL DEFAULT 0, n5 bigint NOT NULL DEFAULT 0,
				PRIMARY KEY (dim, unit, period, sub, survey, crit, channel, flags, scale))`); err != nil {
			return err
		}
		for k, h := range cells {
			if _, err := tx.exec("INSERT INTO counts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
				k.unit, k.period, int16(k.dim), k.sub, k.survey, k.crit, k.channel, k.flags, k.scale, h[0], h[1], h[2], h[3], h[4], h[5]); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateLater runs one write transaction that queues stmts with laterExec,
// then, when read is not "", runs read (one text column) in the same
// transaction and returns its answer.
func (db *DB) UpdateLater(stmts []string, read string) (string, error) {
	var out string
	err := db.update(func(tx *wtx) error {
		for _, s := range stmts {
			tx.laterExec(s)
		}
		if read == "" {
			return nil
		}
		return tx.queryRow(read).Scan(&out)
	})
	return out, err
}
