package pg

import (
	"io"
	"time"

	"hailong/survey"
)

// Not yet implemented on PostgreSQL: each returns errTODO.

var errTODO = survey.Errorf(survey.EUNAVAILABLE, "not implemented on PostgreSQL yet")

func (db *DB) ImportUnits(r io.Reader) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}

func (db *DB) Procedures() []survey.Procedure            { return nil }
func (db *DB) ProcedureName(code string) string          { return "" }
func (db *DB) PutProcedures(ps []survey.Procedure) error { return errTODO }
func (db *DB) DeleteProcedure(code string) error         { return errTODO }
func (db *DB) ImportProcedures(r io.Reader) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}


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

func (db *DB) IssueReceipt(actor string, d *survey.Dossier, expires time.Time) (string, error) {
	return "", errTODO
}
func (db *DB) ReceiptByToken(token string) (*survey.Dossier, error) { return nil, errTODO }
func (db *DB) AnswerReceipt(token string, r *survey.Response) error { return errTODO }
func (db *DB) FinishDossier(code string, finished time.Time, supplement *int) (*survey.Dossier, error) {
	return nil, errTODO
}
func (db *DB) PutDossiers(ds []survey.Dossier) error        { return errTODO }
func (db *DB) Dossier(code string) (*survey.Dossier, error) { return nil, errTODO }
func (db *DB) CountDossiers(units []string, from, to time.Time) (survey.Timeliness, error) {
	return survey.Timeliness{}, errTODO
}
func (db *DB) EachDossier(units []string, from, to time.Time, fn func(d *survey.Dossier) error) error {
	return errTODO
}
func (db *DB) ReceiptExpiry(received time.Time) time.Time { return received }
func (db *DB) ImportDossiers(r io.Reader) (survey.ImportStats, error) {
	return survey.ImportStats{}, errTODO
}

func (db *DB) CheckPassword(username, password string) *survey.User        { return nil }
func (db *DB) Users() []survey.User                                        { return nil }
func (db *DB) User(username string) *survey.User                           { return nil }
func (db *DB) CreateUser(u survey.User, password string) error             { return errTODO }
func (db *DB) UpdateUser(username, role, unit string, disabled bool) error { return errTODO }
func (db *DB) SetPassword(username, password, keepSession string) error    { return errTODO }
func (db *DB) DeleteUser(username string) error                            { return errTODO }
func (db *DB) AddToken(t survey.Token) (string, error)                     { return "", errTODO }
func (db *DB) TokenBySecret(secret string) *survey.Token                   { return nil }
func (db *DB) Tokens() []survey.Token                                      { return nil }
func (db *DB) RevokeToken(id string) error                                 { return errTODO }
func (db *DB) CreateSession(username string) (string, *survey.Session, error) {
	return "", nil, errTODO
}
func (db *DB) SessionUser(id string, p survey.SessionPolicy) (*survey.Session, *survey.User) {
	return nil, nil
}
func (db *DB) DeleteSession(id string) error                            { return errTODO }
func (db *DB) PruneSessions(p survey.SessionPolicy) (int, error)        { return 0, errTODO }
func (db *DB) Audit(e survey.AuditEntry) error                          { return errTODO }
func (db *DB) AuditLog(limit int, before time.Time) []survey.AuditEntry { return nil }

func (db *DB) CreateAction(a survey.Action, actor string) (survey.Action, error) { return a, errTODO }
func (db *DB) UpdateAction(a survey.Action, actor string) (survey.Action, error) { return a, errTODO }
func (db *DB) CloseAction(id, done, note, actor string) (survey.Action, error) {
	return survey.Action{}, errTODO
}
func (db *DB) CheckAction(a *survey.Action) error                    { return errTODO }
func (db *DB) Action(id string) (*survey.Action, error)              { return nil, errTODO }
func (db *DB) Actions(q survey.ActionQuery) ([]survey.Action, error) { return nil, errTODO }

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
