// Package pgtest starts one throw-away PostgreSQL cluster per test binary
// and hands each caller a fresh database in it. The cluster lives in a
// temporary folder, listens on a Unix socket only (no TCP) and keeps fsync
// on, so that durability tests mean something. The test binary's TestMain
// calls Stop after the tests:
//
//	func TestMain(m *testing.M) { code := m.Run(); pgtest.Stop(); os.Exit(code) }
//
// The binaries are looked up in HAILONG_PG_BIN, then
// /usr/lib/postgresql/<newest>/bin, then PATH. Without PostgreSQL, Cluster
// fails the test with a clear message; HAILONG_NO_PG=1 skips instead (for
// machines that cannot install it). As root, initdb and postgres run as the
// user postgres (they refuse root), as scripts/bench-postgres.sh does.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options of the cluster, read once when the first Cluster call starts it.
var (
	// Fsync off makes the cluster faster but proves nothing about
	// durability; on by default (HAILONG_PG_FSYNC=off turns it off).
	Fsync = os.Getenv("HAILONG_PG_FSYNC") != "off"
)

type cluster struct {
	dir, bin, url string
	err           error
}

var (
	once    sync.Once
	mu      sync.Mutex
	running *cluster
	nextDB  atomic.Int64
)

// Cluster returns the URL of a new, empty database in the test binary's
// cluster, starting the cluster on first use.
func Cluster(tb testing.TB) string {
	tb.Helper()
	return Clone(tb, "")
}

// Clone returns the URL of a new database copied from template (made by
// Template); "" is an empty database. Copying a migrated template is much
// faster than migrating each test's database.
func Clone(tb testing.TB, template string) string {
	tb.Helper()
	c := cluster0(tb)
	name := fmt.Sprintf("t_%d", nextDB.Add(1))
	sql := "CREATE DATABASE " + name
	if template != "" {
		sql += " TEMPLATE " + template
	}
	if err := c.admin(sql); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return c.url + "&dbname=" + name
}

var (
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// Template makes database name once per test binary by calling setup with
// its URL (setup must close every connection it opens), and returns name
// for Clone.
func Template(tb testing.TB, name string, setup func(url string) error) string {
	tb.Helper()
	c := cluster0(tb)
	templatesMu.Lock()
	defer templatesMu.Unlock()
	err, done := templates[name]
	if !done {
		if err = c.admin("CREATE DATABASE " + name); err == nil {
			err = setup(c.url + "&dbname=" + name)
		}
		templates[name] = err
	}
	if err != nil {
		tb.Fatalf("pgtest: template %s: %v", name, err)
	}
	return name
}

// admin runs one statement in the cluster's postgres database.
func (c *cluster) admin(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url+"&dbname=postgres")
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// cluster0 starts the cluster on first use, or fails (skips with
// HAILONG_NO_PG=1) when PostgreSQL is missing.
func cluster0(tb testing.TB) *cluster {
	tb.Helper()
	once.Do(func() {
		mu.Lock()
		defer mu.Unlock()
		running = start()
	})
	c := running
	if c.err != nil {
		if os.Getenv("HAILONG_NO_PG") == "1" {
			tb.Skipf("PostgreSQL tests skipped (HAILONG_NO_PG=1): %v", c.err)
		}
		tb.Fatalf("PostgreSQL is needed for these tests: %v\n"+
			"Install it (Debian: apt-get install postgresql), point HAILONG_PG_BIN at its bin folder, "+
			"or set HAILONG_NO_PG=1 to skip them.", c.err)
	}
	return c
}

// Stop stops the cluster and removes its folder (a no-op when none was
// started).
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	c := running
	if c == nil || c.err != nil || c.dir == "" {
		return
	}
	_ = c.halt()
	os.RemoveAll(c.dir)
	running = &cluster{err: fmt.Errorf("the cluster was stopped")}
}

func start() *cluster {
	bin, err := binDir()
	if err != nil {
		return &cluster{err: err}
	}
	dir, err := os.MkdirTemp("", "hailong-pgtest-")
	if err != nil {
		return &cluster{err: err}
	}
	c := &cluster{dir: dir, bin: bin}
	if c.err = c.initAndStart(); c.err != nil {
		os.RemoveAll(dir)
	}
	return c
}

func (c *cluster) initAndStart() error {
	if os.Geteuid() == 0 {
		if err := chownPostgres(c.dir); err != nil {
			return err
		}
	}
	data := filepath.Join(c.dir, "data")
	out, err := asPostgres(filepath.Join(c.bin, "initdb"), "-D", data, "-A", "trust", "-U", "hailong",
		"-E", "UTF8", "--no-sync", "--locale=C").CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	return c.run()
}

// run starts the server of an initialised cluster.
func (c *cluster) run() error {
	data := filepath.Join(c.dir, "data")
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=300 -c shared_buffers=64MB", c.dir)
	if !Fsync {
		opts += " -c fsync=off -c synchronous_commit=off"
	}
	out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", data, "-l", filepath.Join(c.dir, "pg.log"),
		"-w", "-t", "60", "-o", opts, "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "pg.log"))
		return fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	c.url = "postgres:///?host=" + c.dir + "&user=hailong&sslmode=disable"
	return nil
}

// halt stops the server at once (no shutdown checkpoint: as a crash).
func (c *cluster) halt() error {
	out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// binDir finds the folder of initdb, pg_ctl and postgres.
func binDir() (string, error) {
	if d := os.Getenv("HAILONG_PG_BIN"); d != "" {
		return d, nil
	}
	if dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin"); len(dirs) > 0 {
		sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no initdb found (looked in HAILONG_PG_BIN, /usr/lib/postgresql/*/bin and PATH)")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// asPostgres runs a server binary, as the user postgres when we are root.
func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func chownPostgres(dir string) error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the user postgres (initdb refuses root): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		return fmt.Errorf("chown %s: %w", dir, err)
	}
	return nil
}
