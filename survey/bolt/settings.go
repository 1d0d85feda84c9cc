package bolt

import (
	"crypto/rand"
	"encoding/base64"
	"hailong/survey"

	bbolt "go.etcd.io/bbolt"
)

// Settings live in the meta bucket, each under "s:" + its key in survey's
// table (the same keys and text as before settings were typed). The parsed
// value is cached: every request may read it.

// Settings returns the settings in force (a copy of the cached value).
func (db *DB) Settings() survey.Settings { return db.settings.Load().Clone() }

// SaveSettings validates s and stores the values that differ from the
// stored ones, in one transaction; the cache and the misuse interval follow
// at commit. Errors: EINVALID with the field.
func (db *DB) SaveSettings(s survey.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s = s.Clone()
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMeta)
		old := readSettings(b).Stored()
		for k, v := range s.Stored() {
			if v == old[k] {
				continue
			}
			var err error
			if v == "" {
				err = b.Delete([]byte("s:" + k))
			} else {
				err = b.Put([]byte("s:"+k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		// Commit handlers run under wmu, where the writer reads the interval.
		tx.OnCommit(func() { db.applySettings(&s) })
		return nil
	})
}

// loadSettings reads the stored settings and puts them in force (at Open).
func (db *DB) loadSettings() error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		s := readSettings(tx.Bucket(bMeta))
		db.wmu.Lock()
		db.applySettings(&s)
		db.wmu.Unlock()
		return nil
	})
}

// applySettings caches s and puts the misuse interval in force; the caller
// holds wmu.
func (db *DB) applySettings(s *survey.Settings) {
	db.settings.Store(s)
	db.misuse = s.Kiosk.MisuseInterval
}

func readSettings(b *bbolt.Bucket) survey.Settings {
	return survey.SettingsFrom(func(key string) string { return string(b.Get([]byte("s:" + key))) })
}

// ClientKey returns the installation's key for hashing client addresses,
// creating it on first use.
func (db *DB) ClientKey() (string, error) {
	if k := db.meta("client_key"); k != "" {
		return k, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	var k string
	err := db.update(func(tx *bbolt.Tx) error {
		m := tx.Bucket(bMeta)
		if v := m.Get([]byte("s:client_key")); v != nil { // created meanwhile
			k = string(v)
			return nil
		}
		k = base64.RawURLEncoding.EncodeToString(b)
		return m.Put([]byte("s:client_key"), []byte(k))
	})
	return k, err
}

// meta returns a value stored in the meta bucket under "s:"+key ("" when
// absent): the store's own notes (zone, procedure names, survey choices).
func (db *DB) meta(key string) string {
	var s string
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		s = string(tx.Bucket(bMeta).Get([]byte("s:" + key)))
		return nil
	})
	return s
}

// setMeta stores a value in the meta bucket under "s:"+key; "" removes it.
func (db *DB) setMeta(key, value string) error {
	return db.update(func(tx *bbolt.Tx) error { return putMeta(tx, key, value) })
}

func putMeta(tx *bbolt.Tx, key, value string) error {
	if value == "" {
		return tx.Bucket(bMeta).Delete([]byte("s:" + key))
	}
	return tx.Bucket(bMeta).Put([]byte("s:"+key), []byte(value))
}
