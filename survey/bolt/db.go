package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hailong/survey"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bucket names. See docs/ARCHITECTURE.md for keys and values.
var (
	bMeta      = []byte("meta")      // schema version, settings
	bUnits     = []byte("units")     // unit id → JSON Unit
	bGroups    = []byte("groups")    // group id → JSON Group
	bCounters  = []byte("counters")  // counter id → JSON Counter
	bStaff     = []byte("staff")     // staff id → JSON Staff
	bKiosks    = []byte("kiosks")    // kiosk id → JSON Kiosk
	bSurveys   = []byte("surveys")   // key 0x00 version(4) → JSON Survey
	bResponses = []byte("responses") // time ns (8) → binary response
	bIdem      = []byte("idem")      // uuid (16) → response key (8)
	bAgg       = []byte("agg")       // unit(4) period(4) dim(1) → counts block
	bDict      = []byte("dict")      // per kind sub-bucket: 0x00 id(4) → name (name → id is rebuilt in memory at open)
	bDossiers  = []byte("dossiers")  // unit(4) received day(4) code → binary Dossier (dossier_codec.go)
	bDossCodes = []byte("dosscodes") // code → dossiers key
	bUsers     = []byte("users")     // username → JSON User
	bTokens    = []byte("tokens")    // sha256(secret) → JSON Token
	bSecrets   = []byte("secrets")   // sha256(secret) → kind + id (kiosk pairing codes, device keys)
	// schema 2
	bSessions = []byte("sessions") // sha256(session id) → JSON Session
	bAudit    = []byte("audit")    // time ns (8) → JSON AuditEntry
	bReceipts = []byte("receipts") // sha256(receipt token) → dossier code
	bPhotos   = []byte("photos")   // staff id → image bytes (content type first, then 0x00)
	// schema 3
	bActions = []byte("actions") // action id → JSON Action (improvement actions)
	// schema 6
	bCases    = []byte("cases")    // case id → JSON Case
	bCaseResp = []byte("caseresp") // response UUID → case id (one case per response)
	bContacts = []byte("contacts") // case id → JSON Contact (stored apart, purged after closing)
	bHolidays = []byte("holidays") // day YYYY-MM-DD → JSON Holiday
	bWebhooks = []byte("webhooks") // webhook id → JSON Webhook
	bOutbox   = []byte("outbox")   // delivery id → JSON Delivery
	bOutQueue = []byte("outq")     // next attempt ns (8) delivery id → nil, for pending deliveries
)

var allBuckets = [][]byte{bMeta, bUnits, bGroups, bCounters, bStaff, bKiosks, bSurveys,
	bResponses, bIdem, bAgg, bDict, bDossiers, bDossCodes, bUsers, bTokens, bSecrets}

// Options configure a DB.
type Options struct {
	// Loc is the installation's time zone, where days are cut. nil means the
	// zone stored in the database (DefaultZone for a new one). A zone that
	// differs from the stored one is refused unless Rezone is set, because
	// the counts were cut in the stored zone: rezoning must be followed by
	// Reindex.
	Loc         *time.Location
	Rezone      bool
	Now         func() time.Time // injectable clock
	LockTimeout time.Duration    // how long to wait for another process's lock (default 1 s)
	MaxBatch    int              // most submissions per group commit (default 256)
	Logger      *slog.Logger
}

// DB implements every service of the domain.
var _ survey.Store = (*DB)(nil)

