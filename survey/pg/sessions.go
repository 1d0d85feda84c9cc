package pg

import (
	"encoding/json"
	"time"

	"hailong/survey"
)

// Login sessions, as survey/bolt/sessions.go, by SHA-256 of the id. They
// change nothing that counts, so they are written outside the serialised
// write path (no log tip lock).

// sessionTouchEvery limits LastSeen writes: the idle clock is precise to a
// minute.
const sessionTouchEvery = time.Minute

// CreateSession starts a session for username and returns its secret id
// and the session. Errors: ENOTFOUND for an unknown or disabled user.
func (db *DB) CreateSession(username string) (string, *survey.Session, error) {
	now := db.opts.Now().UTC()
	id := survey.NewSecret()
	s := &survey.Session{Username: username, CSRF: survey.NewSecret(), CreatedAt: now, LastSeen: now}
	u := db.User(username)
	if u == nil || u.Disabled {
		return "", nil, survey.Errorf(survey.ENOTFOUND, "Tài khoản không tồn tại. / No such account.")
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", nil, err
	}
	// Only if the user still exists: a deletion meanwhile wins.
	tag, err := db.pool.Exec(ctx(), `INSERT INTO sessions (hash, username, doc)
		SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM users WHERE username = $2)`, survey.HashSecret(id), username, b)
	if err != nil {
		return "", nil, err
	}
	if tag.RowsAffected() == 0 {
		return "", nil, survey.Errorf(survey.ENOTFOUND, "Tài khoản không tồn tại. / No such account.")
	}
	return id, s, nil
}

// SessionUser returns the live session with this id and its user, touching
// its idle clock; nil when unknown, expired (then deleted) or its user is
// gone or disabled.
func (db *DB) SessionUser(id string, p survey.SessionPolicy) (*survey.Session, *survey.User, error) {
	if id == "" || len(id) > 100 {
		return nil, nil, nil
	}
	key := survey.HashSecret(id)
	var b []byte
	if err := db.pool.QueryRow(ctx(), "SELECT doc FROM sessions WHERE hash = $1", key).Scan(&b); err != nil {
		if isNoRows(err) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	s := &survey.Session{}
	if json.Unmarshal(b, s) != nil {
		return nil, nil, nil
	}
	// The user is read with its error: a lookup that failed is not a
	// deleted user, and must not end the session.
	u, err := scanUserErr(db.pool.QueryRow(ctx(), "SELECT doc FROM users WHERE username = $1", s.Username))
	if err != nil {
		return nil, nil, err
	}
	now := db.opts.Now().UTC()
	if s.Expired(p, now) || u == nil || u.Disabled {
		// Refused whether or not the deletion lands (PruneSessions).
		_, _ = db.pool.Exec(ctx(), "DELETE FROM sessions WHERE hash = $1", key)
		return nil, nil, nil
	}
	if now.Sub(s.LastSeen) >= sessionTouchEvery {
		s.LastSeen = now
		if b, err := json.Marshal(s); err == nil {
			_, _ = db.pool.Exec(ctx(), "UPDATE sessions SET doc = $2 WHERE hash = $1", key, b)
		}
	}
	return s, u, nil
}

// DeleteSession ends the session with this id (logout).
func (db *DB) DeleteSession(id string) error {
	_, err := db.pool.Exec(ctx(), "DELETE FROM sessions WHERE hash = $1", survey.HashSecret(id))
	return err
}

// deleteSessions ends every session of username except keep (a hash, may
// be nil).
func (tx *wtx) deleteSessions(username string, keep []byte) error {
	_, err := tx.exec("DELETE FROM sessions WHERE username = $1 AND ($2::bytea IS NULL OR hash <> $2)", username, keep)
	return err
}

// PruneSessions deletes every expired session and returns how many.
func (db *DB) PruneSessions(p survey.SessionPolicy) (int, error) {
	now := db.opts.Now().UTC()
	rows, err := db.pool.Query(ctx(), "SELECT hash, doc FROM sessions")
	if err != nil {
		return 0, err
	}
	var dead [][]byte
	for rows.Next() {
		var h, b []byte
		if err := rows.Scan(&h, &b); err != nil {
			rows.Close()
			return 0, err
		}
		var s survey.Session
		if json.Unmarshal(b, &s) != nil || s.Expired(p, now) {
			dead = append(dead, h)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(dead) == 0 {
		return 0, err
	}
	tag, err := db.pool.Exec(ctx(), "DELETE FROM sessions WHERE hash = ANY($1)", dead)
	return int(tag.RowsAffected()), err
}
