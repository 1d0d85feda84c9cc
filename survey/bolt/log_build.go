package bolt

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// txSurveys reads every survey version stored in tx, for decoding records
// before the store's maps are loaded (migrations): the version a record
// answers, and its number of criteria.
func txSurveys(tx *bbolt.Tx, d *dict) (sv func(svy, version uint32) *survey.Survey, ncrit func(svy, version uint32) int, err error) {
	surveys := map[string]*survey.Survey{}
	err = tx.Bucket(bSurveys).ForEach(func(_, v []byte) error {
		s := &survey.Survey{}
		if err := json.Unmarshal(v, s); err != nil {
			return err
		}
		surveys[fmt.Sprint(s.Key, "\x00", s.Version)] = s
		return nil
	})
	sv = func(svy, version uint32) *survey.Survey {
		return surveys[fmt.Sprint(d.name(kindSurvey, svy), "\x00", version)]
	}
	ncrit = func(svy, version uint32) int {
		if s := sv(svy, version); s != nil {
			return len(s.Criteria)
		}
		return 0
	}
	return sv, ncrit, err
}

// buildLog is schema 5's migration: the log's buckets and secret, and an
// entry for every response already stored, in key order (their flags as
// they are now), all under today's head. It runs before the caches are
// loaded, so it reads the dictionary and the surveys from tx.
func (db *DB) buildLog(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bLog, bLogX, bHeads} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	if err := ensureLogKey(tx); err != nil {
		return err
	}
	d, err := loadDict(tx)
	if err != nil {
		return err
	}
	sv, ncrit, err := txSurveys(tx, d)
	if err != nil {
		return err
	}
	w := newLogWriter(tx)
	var tip logTip
	var buf []byte
	c := tx.Bucket(bResponses).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		rc, err := decodeRec(k, v, ncrit)
		if err != nil {
			return fmt.Errorf("response %x: %w", k, err)
		}
		s := sv(rc.svy, rc.version)
		var ch *[32]byte
		if rc.comment != "" {
			h := sha256.Sum256([]byte(rc.comment))
			ch = &h
		}
		key := binary.BigEndian.Uint64(k)
		buf = appendCanonR(buf[:0], key, rc.flags, namesFrom(d, rc), rc, s, orderOf(s), ch)
		e := sha256.Sum256(buf)
		tip.seq++
		if err := w.addResponse(tip.seq, key, rc.flags, e, ch); err != nil {
			return err
		}
		tip.hash = survey.ChainNext(tip.hash, e)
	}
	if tip.seq == 0 {
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	loc := db.opts.Loc
	if loc == nil {
		name := string(tx.Bucket(bMeta).Get([]byte("s:tz")))
		if name == "" {
			name = survey.DefaultZone
		}
		if loc, err = time.LoadLocation(name); err != nil {
			return err
		}
	}
	v := make([]byte, 40)
	binary.BigEndian.PutUint64(v, tip.seq)
	copy(v[8:], tip.hash[:])
	return tx.Bucket(bHeads).Put(u32(uint32(survey.DayOf(db.opts.Now(), loc))), v)
}

// ensureLogKey creates the installation's secret for confirmation codes.
func ensureLogKey(tx *bbolt.Tx) error {
	m := tx.Bucket(bMeta)
	if m.Get([]byte("s:log_key")) != nil {
		return nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return m.Put([]byte("s:log_key"), []byte(base64.RawURLEncoding.EncodeToString(b)))
}

// loadLog reads the chain's tip and the confirmation secret at open.
func (db *DB) loadLog() error {
	if err := db.loadLogTip(); err != nil {
		return err
	}
	k, err := base64.RawURLEncoding.DecodeString(db.meta("log_key"))
	if err != nil || len(k) < 16 {
		return fmt.Errorf("log key missing or malformed")
	}
	db.logKey = k
	return nil
}
