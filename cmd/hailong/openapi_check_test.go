package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hailong/survey/pg/pgtest"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"hailong/web/openapi"
)

// The /api/v1 traffic of this package's tests is checked against the
// embedded OpenAPI description (web/openapi/openapi.json) by kin-openapi:
// TestMain wraps http.DefaultTransport, which every test client without a
// transport of its own uses, so each request to /api/v1 and its answer are
// validated as they pass. The rules:
//   - every answer must be described: its status listed for the operation
//     and its body valid against that status's schema;
//   - a request the description refuses must be refused by the server (a
//     4xx): the description may not be stricter than the server (tests send
//     bad requests on purpose; those must get a described error);
//   - a path or method the description does not know must be a 4xx with
//     the shared Error shape (unknown routes are 404).
// A failure makes the request fail (client.Do returns the error) and is
// also recorded, so TestMain exits non-zero even if a test ignored it.

// apiCheck validates requests and answers against the description.
type apiCheck struct {
	doc    *openapi3.T
	router routers.Router
	next   http.RoundTripper

	mu       sync.Mutex
	failures []string
	checked  int
}

func loadAPIDoc() (*openapi3.T, routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapi.Document)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi.json: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	doc.Servers = nil // any host: the tests' servers listen on random ports
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, nil, err
	}
	return doc, router, nil
}

func init() {
	for _, ct := range []string{"image/png", "image/svg+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

var apiChecker *apiCheck

func TestMain(m *testing.M) {
	doc, router, err := loadAPIDoc()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	apiChecker = &apiCheck{doc: doc, router: router, next: http.DefaultTransport}
	http.DefaultTransport = apiChecker
	code := m.Run()
	pgtest.Stop()
	if testing.Verbose() {
		fmt.Printf("OpenAPI validation: %d /api/v1 exchanges checked\n", apiChecker.checked)
	}
	if f := apiChecker.failures; len(f) > 0 {
		fmt.Fprintf(os.Stderr, "OpenAPI validation: %d failures:\n  %s\n", len(f), strings.Join(f, "\n  "))
		code = 1
	}
	os.Exit(code)
}

func (v *apiCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return v.next.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	res, err := v.next.RoundTrip(req)
	if err != nil {
		return res, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if err := v.check(req, reqBody, res, resBody); err != nil {
		msg := fmt.Sprintf("%s %s → %d: %v", req.Method, req.URL.RequestURI(), res.StatusCode, err)
		v.mu.Lock()
		v.failures = append(v.failures, msg)
		v.mu.Unlock()
		return nil, errors.New("OpenAPI validation: " + msg)
	}
	return res, nil
}

// check validates one exchange (see the rules above).
func (v *apiCheck) check(req *http.Request, reqBody []byte, res *http.Response, resBody []byte) error {
	v.mu.Lock()
	v.checked++
	v.mu.Unlock()
	ctx := context.Background()
	in := req.Clone(ctx)
	in.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := v.router.FindRoute(in)
	if err != nil {
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			return fmt.Errorf("not in the description: %v", err)
		}
		return v.isError(res, resBody)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	rin := &openapi3filter.RequestValidationInput{Request: in, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, rin); err != nil && res.StatusCode < 400 {
		return fmt.Errorf("the server accepted a request the description refuses: %v", err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: rin, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("answer: %v (body %.300s)", err, resBody)
	}
	return nil
}

// isError checks an answer against the shared Error schema.
func (v *apiCheck) isError(res *http.Response, body []byte) error {
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("error answer of type %q, not JSON", ct)
	}
	var x any
	if err := json.Unmarshal(body, &x); err != nil {
		return err
	}
	return v.doc.Components.Schemas["Error"].Value.VisitJSON(x)
}
