// Command hailong is the whole system in one binary: the server and the
// administration commands. This package is wiring only.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the binary runs on machines without tzdata

	"hailong/survey"
)

const usage = `Hài Lòng — khảo sát sự hài lòng tại Bộ phận một cửa / satisfaction surveys for one-stop desks

Usage:
  hailong serve [--addr 127.0.0.1:8080] [--data ./data] [--public-url URL] [--tz Asia/Ho_Chi_Minh] [--demo]
                [--smtp-url smtp://user:password@host:587?from=ADDRESS&tls=starttls|tls|none]
  hailong user add --username U --role admin|manager|reception|viewer [--unit ID] --password-stdin
  hailong token add --role viewer|reception [--unit ID] --name N
  hailong kiosk add --unit ID [--counter ID] --name N
  hailong import units|responses|dossiers|procedures [--data DIR] [--actor NAME] FILE.csv
  hailong import batches [--data DIR]
  hailong import withdraw [--data DIR] --batch ID --reason TEXT [--actor NAME]
  hailong backup [--data DIR] FILE
  hailong reindex [--data DIR] [--check]
  hailong verify [--data DIR] [--heads FILE]
  hailong verify --log FILE [--heads FILE] [--published data.json] [--period KEY]
  hailong export log [--data DIR] FILE
  hailong compact [--data DIR]
  hailong migrate --from ./data --to postgres://… [--force]

Every command takes --db ADDRESS (HAILONG_DB): postgres://… or postgresql://… runs on PostgreSQL, a file
path on bbolt; without it the data is the bbolt file <data>/hailong.db. compact works on bbolt only.
Every flag also reads HAILONG_<FLAG> from the environment (HAILONG_DATA, HAILONG_DB, HAILONG_ADDR, …).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	var ue usageError
	switch {
	case err == nil:
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "hailong:", err)
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "hailong:", errorText(err))
		os.Exit(1)
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

// errorText prints an *survey.Error with its field, others as they are.
func errorText(err error) string {
	if e, ok := err.(*survey.Error); ok {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}

// run dispatches a command line; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	sub := func() (string, []string) {
		if len(rest) == 0 {
			return "", nil
		}
		return rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stderr)
	case "user":
		if s, r := sub(); s == "add" {
			return cmdUserAdd(r, stdin, stdout)
		}
		return usageError("expected 'user add'")
	case "token":
		if s, r := sub(); s == "add" {
			return cmdTokenAdd(r, stdout)
		}
		return usageError("expected 'token add'")
	case "kiosk":
		if s, r := sub(); s == "add" {
			return cmdKioskAdd(r, stdout)
		}
		return usageError("expected 'kiosk add'")
	case "import":
		s, r := sub()
		return cmdImport(s, r, stdout)
	case "backup":
		return cmdBackup(rest, stdout)
	case "reindex":
		return cmdReindex(rest, stdout)
	case "verify":
		return cmdVerify(rest, stdout, stderr)
	case "export":
		s, r := sub()
		return cmdExport(s, r, stdout)
	case "compact":
		return cmdCompact(rest, stdout)
	case "migrate":
		return cmdMigrate(rest, stdout)
	}
	return usageError(fmt.Sprintf("unknown command %q", cmd))
}
