package demo

import "hailong/survey"

// DemoPassword is the password of every demo login. It is printed in the
// README and the server log: a demo database is for trying the system, never
// for production.
const DemoPassword = "hailong-demo"

// Logins are the demo accounts, one per role.
var Logins = []survey.User{
	{Username: "admin", Role: survey.RoleAdmin},
	{Username: "giamdoc-sct", Role: survey.RoleManager, Unit: "so-cong-thuong"},
	{Username: "tiepnhan-sct", Role: survey.RoleReception, Unit: "so-cong-thuong"},
	{Username: "lanhdao-tinh", Role: survey.RoleViewer, Unit: province},
}

func (g *gen) logins() error {
	for _, u := range Logins {
		if err := g.db.CreateUser(u, DemoPassword); err != nil {
			return err
		}
	}
	return nil
}
