package pg

import (
	"io"
	"time"

	"hailong/survey"
)

// Not yet implemented on PostgreSQL: each returns errTODO.

var errTODO = survey.Errorf(survey.EUNAVAILABLE, "not implemented on PostgreSQL yet")

func (db *DB) SetResponseFlags(ref string, flags survey.Flags, actor, reason string) error {
	return errTODO
}
func (db *DB) PurgeComments(cutoff time.Time) (int, error) { return 0, errTODO }
func (db *DB) ImportResponses(path, actor string) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}

func (db *DB) Batches() ([]survey.ImportBatch, error)       { return nil, errTODO }
func (db *DB) Batch(id string) (*survey.ImportBatch, error) { return nil, errTODO }
func (db *DB) WithdrawBatch(id, actor, reason string) (*survey.ImportBatch, error) {
	return nil, errTODO
}

func (db *DB) ProposeFlags(p survey.FlagProposal) (survey.FlagProposal, error) { return p, errTODO }
func (db *DB) FlagProposal(id string) (*survey.FlagProposal, error)            { return nil, errTODO }
func (db *DB) FlagProposals(state string) []survey.FlagProposal                { return nil }
func (db *DB) DecideFlagProposal(id string, confirm bool, actor, note string) (survey.FlagProposal, error) {
	return survey.FlagProposal{}, errTODO
}

func (db *DB) ImportDossiers(r io.Reader) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}

func (db *DB) VerifyLog(published []survey.Head, progress func(done, total uint64)) (*survey.LogReport, error) {
	return nil, errTODO
}
func (db *DB) ExportLog(w io.Writer) error                            { return errTODO }
func (db *DB) ConfirmationCode(r *survey.Response) string             { return "" }
func (db *DB) Confirmation(code string) (*survey.Confirmation, error) { return nil, errTODO }

func (db *DB) Backup(w io.Writer) (int64, error)     { return 0, errTODO }
func (db *DB) BackupFile(path string) (int64, error) { return 0, errTODO }
func (db *DB) Snapshot() (survey.Snapshot, error)    { return nil, errTODO }
func (db *DB) Size() int64                           { return 0 }
func (db *DB) BucketBytes() map[string]int           { return nil }
