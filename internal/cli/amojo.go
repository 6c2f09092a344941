package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"log/slog"
	"path/filepath"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/media"
	sandboxamojo "github.com/switchboardhq/switchboard/internal/sandbox/amojo"
	"github.com/switchboardhq/switchboard/internal/store"
)

// newMirror builds the mirror into amoCRM's own chats when the amoCRM integration and a chats
// channel are configured (in sandbox mode the channel defaults to one the sandbox's amojo
// stand-in knows, which is mounted beside the sandbox CRM), and mounts its hook route and
// media links. Nil without a channel: the cabinet then says the mirror is not configured.
func newMirror(cfg config.Config, st *store.Store, amo amoCRM, api *httpapi.Server, cab *cabinet.API, files media.Store) (*amojo.Mirror, error) {
	if amo.adapter == nil {
		return nil, nil
	}
	id, secret, base := cfg.AmojoChannelID, cfg.AmojoSecret, cfg.AmojoURL
	if cfg.Sandbox && id == "" {
		id, secret = sandboxamojo.Credentials(cfg.SecretKey)
	}
	if cfg.Sandbox && base == "" {
		base = cfg.PublicURL + sandboxamojo.Prefix
	}
	if id == "" {
		slog.Info("amoCRM chats mirror not configured: set SWITCHBOARD_AMOJO_CHANNEL_ID and SWITCHBOARD_AMOJO_SECRET")
		return nil, nil
	}
	key := hmac.New(sha256.New, []byte(cfg.SecretKey))
	key.Write([]byte("amojo media links"))
	m := &amojo.Mirror{Client: &amojo.Client{BaseURL: base, ChannelID: id, Secret: secret}, Store: st, CRM: amo.adapter,
		Messaging: api.Messaging, Media: files, PublicURL: cfg.PublicURL, MediaKey: key.Sum(nil), Title: "Switchboard"}
	api.Extra = append(api.Extra, m.Mount)
	cab.CRMChats = m
	amo.adapter.Installed, amo.adapter.Uninstalled = m.Installed, m.Uninstalled
	if amo.sandbox != nil {
		standin, err := sandboxamojo.New(sandboxamojo.Options{ChannelID: id, Secret: secret, HookURL: m.HookURL(),
			CRM: amo.sandbox, Store: st, ImportPath: filepath.Join(cfg.DataDir, "sandbox-amojo.json")})
		if err != nil {
			return nil, err
		}
		amo.sandbox.SetChats(standin)
		api.Extra = append(api.Extra, standin.Mount)
	}
	return m, nil
}

// wakeOnEvents chains the mirror's wake-up to the store's event notifier, so a new message
// goes to amoCRM at once rather than at the next poll.
func wakeOnEvents(st *store.Store, next store.EventNotifier, m *amojo.Mirror) {
	st.SetEventNotifier(func(workspaceID string, seq int64) {
		next(workspaceID, seq)
		m.Wake()
	})
}

// enableSandboxMirror switches the demo workspace's mirror on at its first start, so the
// sandbox shows amoCRM's own chats working; a later switch-off in the cabinet is kept.
func enableSandboxMirror(ctx context.Context, st *store.Store, m *amojo.Mirror, workspaceID string) error {
	if m == nil {
		return nil
	}
	if _, err := st.AmojoAccount(ctx, workspaceID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	ws, err := st.Workspace(ctx, workspaceID)
	if err != nil {
		return err
	}
	_, err = m.SetEnabled(ctx, ws, true)
	return err
}
