package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"intake"
	"intake/internal/auth"
)

const usersUsage = `usage:
  intake users create         --org REF --email EMAIL [--firstname F --lastname L] [--role recruiter] [--password-stdin]
  intake users list           --org REF
  intake users disable        --org REF --user EMAIL|ID
  intake users reset-password --org REF --user EMAIL|ID [--password-stdin]
(plus --data DIR or --database-url URL to find the store)
Without --password-stdin a password is generated and shown once; only its
bcrypt hash is stored. Roles: owner, admin, recruiter, viewer.
`

// runUsers manages the users of an organization, who sign in with POST
// /user/login. Disabling a user ends its tokens at once, running servers
// included: they read the user on every request.
func runUsers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, err := newOrgCommand("users", usersUsage, args, stderr)
	if err != nil {
		return err
	}
	verb, fs, org := cmd.verb, cmd.fs, cmd.org
	email := fs.String("email", "", "email of the new user (its login)")
	first := fs.String("firstname", "", "first name of the new user")
	last := fs.String("lastname", "", "last name of the new user")
	role := fs.String("role", string(intake.RoleRecruiter), "role of the new user: owner, admin, recruiter or viewer")
	user := fs.String("user", "", "the user to change: its email or id")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := cmd.parse(args); err != nil {
		return err
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read the password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return fmt.Errorf("%w: --password-stdin: standard input holds no password", errUsage)
		}
	}
	store, err := openStore(ctx, cmd.cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := intake.NewService(intake.ServiceConfig{Store: store, Passwords: auth.Bcrypt{}})

	shown := func(generated string) {
		if !*fromStdin {
			fmt.Fprintf(stdout, "password: %s\n(the password is shown once; only its hash is stored)\n", generated)
		}
	}
	switch verb {
	case "create":
		pw, u, err := svc.CreateUser(ctx, *org, intake.NewUser{Email: *email, Firstname: *first, Lastname: *last,
			Role: intake.Role(*role), Password: password})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "id: %d\nemail: %s\nrole: %s\n", u.ID, u.Email, u.Role)
		shown(pw)
		return nil
	case "list":
		users, err := svc.Users(ctx, *org)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tCREATED\tDISABLED")
		for _, u := range users {
			disabled := "-"
			if u.Disabled {
				disabled = "yes"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, strings.TrimSpace(u.Firstname+" "+u.Lastname),
				u.Role, u.CreatedAt.UTC().Format(time.RFC3339), disabled)
		}
		return tw.Flush()
	case "disable":
		if *user == "" {
			return fmt.Errorf("%w: --user is required", errUsage)
		}
		u, err := svc.DisableUser(ctx, *org, *user)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled user %d (%s)\n", u.ID, u.Email)
		return nil
	case "reset-password":
		if *user == "" {
			return fmt.Errorf("%w: --user is required", errUsage)
		}
		pw, u, err := svc.ResetPassword(ctx, *org, *user, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new password set for user %d (%s); its earlier tokens no longer work\n", u.ID, u.Email)
		shown(pw)
		return nil
	}
	fmt.Fprint(stderr, usersUsage)
	return fmt.Errorf("%w: unknown users command %q", errUsage, verb)
}
