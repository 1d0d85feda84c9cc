package storetest

import (
	"fmt"
	"testing"
	"time"

	"hailong/survey"
)

const pw = "mat-khau-dai-1"

func (e *env) user(t *testing.T, name, role string) {
	t.Helper()
	must(t, e.CreateUser(survey.User{Username: name, Role: role}, pw))
}

func (e *env) session(t *testing.T, name string) string {
	t.Helper()
	id, s, err := e.CreateSession(name)
	must(t, err)
	if id == "" || s == nil || s.Username != name || s.CSRF == "" {
		t.Fatalf("CreateSession = %q, %+v", id, s)
	}
	return id
}

func (e *env) live(id string) bool {
	s, u := e.sessionUser(id, survey.DefaultSessionPolicy)
	return s != nil && u != nil
}

// sessionUser is SessionUser for a check: a store that could not answer
// fails the test.
func (e *env) sessionUser(id string, p survey.SessionPolicy) (*survey.Session, *survey.User) {
	s, u, err := e.SessionUser(id, p)
	if err != nil {
		panic(fmt.Sprintf("SessionUser: %v", err))
	}
	return s, u
}

var userCases = []testCase{
	{"CreateUser", func(t *testing.T, e *env) {
		e.org(t)
		must(t, e.CreateUser(survey.User{Username: "quanly", Role: survey.RoleManager, Unit: "so-a"}, pw))
		e.user(t, "admin", survey.RoleAdmin)
		u := e.User("quanly")
		if u == nil || u.Role != survey.RoleManager || u.Unit != "so-a" || u.Disabled || len(u.PasswordHash) == 0 || string(u.PasswordHash) == pw {
			t.Fatalf("User(quanly) = %+v", u)
		}
		equalSlice(t, "Users", ids(e.Users(), func(u survey.User) string { return u.Username }), []string{"admin", "quanly"})
		if e.User("nope") != nil {
			t.Fatal("User(nope) is not nil")
		}
		if u := e.CheckPassword("quanly", pw); u == nil || u.Username != "quanly" {
			t.Fatalf("CheckPassword = %+v", u)
		}
		if e.CheckPassword("quanly", pw+"x") != nil || e.CheckPassword("nope", pw) != nil {
			t.Fatal("CheckPassword accepts a wrong password or user")
		}
	}},
	{"CreateUser/Errors", func(t *testing.T, e *env) {
		e.org(t)
		e.user(t, "admin", survey.RoleAdmin)
		wantErr(t, e.CreateUser(survey.User{Username: "admin", Role: survey.RoleViewer}, pw), survey.ECONFLICT)
		for _, c := range []struct {
			u        survey.User
			password string
			field    string
		}{
			{survey.User{Username: "Bad Name", Role: survey.RoleViewer}, pw, "username"},
			{survey.User{Username: "x", Role: "boss"}, pw, "role"},
			{survey.User{Username: "x", Role: survey.RoleViewer, Unit: "nope"}, pw, "unit"},
			{survey.User{Username: "x", Role: survey.RoleViewer}, "ngan", "password"},
		} {
			wantErr(t, e.CreateUser(c.u, c.password), survey.EINVALID, c.field)
		}
		equal(t, "users", len(e.Users()), 1)
		if e.CheckPassword("admin", pw) == nil {
			t.Fatal("a refused CreateUser replaced the login")
		}
	}},
	{"UpdateUser", func(t *testing.T, e *env) {
		e.org(t)
		e.user(t, "admin", survey.RoleAdmin)
		e.user(t, "nv", survey.RoleViewer)
		sid := e.session(t, "nv")
		must(t, e.UpdateUser("nv", survey.RoleManager, "so-b", false))
		if u := e.User("nv"); u.Role != survey.RoleManager || u.Unit != "so-b" || u.Disabled {
			t.Fatalf("updated user %+v", u)
		}
		equal(t, "session after UpdateUser", e.live(sid), false)
		must(t, e.UpdateUser("nv", survey.RoleManager, "so-b", true))
		if e.CheckPassword("nv", pw) != nil {
			t.Fatal("a disabled user logs in")
		}
		_, _, err := e.CreateSession("nv")
		wantErr(t, err, survey.ENOTFOUND)
		wantErr(t, e.UpdateUser("nope", survey.RoleViewer, "", false), survey.ENOTFOUND)
		wantErr(t, e.UpdateUser("nv", "boss", "", false), survey.EINVALID)
		wantErr(t, e.UpdateUser("nv", survey.RoleViewer, "nope", false), survey.EINVALID)
		if u := e.User("nv"); u.Role != survey.RoleManager || u.Unit != "so-b" || !u.Disabled {
			t.Fatalf("a refused UpdateUser changed the user: %+v", u)
		}
	}},
	{"UpdateUser/ErrLastAdmin", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		e.user(t, "admin2", survey.RoleAdmin)
		must(t, e.UpdateUser("admin2", survey.RoleViewer, "", false))
		sid := e.session(t, "admin")
		for _, c := range []struct {
			role     string
			disabled bool
		}{{survey.RoleViewer, false}, {survey.RoleAdmin, true}} {
			err := e.UpdateUser("admin", c.role, "", c.disabled)
			wantErr(t, err, survey.ECONFLICT)
			if err != survey.ErrLastAdmin && survey.ErrorMessage(err) != survey.ErrLastAdmin.Message {
				t.Fatalf("got %v, want ErrLastAdmin", err)
			}
		}
		if u := e.User("admin"); u.Role != survey.RoleAdmin || u.Disabled {
			t.Fatalf("the last admin changed: %+v", u)
		}
		equal(t, "session of the last admin", e.live(sid), true)
		must(t, e.UpdateUser("admin2", survey.RoleAdmin, "", false))
		must(t, e.UpdateUser("admin", survey.RoleAdmin, "", true)) // another is enabled now
	}},
	{"UpdateUser/NoAdminYet", func(t *testing.T, e *env) {
		e.user(t, "nv", survey.RoleViewer)
		must(t, e.UpdateUser("nv", survey.RoleReception, "", false))
		must(t, e.UpdateUser("nv", survey.RoleReception, "", true))
	}},
	{"SetPassword", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		keep, other := e.session(t, "admin"), e.session(t, "admin")
		must(t, e.SetPassword("admin", "mat-khau-moi-2", keep))
		if e.CheckPassword("admin", pw) != nil || e.CheckPassword("admin", "mat-khau-moi-2") == nil {
			t.Fatal("SetPassword did not replace the password")
		}
		equal(t, "kept session", e.live(keep), true)
		equal(t, "other session", e.live(other), false)
		must(t, e.SetPassword("admin", "mat-khau-moi-3", ""))
		equal(t, "kept session after SetPassword without keep", e.live(keep), false)
		wantErr(t, e.SetPassword("nope", "mat-khau-moi-4", ""), survey.ENOTFOUND)
		wantErr(t, e.SetPassword("admin", "ngan", ""), survey.EINVALID)
		if e.CheckPassword("admin", "mat-khau-moi-3") == nil {
			t.Fatal("a refused SetPassword changed the password")
		}
	}},
	{"DeleteUser", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		e.user(t, "nv", survey.RoleViewer)
		sid := e.session(t, "nv")
		must(t, e.DeleteUser("nv"))
		if e.User("nv") != nil || e.live(sid) {
			t.Fatal("a deleted user or its session remains")
		}
		wantErr(t, e.DeleteUser("nv"), survey.ENOTFOUND)
		sid = e.session(t, "admin")
		err := e.DeleteUser("admin")
		wantErr(t, err, survey.ECONFLICT)
		if e.User("admin") == nil || !e.live(sid) {
			t.Fatal("a refused DeleteUser removed the last admin or its session")
		}
		e.user(t, "admin2", survey.RoleAdmin)
		must(t, e.DeleteUser("admin"))
	}},
}

