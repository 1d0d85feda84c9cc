package pg

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"hailong/survey"
)

// The Exporter and Importer of survey (survey/export.go) on PostgreSQL:
// what `hailong migrate` carries as stored. The documents are the same
// JSON as bbolt's buckets; responses go through the writer with the misuse
// rule off, so that they enter the counts and this database's log.

var (
	_ survey.Exporter = (*DB)(nil)
	_ survey.Importer = (*DB)(nil)
)

// docQueries are the kinds read as one document column.
var docQueries = map[string]string{
	survey.RecSurvey:   "SELECT doc FROM surveys ORDER BY key, version",
	survey.RecKiosk:    "SELECT doc FROM kiosks ORDER BY id",
	survey.RecUser:     "SELECT doc FROM users ORDER BY username",
	survey.RecToken:    "SELECT doc FROM tokens ORDER BY id",
	survey.RecDossier:  "SELECT doc FROM dossiers ORDER BY code",
	survey.RecAudit:    "SELECT doc FROM audit ORDER BY at",
	survey.RecAction:   "SELECT doc FROM actions ORDER BY id",
	survey.RecProposal: "SELECT doc FROM proposals ORDER BY id",
	survey.RecHoliday:  "SELECT doc FROM holidays ORDER BY day",
	survey.RecWebhook:  "SELECT doc FROM webhooks ORDER BY id",
	survey.RecDelivery: "SELECT doc FROM outbox ORDER BY id",
	// a case and its contact (kept apart), as one CaseRecord
	survey.RecCase: `SELECT jsonb_strip_nulls(jsonb_build_object('case', c.doc, 'contact', ct.doc))
		FROM cases c LEFT JOIN contacts ct ON ct.id = c.id ORDER BY c.id`,
}

// Export implements survey.Exporter.
func (db *DB) Export(kind string, fn func(survey.Record) error) error {
	emit := func(v []byte) error { return fn(survey.Record{Kind: kind, Value: v}) }
	switch kind {
	case survey.RecResponse:
		return db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			return emit(b)
		})
	case survey.RecBatch:
		return db.exportBatches(emit)
	}
	q, ok := docQueries[kind]
	if !ok {
		return survey.FieldError("kind", "unknown record kind %q", kind)
	}
	return db.view(func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx(), q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				return err
			}
			if err := emit(b); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

