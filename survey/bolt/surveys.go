package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hailong/survey"

	bbolt "go.etcd.io/bbolt"
)

// Survey returns version v of survey key (v = 0: the current version), or nil.
func (db *DB) Survey(key string, v int) *survey.Survey {
	db.mu.RLock()
	defer db.mu.RUnlock()
	vs := db.surveys[key]
	if len(vs) == 0 {
		return nil
	}
	if v == 0 {
		return vs[len(vs)-1]
	}
	if v < 1 || v > len(vs) {
		return nil
	}
	return vs[v-1]
}

// SurveyKeys returns the keys of every survey.
func (db *DB) SurveyKeys() []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []string
	for k := range db.surveys {
		out = append(out, k)
	}
	return sortStrings(out)
}

// AddSurveyVersion stores s as the next version of its survey and sets
// s.Version to it. Old versions stay; responses keep the version they
// answered. Errors: EINVALID.
func (db *DB) AddSurveyVersion(s *survey.Survey) error {
	base := 0
	if cur := db.Survey(s.Key, 0); cur != nil {
		base = cur.Version
	}
	return db.AddSurveyVersionAfter(s, base)
}

func surveyKey(key string, v int) []byte {
	b := append([]byte(key), 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[len(key)+1:], uint32(v))
	return b
}

func putSurvey(tx *bbolt.Tx, s *survey.Survey) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.Bucket(bSurveys).Put(surveyKey(s.Key, s.Version), b)
}

// KnownCriterion reports whether any version of any survey asks key.
func (db *DB) KnownCriterion(key string) bool {
	db.mu.RLock()
	defer db.mu.RUnlock()
	for _, versions := range db.surveys {
		for _, s := range versions {
			if c, _ := s.Criterion(key); c != nil {
				return true
			}
		}
	}
	return false
}

// SurveyFor returns the key of the survey that unit's kiosks or receipts
// (use) answer: the setting of the unit or of its nearest ancestor, else the
// installation-wide setting, else the built-in default. A setting naming a
// survey that does not exist is skipped.
func (db *DB) SurveyFor(unit, use string) string {
	for i := 0; unit != "" && i < 64; i++ {
		if k := db.meta(surveyUseKey(use, unit)); k != "" && db.Survey(k, 0) != nil {
			return k
		}
		u := db.Unit(unit)
		if u == nil {
			break
		}
		unit = u.Parent
	}
	if k := db.meta(surveyUseKey(use, "")); k != "" && db.Survey(k, 0) != nil {
		return k
	}
	return survey.DefaultSurveyFor(use)
}

// SetSurveyFor sets the survey of unit ("" = the whole installation) for
// use; key "" removes the setting, so the unit inherits. Errors: EINVALID.
func (db *DB) SetSurveyFor(unit, use, key string) error {
	if use != survey.UseKiosk && use != survey.UseReceipt {
		return survey.FieldError("use", "Mục đích phải là kiosk hoặc receipt. / Use must be kiosk or receipt.")
	}
	if unit != "" && db.Unit(unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	if key != "" && db.Survey(key, 0) == nil {
		return survey.FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", key, key)
	}
	return db.setMeta(surveyUseKey(use, unit), key)
}

// OwnSurveyFor returns the survey set on unit itself for use, "" when it
// inherits.
func (db *DB) OwnSurveyFor(unit, use string) string { return db.meta(surveyUseKey(use, unit)) }

// surveyUseKey is the meta key naming the survey that unit's kiosks or
// receipts (use) answer: "survey_kiosk:<unit>", "survey_receipt:<unit>".
// The unit "" is the installation-wide choice.
func surveyUseKey(use, unit string) string { return "survey_" + use + ":" + unit }

// AddSurveyVersionAfter stores s as the version after base, the version the
// editor started from. Old versions are never changed. Errors: EINVALID;
// ECONFLICT when another version was saved after base meanwhile.
func (db *DB) AddSurveyVersionAfter(s *survey.Survey, base int) error {
	s.Version = base + 1
	s.CreatedAt = db.opts.Now().UTC()
	if err := s.Validate(); err != nil {
		return err
	}
	stored := *s
	return db.update(func(tx *bbolt.Tx) error {
		if latestSurveyVersion(tx, s.Key) != base {
			return &survey.Error{Code: survey.ECONFLICT, Field: "base", Message: "Phiếu vừa được người khác lưu thành phiên bản mới; xin mở lại trang sửa. / Someone saved a newer version meanwhile: please reopen the editor."}
		}
		if err := putSurvey(tx, &stored); err != nil {
			return err
		}
		tx.OnCommit(func() { // under wmu: versions are appended in order
			db.mu.Lock()
			db.surveys[stored.Key] = append(db.surveys[stored.Key], &stored)
			db.mu.Unlock()
		})
		return nil
	})
}

// latestSurveyVersion is the highest stored version of survey key (0: none).
func latestSurveyVersion(tx *bbolt.Tx, key string) int {
	c := tx.Bucket(bSurveys).Cursor()
	prefix := append([]byte(key), 0)
	v := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+4 {
			v = int(binary.BigEndian.Uint32(k[len(prefix):]))
		}
	}
	return v
}
