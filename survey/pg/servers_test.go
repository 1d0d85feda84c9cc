package pg_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
	"hailong/survey/pg"
	"hailong/survey/pg/pgtest"
)

// Several app servers share one database: these tests open two or more
// stores on it, as two processes would.

func openServer(t *testing.T, url string, now func() time.Time, ttl time.Duration) *pg.DB {
	t.Helper()
	db, err := pg.Open(context.Background(), url, pg.Options{Loc: hcm, Now: now, CacheTTL: ttl, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

func smallOrg(t *testing.T, db *pg.DB) {
	t.Helper()
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddKiosk(survey.Kiosk{ID: "k-a1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt 1"}); err != nil {
		t.Fatal(err)
	}
}

func kioskAnswer(at time.Time) *survey.Response {
	return &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelKiosk, Unit: "so-a", Counter: "a-q1",
		Kiosk: "k-a1", Device: "kiosk:k-a1", Answers: map[string]int{"overall": 5}, SubmittedAt: at, ReceivedAt: at}
}

// eventually polls cond for up to 3 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for end := start.Add(3 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			t.Logf("%s after %v", what, time.Since(start))
			return
		}
	}
	t.Fatalf("%s: not within 3 s", what)
}

// TestCacheAcrossServers: a change on one server reaches the other's
// caches by NOTIFY, long before the TTL (an hour here).
func TestCacheAcrossServers(t *testing.T) {
	url := fresh(t)
	a, b := openServer(t, url, fixedNow, time.Hour), openServer(t, url, fixedNow, time.Hour)
	if b.Unit("so-a") != nil || len(b.Units()) != 0 {
		t.Fatal("b sees a unit before any exists")
	}
	smallOrg(t, a)
	eventually(t, "unit on b", func() bool { return b.Unit("so-a") != nil && b.Kiosk("k-a1") != nil })
	s := a.Settings()
	s.Kiosk.MisuseInterval = 42 * time.Second
	if err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	eventually(t, "settings on b", func() bool { return b.Settings().Kiosk.MisuseInterval == 42*time.Second })
	if err := b.RenameKiosk("k-a1", "Ki-ốt cửa"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "kiosk name on a", func() bool { return a.Kiosk("k-a1").Name == "Ki-ốt cửa" })

	// Tokens and kiosk keys are answered from the snapshot: a new token
	// works on the other server, a revoked one and a revoked kiosk stop
	// there by the notification, not after the TTL.
	secret, err := a.AddToken(survey.Token{Name: "một cửa", Role: survey.RoleReception, Unit: "so-a"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "new token on b", func() bool { tok, err := b.TokenBySecret(secret); return err == nil && tok != nil })
	tok, err := b.TokenBySecret(secret)
	if err != nil || tok == nil {
		t.Fatalf("TokenBySecret on b = %v, %v", tok, err)
	}
	if err := a.RevokeToken(tok.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "revoked token on b", func() bool { tok, err := b.TokenBySecret(secret); return err == nil && tok == nil })
	code, err := a.RepairKiosk("k-a1")
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := a.PairKiosk(code)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "paired kiosk on b", func() bool { k, err := b.KioskByKey(key); return err == nil && k != nil && k.ID == "k-a1" })
	if err := a.RevokeKiosk("k-a1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "revoked kiosk on b", func() bool { k, err := b.KioskByKey(key); return err == nil && k == nil })
}

// TestMisuseAcrossServers: a kiosk's second answer within the misuse
// interval is flagged even when another server stores it.
func TestMisuseAcrossServers(t *testing.T) {
	url := fresh(t)
	a, b := openServer(t, url, fixedNow, time.Hour), openServer(t, url, fixedNow, time.Hour)
	smallOrg(t, a)
	eventually(t, "org on b", func() bool { return b.Kiosk("k-a1") != nil })
	first, second := kioskAnswer(t0.Add(-3*time.Second)), kioskAnswer(t0.Add(-2*time.Second))
	if _, err := a.Submit(first); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Submit(second); err != nil {
		t.Fatal(err)
	}
	if first.Flags&survey.FlagMisuse != 0 || second.Flags&survey.FlagMisuse == 0 {
		t.Fatalf("flags %s then %s, want none then misuse", first.Flags, second.Flags)
	}
	if ok, err := a.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg = %v, %v", ok, err)
	}
	rep, err := b.VerifyLog(nil, nil)
	if err != nil || !rep.OK {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
}

// TestServersWriteTogether: two servers submitting at once keep one
// chain, counts equal to a rebuild, and one response per idempotency key.
func TestServersWriteTogether(t *testing.T) {
	url := fresh(t)
	a, b := openServer(t, url, fixedNow, time.Hour), openServer(t, url, fixedNow, time.Hour)
	if err := a.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "org on b", func() bool { return b.Unit("so-a") != nil })
	const n = 200
	ids := make([]string, n)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	var wg sync.WaitGroup
	for _, db := range []*pg.DB{a, b, a, b} {
		wg.Add(1)
		go func(db *pg.DB) {
			defer wg.Done()
			for i, id := range ids { // every id sent by both servers, twice
				r := &survey.Response{ID: id, Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a",
					Answers: map[string]int{"overall": 1 + i%5}, SubmittedAt: t0.Add(-time.Duration(i) * time.Second)}
				if _, err := db.Submit(r); err != nil {
					t.Error(err)
					return
				}
			}
		}(db)
	}
	wg.Wait()
	if got := a.ResponseCount(); got != n {
		t.Fatalf("ResponseCount = %d, want %d", got, n)
	}
	if ok, err := b.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg = %v, %v", ok, err)
	}
	rep, err := a.VerifyLog(nil, nil)
	if err != nil || !rep.OK || rep.Responses != n {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
}

