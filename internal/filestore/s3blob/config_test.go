package s3blob_test

import (
	"testing"

	"intake/internal/filestore/s3blob"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    s3blob.Config
		wantErr bool
	}{
		{"BucketOnly", "s3://docs", s3blob.Config{Bucket: "docs"}, false},
		{"Prefix", "s3://docs/intake/prod/", s3blob.Config{Bucket: "docs", Prefix: "intake/prod/"}, false},
		{"PrefixWithoutSlash", "s3://docs/intake", s3blob.Config{Bucket: "docs", Prefix: "intake/"}, false},
		{"Options", "s3://docs/p?endpoint=http://127.0.0.1:9000&region=eu-west-3&path_style=true",
			s3blob.Config{Bucket: "docs", Prefix: "p/", Endpoint: "http://127.0.0.1:9000", Region: "eu-west-3", UsePathStyle: true}, false},
		{"OtherScheme", "https://docs/p", s3blob.Config{}, true},
		{"NoBucket", "s3:///p", s3blob.Config{}, true},
		{"CredentialsRefused", "s3://key:secret@docs", s3blob.Config{}, true},
		{"UnknownParameter", "s3://docs?acl=public", s3blob.Config{}, true},
		{"BadPathStyle", "s3://docs?path_style=maybe", s3blob.Config{}, true},
		{"RepeatedParameter", "s3://docs?region=a&region=b", s3blob.Config{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s3blob.ParseURL(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseURL(%q) error %v, want error %v", tt.raw, err, tt.wantErr)
			}
			if got.Bucket != tt.want.Bucket || got.Prefix != tt.want.Prefix || got.Endpoint != tt.want.Endpoint ||
				got.Region != tt.want.Region || got.UsePathStyle != tt.want.UsePathStyle {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tt.raw, got, tt.want)
			}
		})
	}
}