var tokenCases = []testCase{
	{"AddToken", func(t *testing.T, e *env) {
		e.org(t)
		secret, err := e.AddToken(survey.Token{Name: "Máy lễ tân", Role: survey.RoleReception, Unit: "so-a"})
		must(t, err)
		tk := Must(e.TokenBySecret(secret))
		if tk == nil || tk.ID == "" || tk.Name != "Máy lễ tân" || tk.Role != survey.RoleReception || tk.Unit != "so-a" || tk.Revoked {
			t.Fatalf("TokenBySecret = %+v", tk)
		}
		secret2, err := e.AddToken(survey.Token{Name: "Bảng điều khiển", Role: survey.RoleViewer})
		must(t, err)
		list := e.Tokens()
		if len(list) != 2 || list[0].ID != tk.ID || list[0].ID == list[1].ID {
			t.Fatalf("Tokens = %+v", list)
		}
		for _, x := range list {
			if string(x.Hash) == secret || string(x.Hash) == secret2 {
				t.Fatal("Tokens shows a secret")
			}
		}
		if Must(e.TokenBySecret("nope")) != nil || Must(e.TokenBySecret(secret+"x")) != nil {
			t.Fatal("TokenBySecret accepts a wrong secret")
		}
	}},
	{"AddToken/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		for _, tk := range []survey.Token{{Name: "X", Role: "boss"}, {Name: "", Role: survey.RoleViewer}, {Name: "X", Role: survey.RoleViewer, Unit: "nope"}} {
			_, err := e.AddToken(tk)
			wantErr(t, err, survey.EINVALID)
		}
		equal(t, "tokens", len(e.Tokens()), 0)
	}},
	{"RevokeToken", func(t *testing.T, e *env) {
		secret, err := e.AddToken(survey.Token{Name: "X", Role: survey.RoleViewer})
		must(t, err)
		keep, err := e.AddToken(survey.Token{Name: "Y", Role: survey.RoleViewer})
		must(t, err)
		id := Must(e.TokenBySecret(secret)).ID
		must(t, e.RevokeToken(id))
		if Must(e.TokenBySecret(secret)) != nil {
			t.Fatal("a revoked token still works")
		}
		if Must(e.TokenBySecret(keep)) == nil {
			t.Fatal("revoking one token revoked another")
		}
		list := e.Tokens()
		if len(list) != 2 || list[0].ID != id || !list[0].Revoked {
			t.Fatalf("Tokens after revoking = %+v", list)
		}
		wantErr(t, e.RevokeToken("nope"), survey.ENOTFOUND)
	}},
}

