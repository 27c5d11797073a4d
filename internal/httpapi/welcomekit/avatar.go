package welcomekit

import (
	"net/http"

	"intake/internal/httpapi/plumbing"
)

// getDefaultAvatar serves the avatar of candidates who sent no image. Its
// path carries the content hash, so clients may cache it for good.
func (h *handler) getDefaultAvatar(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	plumbing.WriteBody(w, http.StatusOK, "image/png", defaultAvatarPNG)
}
