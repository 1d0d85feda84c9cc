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
