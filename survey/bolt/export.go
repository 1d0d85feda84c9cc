package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	bbolt "go.etcd.io/bbolt"

	"hailong/survey"
)

// The Exporter and Importer of survey (survey/export.go): what `hailong
// migrate` carries as stored. Items kept as JSON are carried as they are;
// responses and dossiers are decoded from their binary records and encoded
// again by the target (their interned ids differ from store to store).

var (
	_ survey.Exporter = (*DB)(nil)
	_ survey.Importer = (*DB)(nil)
)

// jsonBuckets are the kinds whose value is the stored JSON itself.
var jsonBuckets = map[string][]byte{
	survey.RecSurvey: bSurveys, survey.RecKiosk: bKiosks, survey.RecUser: bUsers, survey.RecToken: bTokens,
	survey.RecAudit: bAudit, survey.RecAction: bActions, survey.RecProposal: bProposals,
	survey.RecHoliday: bHolidays, survey.RecWebhook: bWebhooks, survey.RecDelivery: bOutbox,
}

// Export implements survey.Exporter.
func (db *DB) Export(kind string, fn func(survey.Record) error) error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		emit := func(v []byte) error { return fn(survey.Record{Kind: kind, Value: append(json.RawMessage(nil), v...)}) }
		switch kind {
		case survey.RecResponse:
			return db.exportResponses(tx, emit)
		case survey.RecDossier:
			return tx.Bucket(bDossiers).ForEach(func(k, v []byte) error {
				var d survey.Dossier
				if err := decodeDossier(v, &d); err != nil {
					return fmt.Errorf("dossier %q: %w", k[8:], err)
				}
				return marshalTo(&d, emit)
			})
		case survey.RecBatch:
			return exportBatches(tx, emit)
		case survey.RecCase:
			return exportCases(tx, emit)
		}
		name, ok := jsonBuckets[kind]
		if !ok {
			return survey.FieldError("kind", "unknown record kind %q", kind)
		}
		if b := tx.Bucket(name); b != nil {
			return b.ForEach(func(_, v []byte) error { return emit(v) })
		}
		return nil
	})
}

