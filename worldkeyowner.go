package intake

import (
	"context"
	"fmt"
	"strings"
)

// saveWorldKeyOwners gives the world's keys their declared owners, once
// SaveWorld filled the keys' ids and saveWorldUsers stored the users: an
// owner may be declared in the same file or created earlier by the CLI.
// Errors: EInvalid naming the key whose owner is no user of its
// organization.
func (s *Service) saveWorldKeyOwners(ctx context.Context, w *World, orgs []WorldOrg) error {
	for i, wo := range w.Organizations {
		var byEmail map[string]*User
		for j, wk := range wo.APIKeys {
			if wk.Owner == "" {
				continue
			}
			if byEmail == nil {
				users, err := s.store.Users(ctx, orgs[i].Org.ID)
				if err != nil {
					return err
				}
				byEmail = make(map[string]*User, len(users))
				for _, u := range users {
					byEmail[strings.ToLower(u.Email)] = u
				}
			}
			u := byEmail[strings.ToLower(wk.Owner)]
			if u == nil {
				f := fieldErrors{}
				f.add(fmt.Sprintf("organizations[%d].api_keys[%d].owner", i, j), "is not a user of this organization")
				return f.err()
			}
			key := orgs[i].Keys[j]
			if key.OwnerUserID == u.ID {
				continue
			}
			if err := s.store.SetAPIKeyOwner(ctx, orgs[i].Org.ID, key.ID, u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
