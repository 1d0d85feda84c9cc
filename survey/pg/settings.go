package pg

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Settings live in the meta table, each under its key in survey's table
// (the same keys and text as bbolt's meta bucket), beside the store's own
// notes (zone, survey choices, secret keys). The parsed settings are part
// of the cached snapshot.

// Settings returns the settings in force (a copy of the cached value).
func (db *DB) Settings() survey.Settings { return db.snap().settings.Clone() }

// SaveSettings validates s and stores the values that differ from the
// stored ones, in one transaction. Errors: EINVALID with the field.
func (db *DB) SaveSettings(s survey.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s = s.Clone()
	return db.update(func(tx *wtx) error {
		cur, err := loadSettings(tx)
		if err != nil {
			return err
		}
		old := cur.Stored()
		for k, v := range s.Stored() {
			if v == old[k] {
				continue
			}
			if err := putMeta(tx, k, v); err != nil {
				return err
			}
		}
		tx.changed()
		return nil
	})
}

// querier is a transaction or the pool.
type querier interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
	QueryRow(context.Context, string, ...any) pgx.Row
}

func metaMap(q querier) (map[string]string, error) {
	rows, err := q.Query(ctx(), "SELECT key, value FROM meta")
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	var k, v string
	_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error { m[k] = v; return nil })
	return m, err
}

func loadSettings(q querier) (survey.Settings, error) {
	m, err := metaMap(q)
	if err != nil {
		return survey.DefaultSettings(), err
	}
	return survey.SettingsFrom(func(key string) string { return m[key] }), nil
}

// ClientKey returns the installation's key for hashing client addresses,
// creating it on first use.
func (db *DB) ClientKey() (string, error) { return db.secretMeta(ctx(), "client_key") }

// secretMeta returns a random key stored under name, creating it on first
// use (the first server to store one wins).
func (db *DB) secretMeta(c context.Context, name string) (string, error) {
	if k, err := db.meta(c, name); err != nil || k != "" {
		return k, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	if err := db.setMetaIfAbsent(c, name, base64.RawURLEncoding.EncodeToString(b)); err != nil {
		return "", err
	}
	return db.meta(c, name)
}

// meta returns a value of the meta table ("" when absent).
func (db *DB) meta(c context.Context, key string) (string, error) {
	var v string
	err := db.pool.QueryRow(c, "SELECT value FROM meta WHERE key = $1", key).Scan(&v)
	if isNoRows(err) {
		return "", nil
	}
	return v, err
}

func (db *DB) setMetaIfAbsent(c context.Context, key, value string) error {
	_, err := db.pool.Exec(c, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, value)
	return err
}

// putMeta stores a meta value in tx; "" removes it.
func putMeta(tx *wtx, key, value string) error {
	var err error
	if value == "" {
		_, err = tx.exec("DELETE FROM meta WHERE key = $1", key)
	} else {
		_, err = tx.exec("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	}
	return err
}

// metaIn reads a meta value inside tx.
func metaIn(tx *wtx, key string) (string, error) {
	var v string
	err := tx.queryRow("SELECT value FROM meta WHERE key = $1", key).Scan(&v)
	if isNoRows(err) {
		return "", nil
	}
	return v, err
}
