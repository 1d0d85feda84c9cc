package pg

import (
	"hailong/survey"
)

// Not yet implemented on PostgreSQL: each returns errTODO.

var errTODO = survey.Errorf(survey.EUNAVAILABLE, "not implemented on PostgreSQL yet")

func (db *DB) ImportResponses(path, actor string) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}

func (db *DB) Batches() ([]survey.ImportBatch, error)       { return nil, errTODO }
func (db *DB) Batch(id string) (*survey.ImportBatch, error) { return nil, errTODO }
func (db *DB) WithdrawBatch(id, actor, reason string) (*survey.ImportBatch, error) {
	return nil, errTODO
}
