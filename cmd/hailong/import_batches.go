package main

import (
	"io"
	"os"
	"os/user"
	"strings"
)

// Import batches from the command line: every import of responses is a
// batch (who, when, the file's SHA-256, rows, first and last day), listed
// by 'import batches' and withdrawn as a whole by 'import withdraw'.

// actorFlag registers --actor: who the audit log and the change log name.
func actorFlag(f *flags, p *string) {
	f.str(p, "actor", "", "who does it, for the audit log (default: cli:<OS user>)")
}

// cliActor is the --actor given, else "cli:" and the OS user running the
// command (the shell is an administrator's: the server's logins do not
// apply to it).
func cliActor(actor string) string {
	if a := strings.TrimSpace(actor); a != "" {
		return a
	}
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return "cli:" + name
}

func cmdImportBatches(args []string, stdout io.Writer) error {
	var c Config
	f := newFlags("import batches")
	f.common(&c)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 0 {
		return usageError("import batches takes no arguments besides --data")
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	bs, err := db.Batches()
	if err != nil {
		return err
	}
	if bs == nil {
		return printJSON(stdout, map[string]any{"batches": []any{}})
	}
	return printJSON(stdout, map[string]any{"batches": bs})
}

func cmdImportWithdraw(args []string, stdout io.Writer) error {
	var c Config
	var id, reason, actor string
	f := newFlags("import withdraw")
	f.common(&c)
	f.str(&id, "batch", "", "the batch to withdraw (see 'import batches')")
	f.str(&reason, "reason", "", "why, for the audit log (required)")
	actorFlag(f, &actor)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 0 || id == "" {
		return usageError("import withdraw needs --batch ID and --reason TEXT, and no other argument")
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := db.WithdrawBatch(id, cliActor(actor), reason)
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"withdrawn": b})
}
