package survey

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// KioskSeenEvery is how often a kiosk's heartbeat reaches the disk when
// nothing else changed: heartbeats in between only refresh the cache.
const KioskSeenEvery = 30 * time.Second

// MaxKioskVersion bounds the app version a kiosk reports.
const MaxKioskVersion = 64

// KioskSeen records a kiosk's heartbeat: when it was last seen, how many
// answers it holds in its offline queue and which app version it runs. The
// write is skipped (the cache still gets the fresh values) when the stored
// record was seen less than KioskSeenEvery ago with the same queue and
// version, so that a fleet of kiosks costs few fsyncs.
// Errors: ENOTFOUND for an unknown kiosk, EINVALID for a negative queue or a
// bad version string.
func (db *DB) KioskSeen(id string, queue int, version string, at time.Time) error {
	if queue < 0 {
		return FieldError("queue", "Số phiếu chờ gửi không được âm. / queue must not be negative.")
	}
	if !utf8.ValidString(version) || utf8.RuneCountInString(version) > MaxKioskVersion ||
		strings.IndexFunc(version, unicode.IsControl) >= 0 {
		return FieldError("version", "Phiên bản không hợp lệ (tối đa %d ký tự). / Invalid version (at most %d characters).", MaxKioskVersion, MaxKioskVersion)
	}
	if db.Kiosk(id) == nil {
		return Errorf(ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	at = at.UTC()
	var stored Kiosk
	err := db.bolt.View(func(tx *bolt.Tx) error { return getKiosk(tx, id, &stored) })
	if err != nil {
		return err
	}
	if !stored.LastSeen.IsZero() && at.Sub(stored.LastSeen) < KioskSeenEvery &&
		stored.Queue == queue && stored.Version == version {
		db.cacheKioskSeen(id, queue, version, at)
		return nil
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		// Read again inside the write: a pairing may have changed the record.
		var k Kiosk
		if err := getKiosk(tx, id, &k); err != nil {
			return err
		}
		if at.After(k.LastSeen) {
			k.LastSeen = at
		}
		k.Queue, k.Version = queue, version
		return putJSON(tx, bKiosks, id, k)
	})
	if err != nil {
		return err
	}
	db.cacheKioskSeen(id, queue, version, at)
	return nil
}

func getKiosk(tx *bolt.Tx, id string, k *Kiosk) error {
	v := tx.Bucket(bKiosks).Get([]byte(id))
	if v == nil {
		return Errorf(ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	return json.Unmarshal(v, k)
}

func (db *DB) cacheKioskSeen(id string, queue int, version string, at time.Time) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if k := db.kiosks[id]; k != nil {
		c := *k // readers hold copies; replace rather than mutate
		if at.After(c.LastSeen) {
			c.LastSeen = at
		}
		c.Queue, c.Version = queue, version
		db.kiosks[id] = &c
	}
}

// signMu serialises sign-on and sign-off, so that the "one staff member per
// counter" rule and the cache cannot be broken by two concurrent calls.
var signMu sync.Mutex

// SignOn records that staff member staffID now serves at counterID: ratings
// from that counter's kiosk carry the staff id. The counter must belong to
// the staff member's unit or to a unit below it. Whoever else was signed on
// at that counter is signed off; a staff member is at one counter at a time.
// Errors: EINVALID (field "staff" or "counter") for an unknown staff member
// or counter, or a counter outside the staff member's unit.
func (db *DB) SignOn(staffID, counterID string) error {
	signMu.Lock()
	defer signMu.Unlock()
	s := db.StaffMember(staffID)
	if s == nil {
		return FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
	}
	c := db.Counter(counterID)
	if c == nil {
		return FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
	}
	if !db.InSubtree(c.Unit, s.Unit) {
		return FieldError("staff", "Công chức %q không thuộc đơn vị của quầy %q. / Staff member %q does not belong to the unit of counter %q.", staffID, counterID, staffID, counterID)
	}
	return db.setCounters(func(x *Staff) string {
		switch {
		case x.ID == staffID:
			return counterID
		case x.Counter == counterID:
			return ""
		}
		return x.Counter
	})
}

// SignOff signs staffID off, or, with staffID empty, whoever is signed on at
// counterID. With both given, the staff member is signed off only if signed
// on at that counter. Signing off someone not signed on is not an error.
// Errors: EINVALID for an unknown staff member or counter, or neither given.
func (db *DB) SignOff(staffID, counterID string) error {
	signMu.Lock()
	defer signMu.Unlock()
	if staffID == "" && counterID == "" {
		return FieldError("staff", "Cần mã công chức hoặc mã quầy. / A staff member or a counter is required.")
	}
	if staffID != "" && db.StaffMember(staffID) == nil {
		return FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", staffID, staffID)
	}
	if counterID != "" && db.Counter(counterID) == nil {
		return FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", counterID, counterID)
	}
	return db.setCounters(func(x *Staff) string {
		if (staffID == "" || x.ID == staffID) && (counterID == "" || x.Counter == counterID) {
			return ""
		}
		return x.Counter
	})
}

// setCounters gives each staff member the counter next returns, writing
// only the records that change, in one transaction, then updates the cache.
// The caller holds signMu.
func (db *DB) setCounters(next func(*Staff) string) error {
	var changed []Staff
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		changed = changed[:0]
		b := tx.Bucket(bStaff)
		err := b.ForEach(func(_, v []byte) error {
			var s Staff
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			if c := next(&s); c != s.Counter {
				s.Counter = c
				changed = append(changed, s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range changed {
			if err := putJSON(tx, bStaff, s.ID, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for i := range changed {
		s := changed[i]
		db.staff[s.ID] = &s
	}
	return nil
}

// OnDuty returns the staff member signed on at counterID, or nil. Should
// older data hold several (the rule is one per counter), the first by id is
// returned, so the answer is stable.
func (db *DB) OnDuty(counterID string) *Staff {
	if counterID == "" {
		return nil
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	var ids []string
	for id, s := range db.staff {
		if s.Counter == counterID {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	s := *db.staff[ids[0]]
	return &s
}
