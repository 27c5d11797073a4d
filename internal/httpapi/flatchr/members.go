package flatchr

import (
	"net/http"
	"strconv"
	"strings"

	"intake"
)

// memberJSON is a member of the company (the vendor's members example):
// the membership, and with ?fields=user the user inside it.
type memberJSON struct {
	ID         string    `json:"id"`
	RoleID     int       `json:"role_id"`
	Role       string    `json:"role"`
	ExternalID *string   `json:"external_id"`
	CompanyID  int64     `json:"company_id"`
	CreatedAt  string    `json:"created_at"`
	User       *userJSON `json:"user,omitempty"`
	LastLogin  *string   `json:"last_login"`
}

// userJSON is a user (spec flatchr §3 user, members example).
type userJSON struct {
	ID                string  `json:"id"`
	UserID            int64   `json:"user_id"`
	Firstname         string  `json:"firstname"`
	Lastname          string  `json:"lastname"`
	Email             string  `json:"email"`
	Phone             *string `json:"phone"`
	UseEmail          bool    `json:"use_email"`
	Status            int     `json:"status"`
	Language          string  `json:"language"`
	CreatedAt         string  `json:"created_at"`
	UpdatedAt         string  `json:"updated_at"`
	Timezone          string  `json:"timezone"`
	GmailLastSyncID   *string `json:"gmail_last_sync_id"`
	GmailLastSyncDate *string `json:"gmail_last_sync_date"`
	Company           string  `json:"company"`
}

// roleIDs numbers roles as the vendor's role_id does in its example (2 for
// an administrator, 3 for a member); ours are ordered by power.
var roleIDs = map[intake.Role]int{intake.RoleOwner: 1, intake.RoleAdmin: 2, intake.RoleRecruiter: 3, intake.RoleViewer: 4}

// getMembers serves GET /company/{companyID}/members[?fields=user].
func (h *handler) getMembers(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	withUser := false
	for f := range strings.SplitSeq(r.URL.Query().Get("fields"), ",") {
		withUser = withUser || strings.TrimSpace(f) == "user"
	}
	users, err := h.svc.Members(r.Context(), p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]memberJSON, len(users))
	for i, u := range users {
		id := strconv.FormatInt(u.ID, 10)
		out[i] = memberJSON{
			ID:        intake.DeriveEncodedID("member", p.Org.Reference, id),
			RoleID:    roleIDs[u.Role],
			Role:      string(u.Role),
			CompanyID: p.Org.ID,
			CreatedAt: timestamp(u.CreatedAt),
		}
		if withUser {
			status := 1
			if u.Disabled {
				status = 0
			}
			out[i].User = &userJSON{
				ID:        intake.DeriveEncodedID("user", id),
				UserID:    u.ID,
				Firstname: u.Firstname,
				Lastname:  u.Lastname,
				Email:     u.Email,
				Status:    status,
				Language:  "fr_FR",
				CreatedAt: timestamp(u.CreatedAt),
				UpdatedAt: timestamp(u.UpdatedAt),
				Timezone:  h.loc.String(),
				Company:   p.Org.Name,
			}
		}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
