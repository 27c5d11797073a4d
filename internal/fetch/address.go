package fetch

import (
	"fmt"
	"net/netip"
	"strings"
)

// reserved lists the special-purpose ranges (IANA IPv4 and IPv6
// special-purpose address registries) that netip's predicates do not
// already cover and that no public document server uses.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"; 0.0.0.0 dials the local host
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT, often the provider's own network
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated), unspecified, loopback
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4, which tunnels to any IPv4 address
	netip.MustParsePrefix("3fff::/20"),       // documentation
	netip.MustParsePrefix("5f00::/16"),       // segment routing
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// nat64 is the well-known NAT64 prefix: its addresses reach the IPv4
// address in their last 32 bits, which is checked instead.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// allowed reports whether a may be dialled: inside an allowed range, or
// public. IPv4-mapped IPv6 addresses are judged as the IPv4 address they
// reach, and zones are dropped since netip prefixes never contain a zoned
// address.
func allowed(a netip.Addr, allow []netip.Prefix) bool {
	a = a.WithZone("").Unmap()
	for _, p := range allow {
		if p.Contains(a) {
			return true
		}
	}
	return public(a)
}

// public reports whether a is a globally routable unicast address.
// IsGlobalUnicast already excludes loopback, link-local, multicast,
// unspecified and the IPv4 broadcast address; IsPrivate covers RFC 1918 and
// fc00::/7 (so the cloud metadata fd00:ec2::254 too; 169.254.169.254 is
// link-local).
func public(a netip.Addr) bool {
	if !a.IsValid() || !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	if nat64.Contains(a) {
		b := a.As16()
		return public(netip.AddrFrom4([4]byte(b[12:])))
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// ParseAllowList parses a comma-separated list of CIDR ranges or single
// addresses, such as the --allow-fetch-from flag's "10.0.0.0/8,fd00::/8".
// An empty string yields no ranges. IPv4-mapped IPv6 ranges are turned into
// their IPv4 form, the only one addresses are matched in.
func ParseAllowList(s string) ([]netip.Prefix, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("fetch: allow list entry %q: want a range such as 10.0.0.0/8 or an address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
