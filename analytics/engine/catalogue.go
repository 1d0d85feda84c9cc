package engine

import (
	"sort"

	"hailong/survey"
)

// Catalogue says which element each criterion key belongs to, and in which
// order elements and criteria are listed, across every version of the
// surveys in scope (analytics join versions by criterion key). When two
// surveys put one key in different elements, the first survey in key order
// (its newest version first) wins.
type Catalogue struct {
	Elements []ElementInfo
	criteria map[string]CriterionInfo
}

// ElementInfo is an element's key and label.
type ElementInfo struct {
	Key   string
	Label survey.Text
}

// CriterionInfo is what the catalogue knows of a criterion key.
type CriterionInfo struct {
	Key     string
	Element string // "" for the overall question
	Label   survey.Text
	Known   bool
	order   int
}

// NewCatalogue builds the catalogue of survey key ("" = every survey).
func NewCatalogue(db survey.SurveyService, surveyKey string) *Catalogue {
	keys := db.SurveyKeys()
	if surveyKey != "" {
		keys = []string{surveyKey}
	}
	// The defaults first, so that the kiosk's order leads.
	sort.SliceStable(keys, func(i, j int) bool { return defaultRank(keys[i]) < defaultRank(keys[j]) })
	var versions []*survey.Survey
	for _, k := range keys {
		cur := db.Survey(k, 0)
		if cur == nil {
			continue
		}
		for v := cur.Version; v >= 1; v-- {
			if s := db.Survey(k, v); s != nil {
				versions = append(versions, s)
			}
		}
	}
	return CatalogueOf(versions...)
}

// CatalogueOf builds a catalogue from survey versions, the first in the
// list winning where they disagree.
func CatalogueOf(versions ...*survey.Survey) *Catalogue {
	cat := &Catalogue{criteria: map[string]CriterionInfo{}}
	seenEl := map[string]bool{}
	for _, s := range versions {
		for _, e := range s.Elements {
			if !seenEl[e.Key] {
				seenEl[e.Key] = true
				cat.Elements = append(cat.Elements, ElementInfo{Key: e.Key, Label: e.Label})
			}
		}
		for _, c := range s.Criteria {
			if _, ok := cat.criteria[c.Key]; !ok {
				cat.criteria[c.Key] = CriterionInfo{Key: c.Key, Element: c.Element, Label: c.Short, Known: true, order: len(cat.criteria)}
			}
		}
	}
	return cat
}

func defaultRank(k string) int {
	switch k {
	case survey.SurveyQuay:
		return 0
	case survey.SurveySipas:
		return 1
	}
	return 2
}

// Criterion returns what the catalogue knows of key (a key with "@3", asked
// on both scales, is its base key's criterion).
func (c *Catalogue) Criterion(key string) CriterionInfo {
	if info, ok := c.criteria[BaseKey(key)]; ok {
		info.Key = key
		return info
	}
	return CriterionInfo{Key: key, order: 1 << 30}
}

// Element returns the element's label.
func (c *Catalogue) Element(key string) survey.Text {
	for _, e := range c.Elements {
		if e.Key == key {
			return e.Label
		}
	}
	return survey.Text{Vi: key, En: key}
}

// sortKeys lists the keys of m in catalogue order (unknown keys last, by key).
func (c *Catalogue) sortKeys(m map[string]*survey.Hist) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := c.Criterion(keys[i]), c.Criterion(keys[j])
		if a.order != b.order {
			return a.order < b.order
		}
		return keys[i] < keys[j]
	})
	return keys
}

// Keys lists the catalogue's criterion keys in its order.
func (cat *Catalogue) Keys() []string {
	keys := make([]string, 0, len(cat.criteria))
	for k := range cat.criteria {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return cat.criteria[keys[i]].order < cat.criteria[keys[j]].order })
	return keys
}
