package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"intake"
)

const webhooksUsage = `usage:
  intake webhooks create     --org REF --url URL --events new_applicant,drag_applicant
                             [--vacancy JOB_ID] [--column STAGE_ID] [--secret S[,S2]]
  intake webhooks list       --org REF
  intake webhooks disable    --org REF --id ID
  intake webhooks enable     --org REF --id ID
  intake webhooks replay     --org REF --subscription ID --since 2026-12-01T00:00:00Z|24h
  intake webhooks deliveries --org REF [--subscription ID] [--status pending|delivered|failed] [--limit N]
  intake webhooks attempts   --org REF --delivery ID
(plus --data DIR or --database-url URL to find the store)
`

// runWebhooks manages webhook subscriptions of an organization.
func runWebhooks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd, err := newOrgCommand("webhooks", webhooksUsage, args, stderr)
	if err != nil {
		return err
	}
	verb, fs, org := cmd.verb, cmd.fs, cmd.org
	url := fs.String("url", "", "target URL of the new subscription")
	events := fs.String("events", "", "comma-separated events of the new subscription")
	vacancy := fs.Int64("vacancy", 0, "job id the new subscription is limited to")
	column := fs.Int64("column", 0, "stage id the new subscription is limited to")
	secret := fs.String("secret", "", "comma-separated signing secrets (several during a rotation)")
	id := fs.Int64("id", 0, "subscription id")
	sub := fs.Int64("subscription", 0, "subscription id")
	since := fs.String("since", "", "RFC 3339 time, or a duration back from now (24h)")
	status := fs.String("status", "", "delivery status filter")
	limit := fs.Int("limit", 50, "how many deliveries to list")
	delivery := fs.Int64("delivery", 0, "delivery id")
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
		s := &intake.Subscription{URL: *url, Events: eventList(*events), JobID: *vacancy, StageID: *column, Secrets: splitList(*secret)}
		if err := svc.CreateSubscription(ctx, *org, s); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "id: %d\nurl: %s\nevents: %s\n", s.ID, s.URL, joinEvents(s.Events))
		return nil
	case "list":
		subs, err := svc.Subscriptions(ctx, *org)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tEVENTS\tVACANCY\tCOLUMN\tSIGNED\tACTIVE\tCREATED")
		for _, s := range subs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%v\t%v\t%s\n", s.ID, s.URL, joinEvents(s.Events), s.JobID, s.StageID,
				len(s.Secrets) > 0, s.Active, s.CreatedAt.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	case "disable", "enable":
		if *id == 0 {
			return fmt.Errorf("%w: --id is required", errUsage)
		}
		if err := svc.SetSubscriptionActive(ctx, *org, *id, verb == "enable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd subscription %d\n", verb, *id)
		return nil
	case "replay":
		if *sub == 0 {
			return fmt.Errorf("%w: --subscription is required", errUsage)
		}
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return fmt.Errorf("%w: --since: %v", errUsage, err)
		}
		n, err := svc.ReplayEvents(ctx, *org, *sub, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queued %d events again for subscription %d (a running server sends them)\n", n, *sub)
		return nil
	case "deliveries":
		ds, err := svc.Deliveries(ctx, *org, intake.DeliveryFilter{SubscriptionID: *sub, Status: intake.DeliveryStatus(*status), Limit: *limit})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSUBSCRIPTION\tEVENT\tREPLAY\tSTATUS\tATTEMPTS\tLAST STATUS\tLATENCY\tNEXT ATTEMPT\tERROR")
		for _, d := range ds {
			next := "-"
			if d.Status == intake.DeliveryPending {
				next = d.NextAttemptAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t%v\t%s\t%d\t%d\t%s\t%s\t%s\n", d.ID, d.SubscriptionID, d.EventID, d.Replay, d.Status,
				d.Attempts, d.LastStatus, d.LastLatency.Round(time.Microsecond), next, d.LastError)
		}
		return tw.Flush()
	case "attempts":
		if *delivery == 0 {
			return fmt.Errorf("%w: --delivery is required", errUsage)
		}
		attempts, err := svc.DeliveryAttempts(ctx, *org, *delivery)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "AT\tSTATUS\tLATENCY\tERROR")
		for _, a := range attempts {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", a.At.UTC().Format(time.RFC3339Nano), a.Status, a.Latency.Round(time.Microsecond), a.Error)
		}
		return tw.Flush()
	}
	fmt.Fprint(stderr, webhooksUsage)
	return fmt.Errorf("%w: unknown webhooks command %q", errUsage, verb)
}

// parseSince reads an RFC 3339 time or a duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("required")
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an RFC 3339 time or a duration, got %q", s)
	}
	return t, nil
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func eventList(s string) []intake.EventName {
	var out []intake.EventName
	for _, p := range splitList(s) {
		out = append(out, intake.EventName(p))
	}
	return out
}

func joinEvents(list []intake.EventName) string {
	s := make([]string, len(list))
	for i, e := range list {
		s[i] = string(e)
	}
	return strings.Join(s, ",")
}
