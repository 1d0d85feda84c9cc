package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"hailong/survey"
)

// Webhook URLs must not reach into the installation's own network (a
// server-side request forgery: 169.254.169.254, the database next door)
// unless an administrator allowed it for that webhook (AllowPrivate, an
// on-site gateway). The check is made twice: when the webhook is
// registered, on the addresses the name resolves to then (CheckURL), and at
// every send, on the address actually dialled (the dialer's Control), so
// that a name that resolves to a public address at registration and to a
// private one later (DNS rebinding) is still refused.

// errPrivate is the message of a refused address.
const errPrivate = "Địa chỉ %s là địa chỉ nội bộ (loopback, link-local, riêng hoặc multicast): chỉ được dùng khi quản trị viên cho phép địa chỉ nội bộ. / %s is a loopback, link-local, private or multicast address: allowed only when the administrator allows private addresses."

// Public reports whether ip may be called without AllowPrivate: a global
// unicast address outside the private, shared (100.64/10) and
// documentation-free ranges.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() || ip.IsMulticast() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsPrivate() || !ip.IsGlobalUnicast() {
		return false
	}
	return !cgnat.Contains(ip) && !thisNet.Contains(ip)
}

var (
	cgnat   = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT, shared address space
	thisNet = netip.MustParsePrefix("0.0.0.0/8")
)

// CheckURL checks a webhook URL for registration: http(s) (survey's check)
// and, unless allowPrivate, every address its host resolves to public.
// Errors: EINVALID with field "url".
func CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	if err := survey.CheckWebhookURL(raw); err != nil {
		return err
	}
	if allowPrivate {
		return nil
	}
	u, _ := url.Parse(raw)
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !Public(ip) {
			return survey.FieldError("url", errPrivate, host, host)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return survey.FieldError("url", "Không tìm được địa chỉ của máy chủ %q. / The host name %q does not resolve.", host, host)
	}
	for _, ip := range ips {
		if !Public(ip) {
			return survey.FieldError("url", errPrivate, host+" ("+ip.String()+")", host+" ("+ip.String()+")")
		}
	}
	return nil
}

// errRefused marks a connection the dialer refused (a private address).
var errRefused = errors.New("private address refused")

// guard is a net.Dialer Control function refusing non-public addresses:
// it sees the address being connected to, after resolution.
func guard(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", errRefused, address)
	}
	if !Public(ap.Addr()) {
		return fmt.Errorf("%w: %s", errRefused, ap.Addr())
	}
	return nil
}
