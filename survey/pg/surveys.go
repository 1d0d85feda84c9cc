package pg

import (
	"encoding/json"
	"sort"

	"hailong/survey"
)

// survey returns version v of survey key (v = 0: the current one), or nil.
func (s *snapshot) survey(key string, v int) *survey.Survey {
	vs := s.surveys[key]
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

// Survey returns version v of survey key (v = 0: the current version), or nil.
func (db *DB) Survey(key string, v int) *survey.Survey { return db.snap().survey(key, v) }

// SurveyKeys returns the keys of every survey.
func (db *DB) SurveyKeys() []string {
	var out []string
	for k := range db.snap().surveys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AddSurveyVersion stores s as the next version of its survey and sets
// s.Version to it. Errors: EINVALID.
func (db *DB) AddSurveyVersion(s *survey.Survey) error {
	base := 0
	if cur := db.Survey(s.Key, 0); cur != nil {
		base = cur.Version
	}
	return db.AddSurveyVersionAfter(s, base)
}

// AddSurveyVersionAfter stores s as the version after base. Errors:
// EINVALID; ECONFLICT when another version was saved after base meanwhile.
func (db *DB) AddSurveyVersionAfter(s *survey.Survey, base int) error {
	s.Version = base + 1
	s.CreatedAt = db.opts.Now().UTC()
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		var latest int
		if err := tx.queryRow("SELECT coalesce(max(version), 0) FROM surveys WHERE key = $1", s.Key).Scan(&latest); err != nil {
			return err
		}
		if latest != base {
			return &survey.Error{Code: survey.ECONFLICT, Field: "base", Message: "Phiếu vừa được người khác lưu thành phiên bản mới; xin mở lại trang sửa. / Someone saved a newer version meanwhile: please reopen the editor."}
		}
		tx.changed()
		_, err := tx.exec("INSERT INTO surveys (key, version, doc) VALUES ($1, $2, $3)", s.Key, s.Version, b)
		return err
	})
}

// KnownCriterion reports whether any version of any survey asks key.
func (db *DB) KnownCriterion(key string) bool { return db.snap().knownCriterion(key) }

func (s *snapshot) knownCriterion(key string) bool {
	for _, versions := range s.surveys {
		for _, sv := range versions {
			if c, _ := sv.Criterion(key); c != nil {
				return true
			}
		}
	}
	return false
}

// SurveyFor returns the key of the survey that unit's kiosks or receipts
// (use) answer: the unit's or its nearest ancestor's setting, else the
// installation's, else the built-in default; settings naming no survey are
// skipped.
func (db *DB) SurveyFor(unit, use string) string {
	s := db.snap()
	for i := 0; unit != "" && i < 64; i++ {
		if k := s.meta[surveyUseKey(use, unit)]; k != "" && s.survey(k, 0) != nil {
			return k
		}
		u := s.units[unit]
		if u == nil {
			break
		}
		unit = u.Parent
	}
	if k := s.meta[surveyUseKey(use, "")]; k != "" && s.survey(k, 0) != nil {
		return k
	}
	return survey.DefaultSurveyFor(use)
}

// SetSurveyFor sets the survey of unit ("" = the whole installation) for
// use; key "" removes the setting. Errors: EINVALID.
func (db *DB) SetSurveyFor(unit, use, key string) error {
	if use != survey.UseKiosk && use != survey.UseReceipt {
		return survey.FieldError("use", "Mục đích phải là kiosk hoặc receipt. / Use must be kiosk or receipt.")
	}
	s := db.snap()
	if unit != "" && s.units[unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	if key != "" && s.survey(key, 0) == nil {
		return survey.FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", key, key)
	}
	return db.update(func(tx *wtx) error {
		tx.changed()
		return putMeta(tx, surveyUseKey(use, unit), key)
	})
}

// OwnSurveyFor returns the survey set on unit itself for use, "" when it
// inherits.
func (db *DB) OwnSurveyFor(unit, use string) string { return db.snap().meta[surveyUseKey(use, unit)] }

// surveyUseKey is the meta key naming the survey of unit's kiosks or
// receipts (as in survey/bolt).
func surveyUseKey(use, unit string) string { return "survey_" + use + ":" + unit }
