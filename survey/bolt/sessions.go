package bolt

import (
	"bytes"
	"encoding/json"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// sessionTouchEvery limits LastSeen writes: a session's idle clock is
// precise to a minute, and browsing a dashboard costs no fsync per click.
const sessionTouchEvery = time.Minute

// CreateSession starts a session for username and returns its secret id
// (for the cookie) and the session. Errors: ENOTFOUND for an unknown or
// disabled user.
func (db *DB) CreateSession(username string) (string, *survey.Session, error) {
	now := db.opts.Now().UTC()
	id := survey.NewSecret()
	s := &survey.Session{Username: username, CSRF: survey.NewSecret(), CreatedAt: now, LastSeen: now}
	err := db.update(func(tx *bbolt.Tx) error {
		u := getUser(tx, username)
		if u == nil || u.Disabled {
			return survey.Errorf(survey.ENOTFOUND, "Tài khoản không tồn tại. / No such account.")
		}
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		return tx.Bucket(bSessions).Put(survey.HashSecret(id), b)
	})
	if err != nil {
		return "", nil, err
	}
	return id, s, nil
}

// SessionUser returns the live session with this id and its user, touching
// its idle clock. It returns nil when the session is unknown, expired, or
// its user is gone or disabled; an expired session is deleted.
func (db *DB) SessionUser(id string, p survey.SessionPolicy) (*survey.Session, *survey.User, error) {
	if id == "" || len(id) > 100 {
		return nil, nil, nil
	}
	key := survey.HashSecret(id)
	var s *survey.Session
	var u *survey.User
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSessions).Get(key)
		if v == nil {
			return nil
		}
		s = &survey.Session{}
		if json.Unmarshal(v, s) != nil {
			s = nil
			return nil
		}
		u = getUser(tx, s.Username)
		return nil
	})
	if err != nil || s == nil {
		return nil, nil, err
	}
	now := db.opts.Now().UTC()
	if s.Expired(p, now) || u == nil || u.Disabled {
		// An expired session is refused whether or not its deletion lands
		// (PruneSessions deletes it later otherwise).
		_ = db.update(func(tx *bbolt.Tx) error { return tx.Bucket(bSessions).Delete(key) })
		return nil, nil, nil
	}
	if now.Sub(s.LastSeen) >= sessionTouchEvery {
		s.LastSeen = now
		_ = db.update(func(tx *bbolt.Tx) error {
			if tx.Bucket(bSessions).Get(key) == nil { // logged out meanwhile
				return nil
			}
			b, err := json.Marshal(s)
			if err != nil {
				return err
			}
			return tx.Bucket(bSessions).Put(key, b)
		})
	}
	return s, u, nil
}

// DeleteSession ends the session with this id (logout).
func (db *DB) DeleteSession(id string) error {
	return db.update(func(tx *bbolt.Tx) error { return tx.Bucket(bSessions).Delete(survey.HashSecret(id)) })
}

// deleteUserSessions ends every session of username except keep (a hash, may be nil).
func deleteUserSessions(tx *bbolt.Tx, username string, keep []byte) error {
	b := tx.Bucket(bSessions)
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var s survey.Session
		if json.Unmarshal(v, &s) == nil && s.Username == username && !bytes.Equal(k, keep) {
			dead = append(dead, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// PruneSessions deletes every expired session and returns how many.
func (db *DB) PruneSessions(p survey.SessionPolicy) (int, error) {
	now := db.opts.Now().UTC()
	n := 0
	err := db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSessions)
		var dead [][]byte
		_ = b.ForEach(func(k, v []byte) error {
			var s survey.Session
			if json.Unmarshal(v, &s) != nil || s.Expired(p, now) {
				dead = append(dead, k)
			}
			return nil
		})
		for _, k := range dead {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	return n, err
}
