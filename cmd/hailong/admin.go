package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
)

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func cmdUserAdd(args []string, stdin io.Reader, stdout io.Writer) error {
	var c Config
	var u survey.User
	var pwStdin bool
	f := newFlags("user add")
	f.common(&c)
	f.str(&u.Username, "username", "", "login name (lower-case letters, digits, - and _)")
	f.str(&u.Role, "role", "", "admin, manager, reception or viewer")
	f.str(&u.Unit, "unit", "", "unit whose subtree the user covers (default: every unit)")
	f.boolean(&pwStdin, "password-stdin", "read the password from the first line of standard input")
	if err := f.parse(args); err != nil {
		return err
	}
	if !pwStdin {
		return usageError("--password-stdin is required (passwords are never taken on the command line)")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := createOrReset(db, u, strings.TrimRight(line, "\r\n")); err != nil {
		return err
	}
	return printJSON(stdout, map[string]string{"username": u.Username, "role": u.Role, "unit": u.Unit})
}

// createOrReset creates the login, or gives an existing one the new role,
// unit and password (how an administrator regains access from the shell).
func createOrReset(db survey.Store, u survey.User, password string) error {
	if db.User(u.Username) == nil {
		return db.CreateUser(u, password)
	}
	if err := db.SetPassword(u.Username, password, ""); err != nil {
		return err
	}
	return db.UpdateUser(u.Username, u.Role, u.Unit, false)
}

func cmdTokenAdd(args []string, stdout io.Writer) error {
	var c Config
	var t survey.Token
	f := newFlags("token add")
	f.common(&c)
	f.str(&t.Role, "role", "", "viewer or reception")
	f.str(&t.Unit, "unit", "", "unit whose subtree the token covers (default: every unit)")
	f.str(&t.Name, "name", "", "what the token is for, e.g. 'one-stop information system'")
	if err := f.parse(args); err != nil {
		return err
	}
	if t.Role != survey.RoleViewer && t.Role != survey.RoleReception {
		return usageError("--role must be viewer or reception")
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	secret, err := db.AddToken(t)
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]string{"token": secret})
}

func cmdKioskAdd(args []string, stdout io.Writer) error {
	var c Config
	var k survey.Kiosk
	f := newFlags("kiosk add")
	f.common(&c)
	f.str(&k.ID, "id", "", "kiosk id (default: <unit>-kiosk-<n>)")
	f.str(&k.Unit, "unit", "", "unit the kiosk serves")
	f.str(&k.Counter, "counter", "", "counter the kiosk stands at (optional)")
	f.str(&k.Name, "name", "", "a name staff recognise, e.g. 'Quầy 1'")
	f.str(&c.PublicURL, "public-url", "", "address of the server as the device sees it")
	if err := f.parse(args); err != nil {
		return err
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if k.ID == "" {
		for n := 1; ; n++ {
			k.ID = k.Unit + "-kiosk-" + strconv.Itoa(n)
			if db.Kiosk(k.ID) == nil {
				break
			}
		}
	}
	code, err := db.AddKiosk(k)
	if err != nil {
		return err
	}
	base := c.PublicURL
	if base == "" {
		base = db.Settings().PublicURL
	}
	return printJSON(stdout, map[string]string{"id": k.ID, "pair_url": strings.TrimRight(base, "/") + "/kiosk/pair/" + code})
}

func cmdImport(kind string, args []string, stdout io.Writer) error {
	switch kind {
	case "batches":
		return cmdImportBatches(args, stdout)
	case "withdraw":
		return cmdImportWithdraw(args, stdout)
	}
	var c Config
	var actor string
	f := newFlags("import " + kind)
	f.common(&c)
	actorFlag(f, &actor)
	if err := f.parse(args); err != nil {
		return err
	}
	if kind != "units" && kind != "responses" && kind != "dossiers" && kind != "procedures" {
		return usageError("expected 'import units|responses|dossiers|procedures FILE.csv', 'import batches' or 'import withdraw'")
	}
	if f.NArg() != 1 {
		return usageError("import needs exactly one FILE.csv after the flags")
	}
	path := f.Arg(0)
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var st survey.ImportStats
	switch kind {
	case "units":
		st, err = db.ImportUnits(file)
	case "responses":
		st, err = db.ImportResponses(path, cliActor(actor))
	case "dossiers":
		st, err = db.ImportDossiers(file)
	case "procedures":
		st, err = db.ImportProcedures(file)
	}
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", path, err)
	}
	out := map[string]any{"imported": st.Rows, "kind": kind, "seconds": st.Duration.Seconds()}
	if kind == "responses" {
		out["batch"] = st.Batch
		// Rows not in time order (a file grouped by agency, then time)
		// leave pages part empty: this command holds the file alone, so
		// it can give the space back now (a bbolt matter only).
		if bdb, ok := db.(*bolt.DB); ok {
			compactAfterImport(bdb, out)
		}
	}
	return printJSON(stdout, out)
}

// compactAfterImport compacts the file when an import left enough of it
// unused, noting the outcome in out.
func compactAfterImport(db *bolt.DB, out map[string]any) {
	if size, slack := db.Slack(); slack*100 >= size*compactSlackPercent {
		cs, err := db.Compact(false)
		if err != nil {
			out["compact_error"] = err.Error() // the import itself is stored
		} else {
			out["compacted"] = compactJSON(cs)
		}
	}
}

// compactSlackPercent is the share of the file that an import of responses
// must leave unused for the command to compact the file afterwards.
const compactSlackPercent = 20

func compactJSON(cs bolt.CompactStats) map[string]any {
	return map[string]any{"bytes_before": cs.Before, "bytes_after": cs.After, "responses": cs.Responses, "seconds": cs.Duration.Seconds()}
}

// cmdCompact rewrites the database with full pages (the server must be
// stopped): a copy in the same folder, synced, checked (it opens, holds
// the same keys and values, its counts equal a rebuild), then renamed over
// the file.
func cmdCompact(args []string, stdout io.Writer) error {
	var c Config
	f := newFlags("compact")
	f.common(&c)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 0 {
		return usageError("compact takes no arguments besides --data")
	}
	if _, err := os.Stat(filepath.Join(c.Data, "hailong.db")); err != nil {
		return fmt.Errorf("no database to compact: %w", err)
	}
	db, err := openDB(&c, nil, false)
	if err != nil {
		return err
	}
	cs, err := db.Compact(true)
	if err != nil {
		return err
	}
	return printJSON(stdout, compactJSON(cs))
}

func cmdBackup(args []string, stdout io.Writer) error {
	var c Config
	f := newFlags("backup")
	f.common(&c)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError("backup needs the FILE to write")
	}
	db, err := cliStore(&c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := db.BackupFile(f.Arg(0))
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"file": f.Arg(0), "bytes": n, "seconds": time.Since(start).Seconds()})
}

func cmdReindex(args []string, stdout io.Writer) error {
	var c Config
	var check bool
	f := newFlags("reindex")
	f.common(&c)
	f.boolean(&check, "check", "only compare the stored counts with a rebuild; change nothing")
	if err := f.parse(args); err != nil {
		return err
	}
	db, err := cliStore(&c, c.TZ != "" && !check)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if check {
		ok, err := db.CheckAgg()
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("the stored counts differ from a rebuild: run 'hailong reindex'")
		}
		return printJSON(stdout, map[string]any{"consistent": true, "seconds": time.Since(start).Seconds()})
	}
	n, err := db.Reindex()
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{"responses": n, "seconds": time.Since(start).Seconds()})
}
