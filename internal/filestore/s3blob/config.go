package s3blob

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultRecoverAge is how old a staged object must be before Recover
// settles it. Processes sharing a bucket stage and commit concurrently; a
// request holds a staged blob for seconds, so anything older than this was
// left by a crash.
const DefaultRecoverAge = 10 * time.Minute

// Config names a bucket of an S3-compatible object store and how to reach
// it.
type Config struct {
	// Endpoint is host[:port] (HTTPS) or a URL whose scheme says http or
	// https. Empty means Amazon S3.
	Endpoint string
	Region   string
	Bucket   string
	// Prefix is put before every object name, so one bucket can hold other
	// data or several deployments; objects are <Prefix>staging/<key> and
	// <Prefix>committed/<key>.
	Prefix string
	// AccessKey, SecretKey and SessionToken are static credentials. When
	// AccessKey is empty, credentials come from the environment
	// (AWS_ACCESS_KEY_ID…, MINIO_ACCESS_KEY…), ~/.aws/credentials, or the
	// instance's IAM role, in that order.
	AccessKey, SecretKey, SessionToken string
	// UsePathStyle addresses the bucket as endpoint/bucket instead of
	// bucket.endpoint, as most self-hosted stores need.
	UsePathStyle bool
	// Transport replaces the HTTP transport, for custom CAs or proxies.
	Transport http.RoundTripper
	// MaxRetries bounds the attempts of each request; 0 means 3, so an
	// outage fails a request in seconds instead of the library's ten tries.
	MaxRetries int
	// RecoverAge is DefaultRecoverAge when zero.
	RecoverAge time.Duration
	// Now is the clock Recover compares object ages with; time.Now when
	// nil.
	Now func() time.Time
}

// ParseURL reads a bucket location of the form
// s3://bucket/optional/prefix?endpoint=host:port&region=r&path_style=true.
// Credentials are not taken from the URL, to keep them out of flags and
// logs; set them on the returned Config or in the environment.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("s3blob: parse %q: %w", raw, err)
	}
	if u.Scheme != "s3" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return Config{}, fmt.Errorf("s3blob: %q: want s3://bucket[/prefix][?endpoint=…&region=…&path_style=true]", raw)
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if cfg.Prefix != "" {
		cfg.Prefix += "/"
	}
	for name, values := range u.Query() {
		if len(values) != 1 {
			return Config{}, fmt.Errorf("s3blob: %q: %s given %d times", raw, name, len(values))
		}
		v := values[0]
		switch name {
		case "endpoint":
			cfg.Endpoint = v
		case "region":
			cfg.Region = v
		case "path_style":
			if cfg.UsePathStyle, err = strconv.ParseBool(v); err != nil {
				return Config{}, fmt.Errorf("s3blob: %q: path_style: %w", raw, err)
			}
		default:
			return Config{}, fmt.Errorf("s3blob: %q: unknown parameter %q", raw, name)
		}
	}
	return cfg, nil
}
