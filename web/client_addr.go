package web

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Proxies are the reverse proxies whose X-Forwarded-For is believed
// (--trusted-proxies): single addresses or CIDR ranges.
type Proxies []netip.Prefix

// ParseProxies reads addresses ("10.0.0.1", "::1") and ranges ("10.0.0.0/8").
func ParseProxies(list []string) (Proxies, error) {
	var p Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
			a = a.Unmap()
			p = append(p, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pr, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR range", s)
		}
		p = append(p, pr.Masked())
	}
	return p, nil
}

// Trusts reports whether a is one of the proxies.
func (p Proxies) Trusts(a netip.Addr) bool {
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// strings is p in the form Fiber's TrustedProxies config takes.
func (p Proxies) strings() []string {
	out := make([]string, len(p))
	for i, pr := range p {
		out[i] = pr.String()
	}
	return out
}

// Client returns the client's address from the TCP peer and the request's
// X-Forwarded-For values (in the order they came). Only a trusted peer's
// header counts; it is read from the right, since each proxy appends the
// address it saw and only the hops our own proxies added can be believed:
// the first hop that is not a trusted proxy is the client. A hop that is
// not an IP address ends the walk at the last valid hop (a proxy, or the
// peer): whatever is left of it is the client's to forge. The result is
// always a parsed address, never header text.
func (p Proxies) Client(peer netip.Addr, forwarded []string) netip.Addr {
	peer = peer.Unmap().WithZone("")
	if !p.Trusts(peer) {
		return peer
	}
	client := peer
	for i := len(forwarded) - 1; i >= 0; i-- {
		hops := strings.Split(forwarded[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := parseHop(hops[j])
			if !ok {
				return client
			}
			client = a
			if !p.Trusts(a) {
				return a
			}
		}
	}
	return client // every hop is a proxy: the first one
}

// parseHop reads one X-Forwarded-For element: an address, or an address
// with a port as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

// ClientAddr is the address of the client that sent the request: the one
// used for rate limits, login throttling and logs. Use it, never c.IP()
// (which is the TCP peer: the proxy, behind one).
func (d *Deps) ClientAddr(c *fiber.Ctx) netip.Addr {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var forwarded []string
	if len(d.TrustedProxies) > 0 {
		for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
			forwarded = append(forwarded, string(v))
		}
	}
	return d.TrustedProxies.Client(peer, forwarded)
}

// ClientKey is the keyed hash of ClientAddr: what rate limits count by.
func (d *Deps) ClientKey(c *fiber.Ctx) string {
	return d.Clients.Of(d.ClientAddr(c))
}