var sessionCases = []testCase{
	{"Lifetime", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		p := survey.SessionPolicy{Idle: time.Hour, Max: 2 * time.Hour}
		id := e.session(t, "admin")
		e.clock.Add(50 * time.Minute)
		if s, u := e.sessionUser(id, p); s == nil || u == nil || u.Username != "admin" {
			t.Fatal("a session 50 minutes old is gone")
		}
		e.clock.Add(50 * time.Minute) // 100 min since login, 50 since the last request
		if s, _ := e.sessionUser(id, p); s == nil {
			t.Fatal("SessionUser did not touch the idle clock")
		}
		e.clock.Add(21 * time.Minute) // past Max
		if s, _ := e.sessionUser(id, p); s != nil {
			t.Fatal("a session older than Max is live")
		}
		e.clock.Set(T0.Add(10 * time.Minute)) // deleted, not merely expired
		if s, _ := e.sessionUser(id, p); s != nil {
			t.Fatal("an expired session was not deleted")
		}
		idle := e.session(t, "admin")
		e.clock.Add(61 * time.Minute)
		if s, _ := e.sessionUser(idle, p); s != nil {
			t.Fatal("an idle session is live")
		}
		if s, u := e.sessionUser("", p); s != nil || u != nil {
			t.Fatal("SessionUser(\"\") found a session")
		}
	}},
	{"CreateSession/ErrNotFound", func(t *testing.T, e *env) {
		_, _, err := e.CreateSession("nope")
		wantErr(t, err, survey.ENOTFOUND)
	}},
	{"DisabledUser", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		e.user(t, "nv", survey.RoleViewer)
		id := e.session(t, "nv")
		must(t, e.UpdateUser("nv", survey.RoleViewer, "", true))
		equal(t, "session of a disabled user", e.live(id), false)
	}},
	{"DeleteSession", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		id, other := e.session(t, "admin"), e.session(t, "admin")
		must(t, e.DeleteSession(id))
		equal(t, "deleted session", e.live(id), false)
		equal(t, "other session", e.live(other), true)
		must(t, e.DeleteSession("nope"))
	}},
	{"PruneSessions", func(t *testing.T, e *env) {
		e.user(t, "admin", survey.RoleAdmin)
		old1, old2 := e.session(t, "admin"), e.session(t, "admin")
		e.clock.Add(2 * time.Hour)
		fresh := e.session(t, "admin")
		n, err := e.PruneSessions(survey.DefaultSessionPolicy)
		must(t, err)
		equal(t, "pruned", n, 2)
		e.clock.Set(T0) // the pruned ones are gone even where they would be live
		equal(t, "pruned session", e.live(old1) || e.live(old2), false)
		e.clock.Add(2 * time.Hour)
		equal(t, "fresh session", e.live(fresh), true)
		n, err = e.PruneSessions(survey.DefaultSessionPolicy)
		must(t, err)
		equal(t, "pruned again", n, 0)
	}},
}

var auditCases = []testCase{
	{"AuditLog", func(t *testing.T, e *env) {
		equal(t, "empty log", len(e.AuditLog(10, time.Time{})), 0)
		for i, a := range []string{"a.one", "a.two", "a.three", "a.four"} {
			e.clock.Set(T0.Add(time.Duration(i) * time.Minute))
			must(t, e.Audit(survey.AuditEntry{Actor: "cli", Action: a, Target: "x", Detail: "d", At: T0.AddDate(-1, 0, 0)}))
		}
		log := e.AuditLog(10, time.Time{})
		equalSlice(t, "newest first", ids(log, func(a survey.AuditEntry) string { return a.Action }), []string{"a.four", "a.three", "a.two", "a.one"})
		equal(t, "At set by the store", log[0].At.Equal(T0.Add(3*time.Minute)), true)
		if a := log[0]; a.Actor != "cli" || a.Target != "x" || a.Detail != "d" {
			t.Fatalf("entry %+v", a)
		}
		equal(t, "limit", len(e.AuditLog(2, time.Time{})), 2)
		page := e.AuditLog(10, log[1].At)
		equalSlice(t, "older than the second", ids(page, func(a survey.AuditEntry) string { return a.Action }), []string{"a.two", "a.one"})
	}},
	{"SameInstant", func(t *testing.T, e *env) {
		for range 5 {
			must(t, e.Audit(survey.AuditEntry{Actor: "cli", Action: "same"}))
		}
		log := e.AuditLog(10, time.Time{})
		equal(t, "entries", len(log), 5)
		seen := 0 // paging by At never skips an entry
		for before := (time.Time{}); ; {
			p := e.AuditLog(2, before)
			if len(p) == 0 {
				break
			}
			seen += len(p)
			before = p[len(p)-1].At
		}
		equal(t, "entries paged", seen, 5)
	}},
}
