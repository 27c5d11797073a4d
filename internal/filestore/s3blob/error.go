package s3blob

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/minio/minio-go/v7"

	"intake"
)

// notFound reports S3's answer for a missing object, by error code.
func notFound(err error) bool {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return true
	}
	return false
}

// storageError marks failures of the store itself as EUnavailable, so the
// server answers 503 and clients retry; anything else (credentials,
// permissions, a missing bucket) stays an internal error for the logs.
func storageError(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("s3blob: %s: %w", op, err)
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return intake.WrapError(intake.EUnavailable, fmt.Errorf("s3blob: %s: %w", op, err), "file storage unavailable")
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "SlowDown", resp.Code == "ServiceUnavailable", resp.Code == "InternalError",
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusGatewayTimeout:
		return intake.WrapError(intake.EUnavailable, fmt.Errorf("s3blob: %s: %w", op, err), "file storage unavailable")
	}
	return fmt.Errorf("s3blob: %s: %w", op, err)
}
