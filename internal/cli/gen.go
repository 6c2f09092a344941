package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/scale"
	"github.com/switchboardhq/switchboard/internal/store"
)

// gen fills a workspace with generated conversations (internal/scale) for load tests and
// benchmarks: switchboard gen [--workspace ID] [--contacts N] [--chats N] [--messages N].
func gen(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wsID := fs.String("workspace", "", "workspace to fill (empty: a new one)")
	var size scale.Size
	fs.IntVar(&size.Contacts, "contacts", 100_000, "contacts")
	fs.IntVar(&size.Chats, "chats", 200_000, "chats (between contacts and twice that)")
	fs.IntVar(&size.Messages, "messages", 2_000_000, "messages")
	seed := fs.Uint64("seed", 1, "random seed (the same seed and size make the same data)")
	// The database options, passed on to the common configuration.
	data := fs.String("data", "", "data folder (SQLite)")
	dbURL := fs.String("database-url", "", "postgres://…")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("gen: %v", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("gen: unexpected argument %q", fs.Arg(0))
	}
	if err := size.Validate(); err != nil {
		return err
	}
	var storeArgs []string
	if *data != "" {
		storeArgs = append(storeArgs, "--data", *data)
	}
	if *dbURL != "" {
		storeArgs = append(storeArgs, "--database-url", *dbURL)
	}
	_, st, err := openStore(ctx, storeArgs, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := genWorkspace(ctx, st, *wsID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "switchboard gen: filling workspace %s (%s) on %s with %d contacts, %d chats, %d messages\n",
		ws.ID, ws.Name, st.Dialect(), size.Contacts, size.Chats, size.Messages)
	last := time.Now()
	res, err := scale.Fill(ctx, st, ws.ID, size, *seed, func(rows int) {
		if time.Since(last) > 5*time.Second {
			fmt.Fprintf(stdout, "  %d rows written\n", rows)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "switchboard gen: done in %s; connections %s (WhatsApp) and %s (Telegram)\n",
		res.Took.Round(time.Millisecond), res.WABA.ID, res.Bot.ID)
	return nil
}

func genWorkspace(ctx context.Context, st *store.Store, id string) (hub.Workspace, error) {
	if id != "" {
		ws, err := st.Workspace(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ws, fmt.Errorf("gen: no workspace %s (switchboard gen without --workspace makes one)", id)
		}
		return ws, err
	}
	// A CRM account id no real amoCRM account has, distinct per run.
	account := -time.Now().UnixMilli()
	return st.CreateWorkspace(ctx, hub.Workspace{Name: "Generated " + time.Now().UTC().Format(time.DateTime),
		CRMKind: "generated", CRMAccountID: account,
		Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
}
