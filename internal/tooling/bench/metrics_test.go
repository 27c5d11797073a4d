package bench

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMetrics(t *testing.T) {
	text := `# HELP intake_store_commit_batch_size Write operations carried by one durable commit.
# TYPE intake_store_commit_batch_size histogram
intake_store_commit_batch_size_bucket{le="1"} 3
intake_store_commit_batch_size_bucket{le="+Inf"} 10
intake_store_commit_batch_size_sum 245
intake_store_commit_batch_size_count 10
intake_http_requests_total{method="POST",route="POST /api/v1/external/candidates",status="201"} 1.5e+06
process_start_time_seconds 1.7e+09 1700000000000
broken_line
bad_value abc
`
	got, err := ParseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := Metrics{
		`intake_store_commit_batch_size_bucket{le="1"}`:                                                   3,
		`intake_store_commit_batch_size_bucket{le="+Inf"}`:                                                10,
		`intake_store_commit_batch_size_sum`:                                                              245,
		`intake_store_commit_batch_size_count`:                                                            10,
		`intake_http_requests_total{method="POST",route="POST /api/v1/external/candidates",status="201"}`: 1.5e6,
		`process_start_time_seconds`:                                                                      1.7e9,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	before := Metrics{"intake_store_commit_batch_size_count": 4}
	if d := got.Delta(before, "intake_store_commit_batch_size_count"); d != 6 {
		t.Errorf("Delta = %v, want 6", d)
	}
}

func FuzzParseMetrics(f *testing.F) {
	f.Add("a_sum 1\na{l=\"x y\"} 2 3\n# c\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = ParseMetrics(strings.NewReader(text))
	})
}
