package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"intake"
)

const keysUsage = `usage:
  intake keys create --org REF --name NAME [--scopes candidates_rw,...] [--owner EMAIL]
  intake keys list   --org REF
  intake keys revoke --org REF --id ID
(plus --data DIR or --database-url URL to find the store)
`

// runKeys manages API keys of an organization. The token of a new key is
// printed once; only its hash is stored.
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd, err := newOrgCommand("keys", keysUsage, args, stderr)
	if err != nil {
		return err
	}
	verb, fs, org := cmd.verb, cmd.fs, cmd.org
	name := fs.String("name", "", "name of the new key")
	scopes := fs.String("scopes", string(intake.ScopeCandidatesRW), "comma-separated scopes of the new key")
	owner := fs.String("owner", "", "email of a user of --org owning the new key (optional)")
	id := fs.String("id", "", "id of the key to revoke")
	if err := cmd.parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, cmd.cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := intake.NewService(intake.ServiceConfig{Store: store})

	switch verb {
	case "create":
		var list []intake.Scope
		for s := range strings.SplitSeq(*scopes, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, intake.Scope(s))
			}
		}
		token, key, err := svc.CreateAPIKey(ctx, *org, *name, list, *owner)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "id: %d\nname: %s\nscopes: %s\n", key.ID, key.Name, joinScopes(key.Scopes))
		if *owner != "" {
			fmt.Fprintf(stdout, "owner: %s\n", *owner)
		}
		fmt.Fprintf(stdout, "token: %s\n(the token is shown once; only its hash is stored)\n", token)
		return nil
	case "list":
		keys, err := svc.APIKeys(ctx, *org)
		if err != nil {
			return err
		}
		users, err := svc.Users(ctx, *org)
		if err != nil {
			return err
		}
		emails := make(map[int64]string, len(users))
		for _, u := range users {
			emails[u.ID] = u.Email
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tOWNER\tCREATED\tREVOKED")
		for _, k := range keys {
			revoked := "-"
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.UTC().Format(time.RFC3339)
			}
			owner := "-"
			if k.OwnerUserID != 0 {
				owner = emails[k.OwnerUserID]
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, joinScopes(k.Scopes), owner, k.CreatedAt.UTC().Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	case "revoke":
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return fmt.Errorf("%w: --id must be a key id from 'intake keys list'", errUsage)
		}
		if err := svc.RevokeAPIKey(ctx, *org, n); err != nil {
			return err
		}
		// Running servers may accept the key from their caches for up to KeyCacheTTL: say revoked once it is dead everywhere.
		select {
		case <-time.After(intake.KeyCacheTTL + 100*time.Millisecond):
		case <-ctx.Done():
			return fmt.Errorf("key %d revoked, but running servers may accept it for %v more: %w", n, intake.KeyCacheTTL, ctx.Err())
		}
		fmt.Fprintf(stdout, "revoked key %d\n", n)
		return nil
	}
	fmt.Fprint(stderr, keysUsage)
	return fmt.Errorf("%w: unknown keys command %q", errUsage, verb)
}

func joinScopes(scopes []intake.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ",")
}