// exportResponses emits every response with its idempotency key, which
// the record leaves out (it lives in the idem bucket only): the reverse
// map is built first, 16 bytes per key held (about 16 MB a million).
func (db *DB) exportResponses(tx *bbolt.Tx, emit func([]byte) error) error {
	ids := make(map[uint64][16]byte, tx.Bucket(bIdem).Stats().KeyN)
	err := tx.Bucket(bIdem).ForEach(func(k, v []byte) error {
		if len(k) == 16 && len(v) == 8 {
			ids[binary.BigEndian.Uint64(v)] = [16]byte(k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bResponses).ForEach(func(k, v []byte) error {
		r, err := db.decodeResponse(k, v)
		if err != nil {
			return err
		}
		if id, ok := ids[r.Key]; ok && r.ID == "" {
			r.ID = uuid.UUID(id).String()
		}
		return marshalTo(r, emit)
	})
}

func marshalTo(v any, emit func([]byte) error) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return emit(b)
}

// exportBatches emits each batch with the keys of its chunks, in order.
func exportBatches(tx *bbolt.Tx, emit func([]byte) error) error {
	recs, keys := tx.Bucket(bImports), tx.Bucket(bImportKeys)
	if recs == nil {
		return nil
	}
	return recs.ForEach(func(k, v []byte) error {
		var br survey.BatchRecord
		if err := json.Unmarshal(v, &br.Batch); err != nil {
			return err
		}
		if keys != nil {
			c := keys.Cursor()
			for ck, list := c.Seek(k); ck != nil && string(ck[:8]) == string(k); ck, list = c.Next() {
				for i := 0; i+8 <= len(list); i += 8 {
					br.Keys = append(br.Keys, binary.BigEndian.Uint64(list[i:]))
				}
			}
		}
		return marshalTo(&br, emit)
	})
}

// Import implements survey.Importer.
func (db *DB) Import(kind string, recs []survey.Record) error {
	if kind == survey.RecResponse {
		return db.importResponses(recs)
	}
	err := db.update(func(tx *bbolt.Tx) error {
		for i, rec := range recs {
			if rec.Kind != kind {
				return survey.FieldError("kind", "record %d is a %q, not a %q", i, rec.Kind, kind)
			}
			if err := db.importOne(tx, rec); err != nil {
				return fmt.Errorf("%s %d: %w", kind, i, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.loadCaches() // surveys and kiosks are cached
}

// importOne stores one record in tx; ECONFLICT when it exists.
func (db *DB) importOne(tx *bbolt.Tx, rec survey.Record) error {
	switch rec.Kind {
	case survey.RecSurvey:
		var s survey.Survey
		// Replaced when present: a new store holds the built-in surveys.
		return decodeThen(rec, &s, func() error { return tx.Bucket(bSurveys).Put(surveyKey(s.Key, s.Version), rec.Value) })
	case survey.RecKiosk:
		var k survey.Kiosk
		return decodeThen(rec, &k, func() error { return importKiosk(tx, &k, rec.Value) })
	case survey.RecUser:
		var u survey.User
		return decodeThen(rec, &u, func() error { return putNew(tx, bUsers, []byte(u.Username), rec.Value) })
	case survey.RecToken:
		var t survey.Token
		return decodeThen(rec, &t, func() error { return putNew(tx, bTokens, t.Hash, rec.Value) })
	case survey.RecAudit:
		var e survey.AuditEntry
		return decodeThen(rec, &e, func() error { return putNew(tx, bAudit, u64(uint64(e.At.UnixNano())), rec.Value) })
	case survey.RecAction:
		var a survey.Action
		return decodeThen(rec, &a, func() error { return putSeq(tx, bActions, []byte(a.ID), a.ID, rec.Value) })
	case survey.RecProposal:
		var p survey.FlagProposal
		return decodeThen(rec, &p, func() error { return importProposal(tx, &p, rec.Value) })
	case survey.RecDossier:
		var d survey.Dossier
		return decodeThen(rec, &d, func() error { return db.importDossier(tx, &d) })
	case survey.RecBatch:
		var br survey.BatchRecord
		return decodeThen(rec, &br, func() error { return importBatchRecord(tx, &br) })
	}
	return db.importCaseKinds(tx, rec)
}

func decodeThen(rec survey.Record, v any, then func() error) error {
	if err := json.Unmarshal(rec.Value, v); err != nil {
		return survey.FieldError("value", "%s: %v", rec.Kind, err)
	}
	return then()
}

// putNew puts key once: an existing key is a conflict (a non-empty target).
func putNew(tx *bbolt.Tx, bucket, key, v []byte) error {
	b, err := tx.CreateBucketIfNotExists(bucket)
	if err != nil {
		return err
	}
	if b.Get(key) != nil {
		return survey.Errorf(survey.ECONFLICT, "%s %q exists already", bucket, key)
	}
	return b.Put(key, v)
}

// putSeq puts key once and moves the bucket's sequence past a numeric id,
// so that ids given later never collide with a carried one.
func putSeq(tx *bbolt.Tx, bucket, key []byte, id string, v []byte) error {
	if err := putNew(tx, bucket, key, v); err != nil {
		return err
	}
	b := tx.Bucket(bucket)
	if n, err := strconv.ParseUint(id, 10, 64); err == nil && n > b.Sequence() {
		return b.SetSequence(n)
	}
	return nil
}

func importKiosk(tx *bbolt.Tx, k *survey.Kiosk, v []byte) error {
	if err := putNew(tx, bKiosks, []byte(k.ID), v); err != nil {
		return err
	}
	if k.PairHash != nil {
		if err := tx.Bucket(bSecrets).Put(k.PairHash, []byte(secretPair+k.ID)); err != nil {
			return err
		}
	}
	if k.KeyHash != nil && !k.Revoked {
		return tx.Bucket(bSecrets).Put(k.KeyHash, []byte(secretDevice+k.ID))
	}
	return nil
}

func importProposal(tx *bbolt.Tx, p *survey.FlagProposal, v []byte) error {
	n, err := strconv.ParseUint(p.ID, 10, 64)
	if err != nil {
		return survey.FieldError("id", "proposal id %q is not a number", p.ID)
	}
	return putSeq(tx, bProposals, u64(n), p.ID, v)
}

func (db *DB) importDossier(tx *bbolt.Tx, d *survey.Dossier) error {
	if tx.Bucket(bDossCodes).Get([]byte(d.Code)) != nil {
		return survey.Errorf(survey.ECONFLICT, "dossier %q exists already", d.Code)
	}
	td := newTxDict(db.dict, tx)
	tx.OnCommit(td.publish)
	if err := db.putDossier(tx, td, d); err != nil {
		return err
	}
	if d.TokenHash != nil { // an answered one too: it then answers "already rated"
		return tx.Bucket(bReceipts).Put(d.TokenHash, []byte(d.Code))
	}
	return nil
}

func importBatchRecord(tx *bbolt.Tx, br *survey.BatchRecord) error {
	id, err := batchID(br.Batch.ID)
	if err != nil {
		return err
	}
	recs, keys, err := importBuckets(tx)
	if err != nil {
		return err
	}
	if recs.Get(u64(id)) != nil {
		return survey.Errorf(survey.ECONFLICT, "import batch %d exists already", id)
	}
	if err := putBatch(recs, id, &br.Batch); err != nil {
		return err
	}
	if id > recs.Sequence() {
		if err := recs.SetSequence(id); err != nil {
			return err
		}
	}
	const perChunk = 5000
	for c := 0; c*perChunk < len(br.Keys); c++ {
		part := br.Keys[c*perChunk : min((c+1)*perChunk, len(br.Keys))]
		list := make([]byte, 0, 8*len(part))
		for _, k := range part {
			list = binary.BigEndian.AppendUint64(list, k)
		}
		if err := keys.Put(chunkKey(id, uint32(c+1)), list); err != nil {
			return err
		}
	}
	return nil
}

// importResponses stores responses as they were: key, id and flags kept,
// no misuse rule; counted, and appended to this store's log.
func (db *DB) importResponses(recs []survey.Record) error {
	rs := make([]*survey.Response, len(recs))
	for i, rec := range recs {
		r := &survey.Response{}
		if rec.Kind != survey.RecResponse || json.Unmarshal(rec.Value, r) != nil {
			return survey.FieldError("value", "record %d is not a response", i)
		}
		if db.Survey(r.Survey, r.Version) == nil {
			return survey.FieldError("survey", "response %d answers survey %s version %d, not in this store", r.Key, r.Survey, r.Version)
		}
		r.SubmittedAt = time.Unix(0, int64(r.Key)) // the key is the time, made unique
		rs[i] = r
	}
	return db.update(func(tx *bbolt.Tx) error {
		w := db.newTxWriter(tx)
		w.exact = true
		for _, r := range rs {
			want := r.Key
			if created, err := w.insert(r); err != nil {
				return fmt.Errorf("response %d: %w", want, err)
			} else if !created || r.Key != want {
				return survey.Errorf(survey.ECONFLICT, "response %d exists already", want)
			}
		}
		return w.agg.flush(tx, tx.Bucket(bAgg), &db.blocks, false)
	})
}