func (db *DB) exportBatches(emit func([]byte) error) error {
	return db.view(func(tx pgx.Tx) error {
		var brs []survey.BatchRecord
		rows, err := tx.Query(ctx(), "SELECT doc FROM imports ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var br survey.BatchRecord
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal(b, &br.Batch); err != nil {
				rows.Close()
				return err
			}
			brs = append(brs, br)
		}
		rows.Close()
		for _, br := range brs {
			err := tx.QueryRow(ctx(), "SELECT coalesce(array_agg(key ORDER BY key), '{}') FROM responses WHERE batch = $1",
				br.Batch.ID).Scan(&br.Keys)
			if err != nil {
				return err
			}
			b, err := json.Marshal(br)
			if err != nil {
				return err
			}
			if err := emit(b); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Import implements survey.Importer.
func (db *DB) Import(kind string, recs []survey.Record) error {
	return db.update(func(tx *wtx) error {
		var w *txWriter
		if kind == survey.RecResponse {
			w = newTxWriter(tx)
			w.exact = true
		}
		for i, rec := range recs {
			if rec.Kind != kind {
				return survey.FieldError("kind", "record %d is a %q, not a %q", i, rec.Kind, kind)
			}
			if err := tx.importOne(w, rec); err != nil {
				return fmt.Errorf("%s %d: %w", kind, i, conflict(err))
			}
		}
		if w != nil {
			return w.flush() // rows, log entries and counts insertAll queued
		}
		tx.changed() // surveys, kiosks and the rest are cached by every server
		return nil
	})
}

// conflict reports a unique violation as ECONFLICT (a non-empty target).
func conflict(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return survey.Errorf(survey.ECONFLICT, "exists already (%s)", pe.ConstraintName)
	}
	return err
}

func (tx *wtx) importOne(w *txWriter, rec survey.Record) error {
	decode := func(v any) error {
		if err := json.Unmarshal(rec.Value, v); err != nil {
			return survey.FieldError("value", "%s: %v", rec.Kind, err)
		}
		return nil
	}
	switch rec.Kind {
	case survey.RecSurvey:
		var s survey.Survey
		if err := decode(&s); err != nil {
			return err
		}
		// Replaced when present: a new store holds the built-in surveys.
		_, err := tx.exec(`INSERT INTO surveys (key, version, doc) VALUES ($1, $2, $3)
			ON CONFLICT (key, version) DO UPDATE SET doc = excluded.doc`, s.Key, s.Version, rec.Value)
		return err
	case survey.RecKiosk:
		var k survey.Kiosk
		if err := decode(&k); err != nil {
			return err
		}
		return tx.importKiosk(&k, rec.Value)
	case survey.RecUser:
		var u survey.User
		if err := decode(&u); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO users (username, doc) VALUES ($1, $2)", u.Username, rec.Value)
		return err
	case survey.RecToken:
		var t survey.Token
		if err := decode(&t); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO tokens (hash, id, doc) VALUES ($1, $2, $3)", t.Hash, t.ID, rec.Value)
		return err
	case survey.RecAudit:
		var e survey.AuditEntry
		if err := decode(&e); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO audit (at, doc) VALUES ($1, $2)", e.At, rec.Value)
		return err
	}
	return tx.importMore(w, rec, decode)
}

func (tx *wtx) importMore(w *txWriter, rec survey.Record, decode func(any) error) error {
	switch rec.Kind {
	case survey.RecAction:
		var a survey.Action
		if err := decode(&a); err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO actions (id, doc) VALUES ($1, $2)", a.ID, rec.Value); err != nil {
			return err
		}
		return tx.seqPast("action_seq", a.ID)
	case survey.RecProposal:
		var p survey.FlagProposal
		if err := decode(&p); err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO proposals (id, state, doc) VALUES ($1, $2, $3)", p.ID, p.State, rec.Value); err != nil {
			return err
		}
		return tx.seqPast("proposal_seq", p.ID)
	case survey.RecDossier:
		var d survey.Dossier
		if err := decode(&d); err != nil {
			return err
		}
		return tx.importDossier(&d)
	case survey.RecBatch:
		var br survey.BatchRecord
		if err := decode(&br); err != nil {
			return err
		}
		return tx.importBatch(&br)
	case survey.RecResponse:
		r := &survey.Response{}
		if err := decode(r); err != nil {
			return err
		}
		return w.importResponse(r)
	}
	return tx.importCaseKinds(rec, decode)
}

func (tx *wtx) importKiosk(k *survey.Kiosk, v []byte) error {
	if _, err := tx.exec("INSERT INTO kiosks (id, doc) VALUES ($1, $2)", k.ID, v); err != nil {
		return err
	}
	if k.PairHash != nil {
		if err := tx.putSecret(k.PairHash, secretPair, k.ID); err != nil {
			return err
		}
	}
	if k.KeyHash != nil && !k.Revoked {
		return tx.putSecret(k.KeyHash, secretDevice, k.ID)
	}
	return nil
}

func (tx *wtx) importDossier(d *survey.Dossier) error {
	var exists bool
	if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM dossiers WHERE code = $1)", d.Code).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return survey.Errorf(survey.ECONFLICT, "dossier %q exists already", d.Code)
	}
	if err := tx.putDossier(d); err != nil {
		return err
	}
	if d.TokenHash != nil { // an answered one too: it then answers "already rated"
		_, err := tx.exec("INSERT INTO receipts (hash, code) VALUES ($1, $2)", d.TokenHash, d.Code)
		return err
	}
	return nil
}

func (tx *wtx) importBatch(br *survey.BatchRecord) error {
	id, err := strconv.ParseInt(br.Batch.ID, 10, 64)
	if err != nil {
		return survey.FieldError("id", "batch id %q is not a number", br.Batch.ID)
	}
	b, err := json.Marshal(br.Batch)
	if err != nil {
		return err
	}
	if _, err := tx.exec("INSERT INTO imports (id, doc) VALUES ($1, $2)", id, b); err != nil {
		return err
	}
	keys := make([]int64, len(br.Keys))
	for i, k := range br.Keys {
		keys[i] = int64(k)
	}
	if _, err := tx.exec("UPDATE responses SET batch = $1 WHERE key = ANY($2)", id, keys); err != nil {
		return err
	}
	return tx.seqPast("import_seq", br.Batch.ID)
}

// seqPast moves sequence past a numeric id, so that ids given later never
// collide with a carried one.
func (tx *wtx) seqPast(seq, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil // a chosen id, not from the sequence
	}
	_, err = tx.exec("SELECT setval('"+seq+"', GREATEST($1, (SELECT last_value FROM "+seq+")))", n)
	return err
}

// importResponse stores r as it was: key, id and flags kept.
func (w *txWriter) importResponse(r *survey.Response) error {
	if w.snap.survey(r.Survey, r.Version) == nil {
		return survey.FieldError("survey", "response %d answers survey %s version %d, not in this store", r.Key, r.Survey, r.Version)
	}
	want := r.Key
	r.SubmittedAt = time.Unix(0, int64(r.Key)) // the key is the time, made unique
	created, err := w.insertAll([]*survey.Response{r})
	if err != nil {
		return fmt.Errorf("response %d: %w", want, err)
	}
	if !created[0] || r.Key != want {
		return survey.Errorf(survey.ECONFLICT, "response %d exists already", want)
	}
	return nil
}
