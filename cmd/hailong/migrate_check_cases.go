package main

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	"hailong/survey"
)

// caseSide is what one store holds of issue 16's records, as exported.
type caseSide struct {
	cases      map[string]survey.CaseRecord
	contacts   int
	holidays   int
	webhooks   map[string]survey.Webhook
	deliveries map[string]int // state → how many
}

// readCaseSide exports the cases, holidays, webhooks and deliveries of db
// (through the Exporter: reading a contact through the service is audited).
func readCaseSide(db survey.Store) (*caseSide, error) {
	ex, ok := db.(survey.Exporter)
	if !ok {
		return nil, fmt.Errorf("the store has no survey.Exporter")
	}
	s := &caseSide{cases: map[string]survey.CaseRecord{}, webhooks: map[string]survey.Webhook{}, deliveries: map[string]int{}}
	read := func(kind string, each func(json.RawMessage) error) error {
		return ex.Export(kind, func(r survey.Record) error { return each(r.Value) })
	}
	err := read(survey.RecCase, func(v json.RawMessage) error {
		var cr survey.CaseRecord
		if err := json.Unmarshal(v, &cr); err != nil {
			return err
		}
		if cr.Contact != nil {
			s.contacts++
		}
		s.cases[cr.Case.ID] = cr
		return nil
	})
	if err == nil {
		err = read(survey.RecHoliday, func(json.RawMessage) error { s.holidays++; return nil })
	}
	if err == nil {
		err = read(survey.RecWebhook, func(v json.RawMessage) error {
			var w survey.Webhook
			err := json.Unmarshal(v, &w)
			s.webhooks[w.ID] = w
			return err
		})
	}
	if err == nil {
		err = read(survey.RecDelivery, func(v json.RawMessage) error {
			var d survey.Delivery
			err := json.Unmarshal(v, &d)
			s.deliveries[d.State]++
			return err
		})
	}
	return s, err
}

// compareCases compares the cases (field by field, contact included),
// holidays, webhooks (secret included) and deliveries by state, and that
// the target's service reads each case back as exported.
func compareCases(src, dst survey.Store, out io.Writer, note func(string, ...any)) error {
	a, err := readCaseSide(src)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	b, err := readCaseSide(dst)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	for _, n := range []struct {
		what string
		a, b int
	}{{"cases", len(a.cases), len(b.cases)}, {"contacts", a.contacts, b.contacts}, {"holidays", a.holidays, b.holidays},
		{"webhooks", len(a.webhooks), len(b.webhooks)}} {
		if n.a != n.b {
			note("%s: %d in the source, %d in the target", n.what, n.a, n.b)
		}
	}
	if !reflect.DeepEqual(a.deliveries, b.deliveries) {
		note("deliveries by state: %v in the source, %v in the target", a.deliveries, b.deliveries)
	}
	for id, ca := range a.cases {
		cb, ok := b.cases[id]
		if c, err := dst.Case(id); !ok || err != nil || !sameJSON(*c, cb.Case) {
			note("case %s missing or unreadable in the target (%v)", id, err)
		} else if !sameJSON(ca, cb) {
			note("case %s differs: %+v / %+v", id, ca, cb)
		}
	}
	if !sameJSON(a.webhooks, b.webhooks) {
		note("webhooks differ: %+v / %+v", a.webhooks, b.webhooks)
	}
	fmt.Fprintf(out, "checked: %d cases field by field, %d contacts, %d holidays, %d webhooks, deliveries by state %v\n",
		len(b.cases), b.contacts, b.holidays, len(b.webhooks), b.deliveries)
	return nil
}

// sameJSON compares two values by their JSON (times compared as written,
// whatever zone value each decoding made).
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
