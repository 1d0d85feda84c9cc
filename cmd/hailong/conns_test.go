package main

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// A connection still busy at the shutdown deadline (here: half a request
// sent) is cut when Close returns, instead of being served by a server whose
// store is closed.
func TestCloseCutsConnectionsAtTheDeadline(t *testing.T) {
	dir, _, _ := setup(t)
	m := MustRun(t, dir)
	c, err := net.Dial("tcp", m.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil { // no blank line: not finished
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server has accepted it
	m.Config.ShutdownIn = 300 * time.Millisecond
	if err := m.Close(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(2 * time.Second))
	io.WriteString(c, "\r\n") // finish the request: nobody must answer it
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err == nil || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		t.Fatalf("connection still open after Close: read %d bytes %q, err %v", n, buf[:n], err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
