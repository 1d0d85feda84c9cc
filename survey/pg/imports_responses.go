package pg

import (
	"hailong/survey"
	"hailong/survey/csvin"
)

// Responses are imported by survey/csvin in two passes over the file: the
// second stores the rows in chunks, one transaction each (importInsert),
// and if a chunk fails deletes what the earlier chunks stored (dropBatch,
// imports_batches.go).

// importChunk is the number of rows stored per transaction; importInsert
// stores a chunk and lists it under the batch. Both are variables for tests.
var (
	importChunk  = 20000
	importInsert = (*DB).insertChunk
)

// ImportResponses stores the responses of a CSV file with the columns
// submitted_at,unit,channel,survey, one column per criterion key, and
// optionally counter,staff,procedure,reasons,comment (see
// csvin.Responses.Import). All or nothing, streaming: the file is read twice
// and never held in memory. The rows are recorded as an import batch by
// actor (imports_batches.go). Errors: *ImportError (EINVALID) with
// line-numbered problems, EINVALID (actor), or an I/O error.
func (db *DB) ImportResponses(path, actor string) (survey.ImportStats, error) {
	return csvin.Responses{Now: db.Now(), Loc: db.opts.Loc, Surveys: db,
		Prepare: func(r *survey.Response) error { return db.prepare(r, anyAge) },
		Chunk:   importChunk, MaxRuns: csvin.MaxRuns,
		Batch: func(rec survey.ImportBatch) csvin.Batch { return batchStore{db, &importBatch{rec: rec}} },
	}.Import(path, actor)
}

// batchStore stores an import's chunks under its batch (csvin.Batch).
type batchStore struct {
	db *DB
	b  *importBatch
}

func (s batchStore) Insert(rs []*survey.Response) error { return importInsert(s.db, s.b, rs) }
func (s batchStore) Finish() error                      { return s.db.finishBatch(s.b) }
func (s batchStore) Drop() error                        { return s.db.dropBatch(s.b) }
func (s batchStore) ID() string                         { return s.b.rec.ID }
