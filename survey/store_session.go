package survey

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sessionTouchEvery limits LastSeen writes: a session's idle clock is
// precise to a minute, and browsing a dashboard costs no fsync per click.
const sessionTouchEvery = time.Minute

// CreateSession starts a session for username and returns its secret id
// (for the cookie) and the session. Errors: ENOTFOUND for an unknown or
// disabled user.
func (db *DB) CreateSession(username string) (string, *Session, error) {
	now := db.opts.Now().UTC()
	id := NewSecret()
	s := &Session{Username: username, CSRF: NewSecret(), CreatedAt: now, LastSeen: now}
	err := db.update(func(tx *bolt.Tx) error {
		u := getUser(tx, username)
		if u == nil || u.Disabled {
			return Errorf(ENOTFOUND, "Tài khoản không tồn tại. / No such account.")
		}
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		return tx.Bucket(bSessions).Put(HashSecret(id), b)
	})
	if err != nil {
		return "", nil, err
	}
	return id, s, nil
}

// SessionUser returns the live session with this id and its user, touching
// its idle clock. It returns nil when the session is unknown, expired, or
// its user is gone or disabled; an expired session is deleted.
func (db *DB) SessionUser(id string, p SessionPolicy) (*Session, *User) {
	if id == "" || len(id) > 100 {
		return nil, nil
	}
	key := HashSecret(id)
	var s *Session
	var u *User
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bSessions).Get(key)
		if v == nil {
			return nil
		}
		s = &Session{}
		if json.Unmarshal(v, s) != nil {
			s = nil
			return nil
		}
		u = getUser(tx, s.Username)
		return nil
	})
	if s == nil {
		return nil, nil
	}
	now := db.opts.Now().UTC()
	if s.Expired(p, now) || u == nil || u.Disabled {
		_ = db.update(func(tx *bolt.Tx) error { return tx.Bucket(bSessions).Delete(key) })
		return nil, nil
	}
	if now.Sub(s.LastSeen) >= sessionTouchEvery {
		s.LastSeen = now
		_ = db.update(func(tx *bolt.Tx) error {
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
	return s, u
}

// DeleteSession ends the session with this id (logout).
func (db *DB) DeleteSession(id string) error {
	return db.update(func(tx *bolt.Tx) error { return tx.Bucket(bSessions).Delete(HashSecret(id)) })
}

// deleteUserSessions ends every session of username except keep (a hash, may be nil).
func deleteUserSessions(tx *bolt.Tx, username string, keep []byte) error {
	b := tx.Bucket(bSessions)
	var dead [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var s Session
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
func (db *DB) PruneSessions(p SessionPolicy) (int, error) {
	now := db.opts.Now().UTC()
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSessions)
		var dead [][]byte
		_ = b.ForEach(func(k, v []byte) error {
			var s Session
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

// Audit appends an entry to the audit log (its time is set here).
func (db *DB) Audit(e AuditEntry) error {
	return db.update(func(tx *bolt.Tx) error { return putAudit(tx, db.opts.Now(), e) })
}

func putAudit(tx *bolt.Tx, now time.Time, e AuditEntry) error {
	e.At = now.UTC()
	b := tx.Bucket(bAudit)
	k := make([]byte, 8)
	ns := uint64(e.At.UnixNano())
	for { // same-nanosecond entries: next free key
		binary.BigEndian.PutUint64(k, ns)
		if b.Get(k) == nil {
			break
		}
		ns++
	}
	e.At = time.Unix(0, int64(ns)).UTC() // At is the key: paging by At never skips an entry
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// AuditLog returns up to limit entries, newest first, older than before
// (zero: from the newest).
func (db *DB) AuditLog(limit int, before time.Time) []AuditEntry {
	var out []AuditEntry
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		var k, v []byte
		if before.IsZero() {
			k, v = c.Last()
		} else {
			seek := make([]byte, 8)
			binary.BigEndian.PutUint64(seek, uint64(before.UnixNano()))
			if k, _ = c.Seek(seek); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			var e AuditEntry
			if json.Unmarshal(v, &e) == nil {
				out = append(out, e)
			}
		}
		return nil
	})
	return out
}
