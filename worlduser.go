package intake

import (
	"context"
	"fmt"
	"strings"
)

// WorldUser declares a user of an organization. Give either Password
// (hashed at apply; a warning is logged, since the plain password then
// sits in the world file) or PasswordHash (an encoded bcrypt hash).
type WorldUser struct {
	Email     string `json:"email"`
	Firstname string `json:"firstname,omitempty"`
	Lastname  string `json:"lastname,omitempty"`
	// Name is "Firstname Lastname", split at the first space, for files
	// that give one name.
	Name         string `json:"name,omitempty"`
	Role         Role   `json:"role"`
	Password     string `json:"password,omitempty"`
	PasswordHash string `json:"password_hash,omitempty"`
	// Disabled disables the user. A user disabled here or by
	// `intake users disable` is not re-enabled by a later world.
	Disabled bool `json:"disabled,omitempty"`
}

// worldUsers validates the users of w; the result is per organization
// index, with OrgID left to fill once the organizations are saved.
func (s *Service) worldUsers(w *World) ([][]*User, error) {
	f := fieldErrors{}
	out := make([][]*User, len(w.Organizations))
	seen := map[string]string{}
	for i, wo := range w.Organizations {
		for j, wu := range wo.Users {
			path := fmt.Sprintf("organizations[%d].users[%d].", i, j)
			first, last := wu.Firstname, wu.Lastname
			if wu.Name != "" && first == "" && last == "" {
				first, last, _ = strings.Cut(strings.TrimSpace(wu.Name), " ")
				last = strings.TrimSpace(last)
			}
			email := strings.TrimSpace(wu.Email)
			validUser(f, path, email, first, last, wu.Role)
			if prev, dup := seen[strings.ToLower(email)]; dup && email != "" {
				f.add(path+"email", "duplicates "+prev)
			}
			seen[strings.ToLower(email)] = path + "email"
			switch {
			case wu.Password != "" && wu.PasswordHash != "":
				f.add(path+"password", "give password or password_hash, not both")
			case wu.Password != "":
				validPassword(f, path+"password", wu.Password)
			case wu.PasswordHash != "":
				if !strings.HasPrefix(wu.PasswordHash, "$2") {
					f.add(path+"password_hash", "must be a bcrypt hash ($2a$, $2b$ or $2y$)")
				}
			default:
				f.add(path+"password", "give password or password_hash")
			}
			out[i] = append(out[i], &User{Email: email, Firstname: first, Lastname: last, Role: wu.Role,
				PasswordHash: wu.PasswordHash, Disabled: wu.Disabled})
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// saveWorldUsers saves the users of w, now that orgs (in w's order) have
// their ids. A plain password is hashed here, unless the stored hash
// already matches it, so that restarts keep the hash.
func (s *Service) saveWorldUsers(ctx context.Context, w *World, orgs []WorldOrg, users [][]*User) error {
	var all []*User
	now := s.Now()
	for i, list := range users {
		if len(list) == 0 {
			continue
		}
		existing, err := s.store.Users(ctx, orgs[i].Org.ID)
		if err != nil {
			return err
		}
		byEmail := map[string]*User{}
		for _, u := range existing {
			byEmail[strings.ToLower(u.Email)] = u
		}
		for j, u := range list {
			u.OrgID, u.CreatedAt, u.UpdatedAt = orgs[i].Org.ID, now, now
			prev := byEmail[strings.ToLower(u.Email)]
			if prev != nil && prev.Disabled {
				u.Disabled = true
			}
			plain := w.Organizations[i].Users[j].Password
			if plain == "" {
				continue
			}
			h, err := s.hasher()
			if err != nil {
				return err
			}
			s.log.WarnContext(ctx, "world file: a user's password is given in clear; prefer password_hash",
				"organization", orgs[i].Org.Reference, "email", u.Email)
			if prev != nil && h.Verify(prev.PasswordHash, plain) {
				u.PasswordHash = prev.PasswordHash
				continue
			}
			if u.PasswordHash, err = h.Hash(plain); err != nil {
				return err
			}
		}
		all = append(all, list...)
	}
	if len(all) == 0 {
		return nil
	}
	return s.store.SaveUsers(ctx, all)
}
