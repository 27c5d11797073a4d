package welcomekit

import (
	"net/http"
	"strconv"
)

// getDefaultAvatar serves the avatar of candidates who sent no image. Its
// path carries the content hash, so clients may cache it for good.
func (h *handler) getDefaultAvatar(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(defaultAvatarPNG)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(defaultAvatarPNG)
}
