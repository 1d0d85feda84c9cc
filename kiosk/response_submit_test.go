package kiosk

import (
	"testing"
	"unicode/utf8"

	"hailong/survey"
	"hailong/web"
)

// FuzzSubmitRequest drives the JSON decoder and the request conversion of
// POST /api/v1/responses with arbitrary bodies: never a panic; every error
// is a *survey.Error with a 4xx status; accepted input yields a response
// whose strings are valid UTF-8 and which validates without panicking.
func FuzzSubmitRequest(f *testing.F) {
	seeds := []string{
		`{"id":"0b8f5d1e-3c7a-4e9b-9d2a-1f6e8c4b7a01","survey":"quay","unit":"so-a","answers":{"overall":4,"facilities":2,"website":null},"reasons":["had_to_stand"],"comment":"Phải đứng"}`,
		`{"survey":"sipas","unit":"so-a","channel":"qr","answers":{"overall":5},"facts":{"tt01_contacts":1},"submitted_at":"2026-03-10T09:30:00+07:00"}`,
		`{"survey":"quay","unit":"so-a","answers":{"overall":"five"}}`,
		`{"survey":"quay","unit":"so-a","answers":{"overall":5},"extra":1}`,
		`{"survey":`, `[]`, `null`, `{}`, "{\"comment\":\"\xff\"}", `{"answers":{"overall":1e400}}`,
		`{"survey":"quay","unit":"so-a","channel":"paper","answers":{"overall":5}}`,
		`{"submitted_at":"hôm qua","survey":"quay","unit":"so-a","answers":{"overall":5}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	sv := survey.DefaultQuay()
	p := &web.Principal{Kind: "token", Role: survey.RoleReception}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req submitRequest
		err := web.DecodeJSONBytes(body, &req)
		if err == nil {
			var r *survey.Response
			r, err = req.toResponse(p)
			if err == nil {
				for _, s := range []string{r.Survey, r.Unit, r.Counter, r.Staff, r.Procedure, r.Comment, r.ID} {
					if !utf8.ValidString(s) {
						t.Fatalf("accepted invalid UTF-8 %q", s)
					}
				}
				if r.Survey == sv.Key {
					r.Version = sv.Version
					_ = r.Validate(sv)
				}
				return
			}
		}
		code := survey.ErrorCode(err)
		if s := web.Status(code); s < 400 || s >= 500 {
			t.Fatalf("error %v maps to status %d", err, s)
		}
	})
}
