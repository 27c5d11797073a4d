// Package webhook sends the outbox's events to subscriptions: it dispatches
// events into deliveries, claims them, signs and posts them, and retries on
// a schedule (docs/WEBHOOKS.md).
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Headers of a delivery.
const (
	HeaderEvent     = "X-Intake-Event"
	HeaderEventID   = "X-Intake-Event-Id"
	HeaderDelivery  = "X-Intake-Delivery-Id"
	HeaderTimestamp = "X-Intake-Timestamp"
	HeaderSignature = "X-Intake-Signature"
	HeaderReplay    = "X-Intake-Replay"
)

// Signature returns the X-Intake-Signature value for body sent at unix time
// ts: `t=<ts>`, then one `v1=<hex HMAC-SHA256(secret, "<ts>." + body)>`
// per secret, so a receiver rotating secrets accepts either.
func Signature(ts int64, body []byte, secrets []string) string {
	t := strconv.FormatInt(ts, 10)
	var b strings.Builder
	b.WriteString("t=")
	b.WriteString(t)
	for _, s := range secrets {
		mac := hmac.New(sha256.New, []byte(s))
		mac.Write([]byte(t))
		mac.Write([]byte{'.'})
		mac.Write(body)
		b.WriteString(",v1=")
		b.WriteString(hex.EncodeToString(mac.Sum(nil)))
	}
	return b.String()
}

// Verify reports whether header (an X-Intake-Signature value) carries a
// valid signature of body by secret, and returns its timestamp. Receivers
// should also refuse timestamps too far from their clock.
func Verify(header string, body []byte, secret string) (ts int64, ok bool) {
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sigs = append(sigs, v)
		}
	}
	want := Signature(ts, body, []string{secret})
	_, mine, _ := strings.Cut(want, ",v1=")
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(mine)) {
			return ts, true
		}
	}
	return ts, false
}