// DB is the bbolt-backed store: every survey service on one file. It is safe for concurrent use.
type DB struct {
	bolt *bbolt.DB
	Path string
	opts Options
	log  *slog.Logger

	mu       sync.RWMutex // guards the caches below
	dict     *dict
	units    map[string]*survey.Unit
	groups   map[string]*survey.Group
	counters map[string]*survey.Counter
	staff    map[string]*survey.Staff
	kiosks   map[string]*survey.Kiosk
	surveys  map[string][]*survey.Survey // by key, index = version-1

	blocks    blockCache // decoded count blocks recently written
	kioskMu   sync.Mutex
	kioskLast map[uint32]int64 // last kiosk answer time (ns, submitted), for misuse flags
	devLast   map[string]int64 // last receive time (ns) per Response.Device, for misuse flags
	importsMu sync.Mutex
	importing map[uint64]bool // import batches being stored by this process
	settings  atomic.Pointer[survey.Settings]
	hooks     atomic.Pointer[[]survey.Webhook] // the enabled webhooks, for emit (webhooks.go)
	misuse    time.Duration                    // the misuse interval in force (guarded by wmu: the writer reads it)
	logTip    logTip                           // the end of the tamper-evident log (guarded by wmu)
	lg        *logTx                           // the log appender of the running write transaction (guarded by wmu)
	logKey    []byte                           // the installation's secret for confirmation codes
	writes    chan *writeReq
	stopOnce  sync.Once
	closeOnce sync.Once
	closeErr  error
	wmu       sync.Mutex // serialises write transactions with their after-commit work
	closing   chan struct{}
	wg        sync.WaitGroup
}

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = &survey.Error{Code: survey.ELOCKED, Message: "Cơ sở dữ liệu đang được một tiến trình hailong khác sử dụng (máy chủ đang chạy?). Hãy dừng nó hoặc dùng HTTP. / The database is in use by another hailong process (is the server running?). Stop it first or use the HTTP API."}

// Open opens or creates the database file at path, runs migrations and
// loads the caches. It fails with ErrLocked within LockTimeout when another
// process holds the file.
func Open(path string, o Options) (*DB, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = time.Second
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = 256
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	bdb, err := openLocked(path, o.LockTimeout)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, Path: path, opts: o, log: o.Logger,
		kioskLast: map[uint32]int64{}, devLast: map[string]int64{}, importing: map[uint64]bool{}, writes: make(chan *writeReq, 1024), closing: make(chan struct{})}
	if err := db.migrate(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.settleZone(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.loadCaches(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.loadSettings(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.loadHooks(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.loadLog(); err != nil {
		bdb.Close()
		return nil, err
	}
	db.wg.Add(1)
	go db.writer()
	return db, nil
}

// openLocked opens the bbolt file and takes its lock. A compaction renames
// a new file over the old one before it lets the old one's lock go: if the
// name points to another file once the lock is held, this process waited on
// the replaced file, and opens the name again.
func openLocked(path string, timeout time.Duration) (*bbolt.DB, error) {
	for try := 0; ; try++ {
		before, _ := os.Stat(path)
		bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{
			Timeout:         timeout,
			FreelistType:    bbolt.FreelistMapType,
			InitialMmapSize: 64 << 20,
		})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, ErrLocked
		} else if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		after, err := os.Stat(path)
		if err == nil && (before == nil || os.SameFile(before, after)) {
			return bdb, nil
		}
		bdb.Close()
		if try == 2 {
			return nil, ErrLocked
		}
	}
}

// Close stops the writer after the queued submissions and closes the file.
func (db *DB) Close() error {
	db.stopWriter()
	db.closeOnce.Do(func() { db.closeErr = db.bolt.Close() })
	return db.closeErr
}

// stopWriter stores the queued submissions and stops the writer; later
// submissions fail with ErrClosed.
func (db *DB) stopWriter() {
	db.stopOnce.Do(func() {
		close(db.closing)
		db.wg.Wait()
	})
}

// update runs fn in a write transaction. bbolt runs commit handlers after
// releasing its write lock; holding wmu until Update returns makes the
// handlers (publishing new dictionary names, updating the block cache) finish
// before the next write transaction starts.
func (db *DB) update(fn func(*bbolt.Tx) error) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	d := db.dict
	if d == nil { // migrations run before the dictionary is loaded
		return db.bolt.Update(fn)
	}
	d.active = d.active[:0]
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		// Responses and changes append to the tamper-evident log in the
		// same transaction; the day's head is written last.
		lg := db.beginLog(tx)
		defer func() { db.lg = nil }()
		if err := fn(tx); err != nil {
			return err
		}
		if err := lg.finish(); err != nil {
			return err
		}
		for _, t := range d.active {
			t.publish()
		}
		return nil
	})
	if err != nil {
		for _, t := range d.active {
			t.unpublish()
		}
	}
	d.active = nil
	return err
}

