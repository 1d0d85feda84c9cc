package survey

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MetaCommentRetention is the setting (days; 0 or empty = keep for ever)
// after which comments are removed from stored responses. The answers, and
// so every index, stay; only the free text goes.
const MetaCommentRetention = "comment_retention_days"

// metaPurgedBefore remembers how far comments were purged, so each run
// only reads the responses that aged since the last one.
const metaPurgedBefore = "comments_purged_before"

// CommentRetention returns the retention setting in days (0 = keep).
func (db *DB) CommentRetention() int {
	n, err := strconv.Atoi(db.Meta(MetaCommentRetention))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// PurgeComments removes the comment of every response submitted before
// cutoff, in transactions of at most 5,000 rewritten records so that
// submissions are not held up; it returns how many were removed and writes
// one audit entry. Counts are unaffected (comments are not counted).
func (db *DB) PurgeComments(cutoff time.Time) (int, error) {
	from := int64(0)
	if ns, err := strconv.ParseInt(db.Meta(metaPurgedBefore), 10, 64); err == nil {
		from = ns
	}
	end := cutoff.UnixNano()
	total := 0
	for from < end {
		n, next, err := db.purgeChunk(from, end, 5000)
		if err != nil {
			return total, err
		}
		total += n
		from = next
	}
	err := db.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bMeta).Put([]byte(metaPurgedBefore), []byte(strconv.FormatInt(end, 10))); err != nil {
			return err
		}
		if total == 0 {
			return nil
		}
		return putAudit(tx, db.opts.Now(), AuditEntry{Actor: "system", Action: "comments.purge",
			Detail: fmt.Sprintf("%d comments before %s", total, cutoff.In(db.opts.Loc).Format(time.DateOnly))})
	})
	return total, err
}

// purgeChunk rewrites up to max records with a comment in [from, end) and
// returns the key to continue from.
func (db *DB) purgeChunk(from, end int64, max int) (n int, next int64, err error) {
	next = end
	err = db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bResponses)
		c := b.Cursor()
		type kv struct{ k, v []byte }
		var out []kv
		for k, v := c.Seek(u64(uint64(from))); k != nil && int64(binary.BigEndian.Uint64(k)) < end; k, v = c.Next() {
			if len(v) < 4 || v[3]&hasComment == 0 {
				continue
			}
			r, err := decodeRec(k, v, db.ncrit)
			if err != nil {
				return fmt.Errorf("response %x: %w", k, err)
			}
			r.comment = ""
			out = append(out, kv{append([]byte(nil), k...), r.encode(nil)})
			if len(out) == max {
				next = int64(binary.BigEndian.Uint64(k)) + 1
				break
			}
		}
		for _, x := range out {
			if err := b.Put(x.k, x.v); err != nil {
				return err
			}
		}
		n = len(out)
		return nil
	})
	return n, next, err
}
