package bolt

import (
	"hailong/survey"
	"hailong/survey/csvin"
	"io"
)

// The CSV imports read their files with survey/csvin, which is shared with
// survey/pg; what is bbolt's is how rows are checked and stored.

// ImportUnits creates or updates the units of a CSV file with the columns
// id,name,parent,group (see csvin.ImportUnits). All or nothing. Errors:
// *ImportError (EINVALID) with line-numbered problems, or a read error.
func (db *DB) ImportUnits(r io.Reader) (survey.ImportStats, error) {
	return csvin.ImportUnits(r, db)
}