// TestMigrateTogether: servers starting together on an empty database
// migrate it once (the advisory lock).
func TestMigrateTogether(t *testing.T) {
	url := pgtest.Cluster(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db, err := pg.Open(context.Background(), url, pg.Options{Loc: hcm, Logger: slog.New(slog.DiscardHandler)})
			if err == nil {
				err = db.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db := openServer(t, url, fixedNow, 0)
	var n, max int
	if err := db.Pool().QueryRow(context.Background(), "SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != pg.SchemaVersion() || max != pg.SchemaVersion() {
		t.Fatalf("schema_migrations: %d rows up to %d, want %d", n, max, pg.SchemaVersion())
	}
	if got := len(db.SurveyKeys()); got != len(survey.DefaultSurveys()) {
		t.Fatalf("%d surveys, want %d (installed once)", got, len(survey.DefaultSurveys()))
	}
}

// TestGroupCommit: concurrent submissions share commits.
func TestGroupCommit(t *testing.T) {
	db := openServer(t, fresh(t), fixedNow, 0)
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				r := &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a",
					Answers: map[string]int{"overall": 4}, SubmittedAt: t0.Add(-time.Duration(w*20+i) * time.Second)}
				if _, err := db.Submit(r); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	commits, subs := db.WriterStats()
	if subs != 640 || commits >= subs {
		t.Fatalf("%d submissions in %d commits: no commit was shared", subs, commits)
	}
	t.Logf("%d submissions in %d commits (%.1f per commit)", subs, commits, float64(subs)/float64(commits))
}

// TestZone: the zone is stored at first open; another is refused unless
// Rezone (then Reindex cuts the counts in the new zone).
func TestZone(t *testing.T) {
	url := fresh(t)
	openServer(t, url, fixedNow, 0)
	utc := time.UTC
	_, err := pg.Open(context.Background(), url, pg.Options{Loc: utc, Logger: slog.New(slog.DiscardHandler)})
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("another zone: %v, want EINVALID", err)
	}
	db, err := pg.Open(context.Background(), url, pg.Options{Loc: utc, Rezone: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = pg.Open(context.Background(), url, pg.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil || db.Loc().String() != "UTC" {
		t.Fatalf("reopened in %v (%v), want UTC", db.Loc(), err)
	}
	db.Close()
}
