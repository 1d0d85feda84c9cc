package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is what flags and HAILONG_* variables set.
type Config struct {
	Addr string
	Data string
	// DB is where the data lives: a bbolt file, or a postgres:// URL
	// (empty: <Data>/hailong.db).
	DB        string
	PublicURL string
	TZ        string
	Demo      bool
	TLSCert   string
	TLSKey    string
	// TrustedProxies: comma-separated addresses or CIDRs of reverse proxies
	// whose X-Forwarded-For is believed.
	TrustedProxies string
	// Scheduled backups while serving.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
	LogLevel    string
	DemoSeed    int64
	ShutdownIn  time.Duration
	// Kiosk policy; empty keeps the stored setting.
	KioskIdle, KioskThanks, KioskPartial string
	// SMTPURL is where mail goes (--smtp-url); empty: mail waits in the outbox.
	SMTPURL string
	// SendEvery is how often the outbox is polled (0: 2 s; tests shorten it).
	SendEvery time.Duration
	// Now is the store's clock; nil is the real one (tests move it).
	Now func() time.Time
}

// flags is a flag set whose defaults come from HAILONG_<NAME> variables.
type flags struct {
	*flag.FlagSet
	errs []string
}

func newFlags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs}
}

func envName(flagName string) string {
	return "HAILONG_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flags) str(p *string, name, def, help string) {
	if v, ok := os.LookupEnv(envName(name)); ok {
		def = v
	}
	f.StringVar(p, name, def, help)
}

func (f *flags) boolean(p *bool, name string, help string) {
	def := false
	if v, ok := os.LookupEnv(envName(name)); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not a boolean", envName(name), v))
		}
		def = b
	}
	f.BoolVar(p, name, def, help)
}

func (f *flags) duration(p *time.Duration, name string, def time.Duration, help string) {
	if v, ok := os.LookupEnv(envName(name)); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not a duration such as 24h", envName(name), v))
		}
		def = d
	}
	f.DurationVar(p, name, def, help)
}

func (f *flags) integer(p *int, name string, def int, help string) {
	if v, ok := os.LookupEnv(envName(name)); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not a whole number", envName(name), v))
		}
		def = n
	}
	f.IntVar(p, name, def, help)
}

func (f *flags) parse(args []string) error {
	if len(f.errs) > 0 {
		return usageError(strings.Join(f.errs, "; "))
	}
	if err := f.Parse(args); err != nil {
		return usageError(err.Error())
	}
	return nil
}

// common registers --data, --db and --tz, which every command takes.
func (f *flags) common(c *Config) {
	f.str(&c.Data, "data", "./data", "data folder holding hailong.db")
	f.str(&c.DB, "db", "", "the database: postgres://… for PostgreSQL, or a bbolt file (default <data>/hailong.db)")
	f.str(&c.TZ, "tz", "", "installation time zone (default: the stored one, Asia/Ho_Chi_Minh for a new database)")
}
