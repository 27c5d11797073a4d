package fetch

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAllowed(t *testing.T) {
	tests := []struct {
		addr  string
		allow string
		want  bool
	}{
		{"93.184.215.14", "", true},
		{"8.8.8.8", "", true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", "", true},
		{"2a00:1450:4007:818::200e", "", true},
		{"64:ff9b::808:808", "", true}, // NAT64 of 8.8.8.8

		{"127.0.0.1", "", false},
		{"127.255.255.254", "", false},
		{"::1", "", false},
		{"0.0.0.0", "", false},
		{"0.1.2.3", "", false},
		{"::", "", false},
		{"10.0.0.1", "", false},
		{"172.16.0.1", "", false},
		{"172.31.255.255", "", false},
		{"192.168.1.1", "", false},
		{"fc00::1", "", false},
		{"fd12:3456::1", "", false},
		{"169.254.169.254", "", false},
		{"169.254.0.1", "", false},
		{"fd00:ec2::254", "", false},
		{"fe80::1", "", false},
		{"fe80::1%eth0", "", false},
		{"fec0::1", "", false},
		{"100.64.0.1", "", false},
		{"100.127.255.254", "", false},
		{"224.0.0.1", "", false},
		{"239.255.255.250", "", false},
		{"ff02::1", "", false},
		{"255.255.255.255", "", false},
		{"240.0.0.1", "", false},
		{"192.0.0.8", "", false},
		{"192.0.2.1", "", false},
		{"198.18.0.1", "", false},
		{"198.51.100.1", "", false},
		{"203.0.113.1", "", false},
		{"2001:db8::1", "", false},
		{"3fff::1", "", false},
		{"2001::1", "", false},        // Teredo
		{"2002:7f00:1::1", "", false}, // 6to4 of 127.0.0.1
		{"100::1", "", false},
		{"::127.0.0.1", "", false},        // IPv4-compatible
		{"64:ff9b::7f00:1", "", false},    // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", "", false}, // NAT64 of 169.254.169.254
		{"64:ff9b:1::1", "", false},

		// IPv4-mapped IPv6 forms are judged as IPv4.
		{"::ffff:127.0.0.1", "", false},
		{"::ffff:10.0.0.1", "", false},
		{"::ffff:169.254.169.254", "", false},
		{"::ffff:100.64.0.1", "", false},
		{"::ffff:0.0.0.0", "", false},
		{"::ffff:255.255.255.255", "", false},
		{"::ffff:8.8.8.8", "", true},

		{"127.0.0.1", "127.0.0.0/8", true},
		{"::ffff:127.0.0.1", "127.0.0.0/8", true},
		{"::1", "127.0.0.0/8", false},
		{"::1", "::1/128", true},
		{"10.1.2.3", "10.0.0.0/8,fd00::/8", true},
		{"fd00::5", "10.0.0.0/8,fd00::/8", true},
		{"fe80::1%lo", "fe80::/10", true},
		{"192.168.1.1", "10.0.0.0/8", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr+" "+tt.allow, func(t *testing.T) {
			allow, err := ParseAllowList(tt.allow)
			if err != nil {
				t.Fatal(err)
			}
			if got := allowed(netip.MustParseAddr(tt.addr), allow); got != tt.want {
				t.Errorf("allowed(%s, %q) = %v, want %v", tt.addr, tt.allow, got, tt.want)
			}
		})
	}
}

func TestParseAllowList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []netip.Prefix
		wantErr bool
	}{
		{name: "empty", in: ""},
		{name: "blank", in: "  "},
		{name: "one", in: "127.0.0.0/8", want: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		{name: "several with spaces", in: " 10.0.0.0/8 , fd00::/8,192.168.1.7", want: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("192.168.1.7/32"),
		}},
		{name: "single IPv6 address", in: "::1", want: []netip.Prefix{netip.MustParsePrefix("::1/128")}},
		{name: "host bits masked", in: "10.1.2.3/8", want: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		{name: "mapped range", in: "::ffff:10.0.0.0/104", want: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		{name: "trailing comma", in: "10.0.0.0/8,", wantErr: true},
		{name: "hostname", in: "localhost", wantErr: true},
		{name: "bad bits", in: "10.0.0.0/33", wantErr: true},
		{name: "zone", in: "fe80::1%eth0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAllowList(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
