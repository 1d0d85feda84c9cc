package main

import (
	"net"
	"sync"
)

// connListener remembers the connections it accepted that are still open,
// so that Close can cut those a graceful shutdown could not wait for.
// fasthttp's ShutdownWithTimeout gives up at its deadline but leaves such
// connections open and served (a browser's kept-alive socket mid-request);
// a process that exits drops them anyway, but a server closed and started
// again in the same process, or one whose store is closed under it, must not
// keep answering on them.
type connListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

func trackConns(ln net.Listener) *connListener {
	return &connListener{Listener: ln, conns: map[*trackedConn]struct{}{}}
}

func (l *connListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	t := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[t] = struct{}{}
	l.mu.Unlock()
	return t, nil
}

// closeAll closes every connection still open and reports how many.
func (l *connListener) closeAll() int {
	l.mu.Lock()
	open := make([]*trackedConn, 0, len(l.conns))
	for c := range l.conns {
		open = append(open, c)
	}
	l.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
	return len(open)
}

type trackedConn struct {
	net.Conn
	l    *connListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
