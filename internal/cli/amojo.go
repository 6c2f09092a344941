package cli

import (
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/store"
)

// newMirror builds the mirror into amoCRM's own chats when the amoCRM integration and a chats
// channel are configured, and mounts its hook route and media links. Nil without a channel: the cabinet then says the mirror is not configured.
func newMirror(cfg config.Config, st *store.Store, amo amoCRM, api *httpapi.Server, cab *cabinet.API, files media.Store) (*amojo.Mirror, error) {
	if amo.adapter == nil {
		return nil, nil
	}
	id, secret, base := cfg.AmojoChannelID, cfg.AmojoSecret, cfg.AmojoURL
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
	return m, nil
}

// wakeOnEvents chains the mirror's wake-up to the store's event notifier, so a new message
// goes to amoCRM at once rather than at the next poll.
func wakeOnEvents(st *store.Store, next store.EventNotifier, m *amojo.Mirror) {
	st.SetEventNotifier(func(workspaceID string, seq int64, evs []hub.Event) {
		next(workspaceID, seq, evs)
		m.Wake()
	})
}
