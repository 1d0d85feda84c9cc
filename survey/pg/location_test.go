package pg

import (
	"strings"
	"testing"
)

func TestLocationHidesPassword(t *testing.T) {
	for _, u := range []string{
		"postgres://hailong:s3cret@db.example:5432/hailong?sslmode=require",
		"postgres:///hailong?host=/run/postgresql&user=hailong&password=s3cret",
		"host=db.example port=5432 dbname=hailong user=hailong password=s3cret",
	} {
		got := locationOf(u)
		if strings.Contains(got, "s3cret") || !strings.Contains(got, "hailong") {
			t.Errorf("locationOf(%q) = %q", u, got)
		}
	}
}