func (db *DB) settleZone() error {
	stored := db.meta("tz")
	switch {
	case db.opts.Loc == nil && stored == "":
		loc, err := time.LoadLocation(survey.DefaultZone)
		if err != nil {
			return err
		}
		db.opts.Loc = loc
	case db.opts.Loc == nil:
		loc, err := time.LoadLocation(stored)
		if err != nil {
			return fmt.Errorf("stored time zone %q: %w", stored, err)
		}
		db.opts.Loc = loc
		return nil
	case stored != "" && stored != db.opts.Loc.String() && !db.opts.Rezone:
		return &survey.Error{Code: survey.EINVALID, Field: "tz", Message: fmt.Sprintf(
			"Múi giờ của hệ thống là %s; đổi sang %s cần chạy 'hailong reindex --tz %s'. / The installation's time zone is %s; changing it to %s needs 'hailong reindex --tz %s'.",
			stored, db.opts.Loc, db.opts.Loc, stored, db.opts.Loc, db.opts.Loc)}
	}
	if stored == db.opts.Loc.String() {
		return nil
	}
	return db.setMeta("tz", db.opts.Loc.String())
}

// Closing reports whether Close has begun.
func (db *DB) Closing() bool {
	select {
	case <-db.closing:
		return true
	default:
		return false
	}
}

// Loc returns the installation's time zone.
func (db *DB) Loc() *time.Location { return db.opts.Loc }

// Now returns the store's clock.
func (db *DB) Now() time.Time { return db.opts.Now() }

// Bolt exposes the underlying bbolt handle (for stats and tests).
func (db *DB) Bolt() *bbolt.DB { return db.bolt }

// Location returns the database file's path.
func (db *DB) Location() string { return db.Path }

// Size returns the database file size in bytes.
func (db *DB) Size() int64 {
	var n int64
	_ = db.bolt.View(func(tx *bbolt.Tx) error { n = tx.Size(); return nil })
	return n
}

func (db *DB) loadCaches() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.units, db.groups, db.counters = map[string]*survey.Unit{}, map[string]*survey.Group{}, map[string]*survey.Counter{}
	db.staff, db.kiosks, db.surveys = map[string]*survey.Staff{}, map[string]*survey.Kiosk{}, map[string][]*survey.Survey{}
	return db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		if db.dict, err = loadDict(tx); err != nil {
			return err
		}
		loads := []struct {
			b   []byte
			put func(v []byte) error
		}{
			{bUnits, func(v []byte) error { x := &survey.Unit{}; err := json.Unmarshal(v, x); db.units[x.ID] = x; return err }},
			{bGroups, func(v []byte) error {
				x := &survey.Group{}
				err := json.Unmarshal(v, x)
				db.groups[x.ID] = x
				return err
			}},
			{bCounters, func(v []byte) error {
				x := &survey.Counter{}
				err := json.Unmarshal(v, x)
				db.counters[x.ID] = x
				return err
			}},
			{bStaff, func(v []byte) error {
				x := &survey.Staff{}
				err := json.Unmarshal(v, x)
				db.staff[x.ID] = x
				return err
			}},
			{bKiosks, func(v []byte) error {
				x := &survey.Kiosk{}
				err := json.Unmarshal(v, x)
				db.kiosks[x.ID] = x
				return err
			}},
			{bSurveys, func(v []byte) error {
				x := &survey.Survey{}
				if err := json.Unmarshal(v, x); err != nil {
					return err
				}
				db.surveys[x.Key] = append(db.surveys[x.Key], x) // keys sort by version
				return nil
			}},
		}
		for _, l := range loads {
			if err := tx.Bucket(l.b).ForEach(func(_, v []byte) error { return l.put(v) }); err != nil {
				return fmt.Errorf("load %s: %w", l.b, err)
			}
		}
		return nil
	})
}

func u32(v uint32) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, v)
	return b
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func (db *DB) afterCommit(tx *bbolt.Tx, fn func()) { tx.OnCommit(fn) }

func putJSON(tx *bbolt.Tx, bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(key), b)
}
