package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hailong/survey"
	"hailong/survey/csvin"
	"math"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Responses are imported by survey/csvin in two passes over the file: the
// second stores the rows in chunks, one transaction each (importInsert),
// and if a chunk fails deletes what the earlier chunks stored (dropBatch).
// Rows grouped in runs of time order are merged, so that their keys are
// appended to the bucket.

// importChunk is the number of rows stored per transaction; importInsert
// stores a chunk and lists it under the batch; maxImportRuns is the most
// runs of rows in time order an import merges. All are variables for tests.
var (
	importChunk   = 20000
	importInsert  = (*DB).insertChunk
	maxImportRuns = csvin.MaxRuns
)

// anyAge is the window of submitted_at for imports: historical rows are
// what imports are for (live submissions: Settings.Submissions).
const anyAge = time.Duration(math.MaxInt64)

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
		Chunk:   importChunk, MaxRuns: maxImportRuns,
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

// deleteResponses deletes the responses stored under keys and takes them
// out of the counts, in one transaction; keys not stored are skipped. An
// idempotency entry is deleted when the record carries its UUID (records
// written since the UUID moved to the idem bucket alone do not, so this is
// for responses stored without one, such as imports). The log gets the
// withdrawal c (ChangeWithdraw) listing their entries.
func (db *DB) deleteResponses(keys []uint64, c survey.Change) error {
	return db.update(func(tx *bbolt.Tx) error {
		if err := db.deleteResponsesTx(tx, keys); err != nil {
			return err
		}
		return db.noteChange(tx, c)
	})
}

// deleteResponsesTx is deleteResponses within tx, without its Change: the
// log lists the deleted entries under the transaction's withdrawal (the one
// noted, or one of its own at commit).
func (db *DB) deleteResponsesTx(tx *bbolt.Tx, keys []uint64) error {
	w := db.newTxWriter(tx)
	seqs := seqsOf(tx, keys, 0)
	for _, key := range keys {
		k := u64(key)
		v := w.responses.Get(k)
		if v == nil {
			continue
		}
		rc, err := decodeRec(k, v, db.ncrit)
		if err != nil {
			return fmt.Errorf("response %x: %w", k, err)
		}
		sv := db.Survey(db.dict.name(kindSurvey, rc.svy), int(rc.version))
		if sv == nil {
			return errors.New("response of an unknown survey version")
		}
		crits, err := w.critIDs(sv)
		if err != nil {
			return err
		}
		w.agg.add(rc, sv, crits, db.opts.Loc, -1)
		if rc.hasID {
			if ik := w.idem.Get(rc.id[:]); ik != nil && binary.BigEndian.Uint64(ik) == key {
				if err := w.idem.Delete(rc.id[:]); err != nil {
					return err
				}
			}
		}
		if err := db.lg.withdrawing(key, rc, seqs); err != nil {
			return err
		}
		if err := w.responses.Delete(k); err != nil {
			return err
		}
	}
	return w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, false)
}
