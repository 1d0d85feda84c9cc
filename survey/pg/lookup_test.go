package pg_test

import (
	"testing"

	"hailong/survey"
	"hailong/survey/pg/pgtest"
)

// TestLookupsWhileDatabaseAway: the credential lookups tell "unknown" from
// "could not ask". With the database stopped, a token, a session and a
// kiosk key answer the credential or an error (the server's 503), never nil
// (a 401 that made a kiosk look unpaired under a failover); and the session
// is still there when the database is back (a failed user lookup ended it).
func TestLookupsWhileDatabaseAway(t *testing.T) {
	own := pgtest.NewOwn(t)
	db := openServer(t, own.Database(t), fixedNow, 0)
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(survey.User{Username: "quanly", Role: survey.RoleManager, Unit: "so-a"}, "mật-khẩu-dài-đủ-12"); err != nil {
		t.Fatal(err)
	}
	sid, _, err := db.CreateSession("quanly")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := db.AddToken(survey.Token{Name: "một cửa", Role: survey.RoleReception, Unit: "so-a"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := db.AddKiosk(survey.Kiosk{ID: "k1", Name: "Ki-ốt 1", Unit: "so-a"})
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := db.PairKiosk(code)
	if err != nil {
		t.Fatal(err)
	}
	// away: the database is stopped. A lookup answers the credential (the
	// tokens and kiosk keys come from the server's cached snapshot) or an
	// error, never "unknown"; sessions are read from the table: an error.
	check := func(when string, away bool) {
		t.Helper()
		tok, err := db.TokenBySecret(secret)
		if tok == nil && (err == nil || !away) {
			t.Errorf("%s: TokenBySecret = %v, %v", when, tok, err)
		}
		s, u, err := db.SessionUser(sid, survey.DefaultSessionPolicy)
		if (err != nil) != away || (err == nil && (s == nil || u == nil)) {
			t.Errorf("%s: SessionUser = %v, %v, %v", when, s, u, err)
		}
		k, err := db.KioskByKey(key)
		if k == nil && (err == nil || !away) {
			t.Errorf("%s: KioskByKey = %v, %v", when, k, err)
		}
	}
	check("database up", false)
	own.Stop(t)
	check("database stopped", true)
	own.Start(t)
	check("database back", false)
	const unknown = "hl_nope"
	if tok, err := db.TokenBySecret(unknown); tok != nil || err != nil {
		t.Errorf("TokenBySecret(unknown) = %v, %v; want nil, nil", tok, err)
	}
	if s, _, err := db.SessionUser(unknown, survey.DefaultSessionPolicy); s != nil || err != nil {
		t.Errorf("SessionUser(unknown) = %v, %v; want nil, nil", s, err)
	}
	if k, err := db.KioskByKey(unknown); k != nil || err != nil {
		t.Errorf("KioskByKey(unknown) = %v, %v; want nil, nil", k, err)
	}
}
