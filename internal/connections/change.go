package connections

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Changes are the settings an admin may change; nil ones stay.
type Changes struct {
	Name                     *string
	DefaultResponsibleUserID *int64
	// Delivery switches a MAX bot between "webhook" and "polling".
	Delivery *string
}

// Update changes a connection's settings (F31a). A new delivery is set with MAX first (webhook
// subscribed or removed), so a refusal changes nothing.
func (s *Service) Update(ctx context.Context, a Admin, id string, in Changes) (hub.Connection, error) {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil {
		return conn, err
	}
	changes := map[string][2]any{}
	if in.Delivery != nil {
		d := *in.Delivery
		if err := apierr.CheckField("delivery", conn.Kind == hub.KindMaxBot && (d == DeliveryWebhook || d == DeliveryPolling)); err != nil {
			return conn, err
		}
		setup, err := s.setup()
		if err != nil {
			return conn, err
		}
		previous := conn.Settings["delivery"]
		settings := make(map[string]string, len(conn.Settings)+1)
		for k, v := range conn.Settings {
			settings[k] = v
		}
		settings["delivery"] = d
		conn.Settings = settings
		if err := setup.RegisterWebhook(ctx, conn, s.WebhookURL(conn)); err != nil {
			return conn, checkError(err)
		}
		if d != previous {
			changes["delivery"] = [2]any{previous, d}
		}
	}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if err := apierr.CheckField("name", name != "" && utf8.RuneCountInString(name) <= 100); err != nil {
			return conn, err
		}
		if name != conn.Name {
			changes["name"] = [2]any{conn.Name, name}
		}
		conn.Name = name
	}
	if in.DefaultResponsibleUserID != nil {
		if err := s.checkResponsible(ctx, a.Workspace.ID, *in.DefaultResponsibleUserID); err != nil {
			return conn, err
		}
		if *in.DefaultResponsibleUserID != conn.DefaultResponsibleUserID {
			changes["default_responsible_user_id"] = [2]any{conn.DefaultResponsibleUserID, *in.DefaultResponsibleUserID}
		}
		conn.DefaultResponsibleUserID = *in.DefaultResponsibleUserID
	}
	if err := s.Store.UpdateConnection(ctx, conn); err != nil {
		return conn, err
	}
	s.audit(ctx, a, "connection.update", conn.ID, map[string]any{"name": conn.Name, "changes": changes})
	return conn, nil
}

// Rekey replaces a connection's secrets whose token was revoked or rotated — WABA an access
// token and/or app secret, or a wrong phone number id corrected (not a secret: old → new is
// audited), a bot its token — checked with the provider first. A connection
// with chats cannot be removed and added again, so this is how it comes back from
// auth_failed: it is working again, with a number's templates re-read.
func (s *Service) Rekey(ctx context.Context, a Admin, id string, in Credentials) (hub.Connection, error) {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil {
		return conn, err
	}
	in.VerifyToken = "" // RotateVerifyToken's
	if err := apierr.CheckField("phone_number_id", in.PhoneNumberID == "" || conn.Kind == hub.KindWABA); err != nil {
		return conn, err // a bot has no phone number id
	}
	switch conn.Kind {
	case hub.KindWABA:
		if in.AccessToken == "" && in.AppSecret == "" && in.PhoneNumberID == "" {
			return conn, apierr.CheckField("access_token", false)
		}
		if in.PhoneNumberID != "" {
			if err := apierr.CheckField("phone_number_id", providerID.MatchString(in.PhoneNumberID)); err != nil {
				return conn, err
			}
			if in.PhoneNumberID != conn.ExternalID {
				if err := s.refuseDuplicate(ctx, a.Workspace.ID, conn.Kind, in.PhoneNumberID); err != nil {
					return conn, err
				}
			}
		}
		for name, v := range map[string]string{"access_token": in.AccessToken, "app_secret": in.AppSecret} {
			if err := apierr.CheckField(name, v == "" || secretText.MatchString(v)); err != nil {
				return conn, err
			}
		}
	case hub.KindTelegramBot:
		if err := apierr.CheckField("bot_token", telegramToken.MatchString(in.BotToken)); err != nil {
			return conn, err
		}
	case hub.KindMaxBot:
		if err := apierr.CheckField("bot_token", secretText.MatchString(in.BotToken)); err != nil {
			return conn, err
		}
	}
	setup, err := s.setup()
	if err != nil {
		return conn, err
	}
	next, templates, err := setup.Rekey(ctx, conn, in, s.WebhookURL(conn))
	if err != nil {
		return conn, s.checkFailed(ctx, a, err, conn.ID, map[string]any{"name": conn.Name, "kind": conn.Kind})
	}
	next.Status, next.StatusDetail = hub.StatusWorking, ""
	if err := s.Store.UpdateConnection(ctx, next); err != nil {
		return conn, err
	}
	if err := s.saveTemplates(ctx, conn, templates); err != nil {
		return conn, err
	}
	// Which secrets were replaced, never their values.
	var replaced []string
	for name, v := range map[string]string{"access_token": in.AccessToken, "app_secret": in.AppSecret, "bot_token": in.BotToken} {
		if v != "" {
			replaced = append(replaced, name)
		}
	}
	slices.Sort(replaced)
	details := map[string]any{"name": conn.Name, "replaced": replaced}
	if next.ExternalID != conn.ExternalID {
		details["changes"] = map[string][2]any{"phone_number_id": {conn.ExternalID, next.ExternalID}}
	}
	s.audit(ctx, a, "connection.credentials", conn.ID, details)
	return next, nil
}

// SyncTemplates reads a WABA number's templates from the provider and stores them, which also
// verifies its token: one the provider refuses marks the connection auth_failed, a working
// answer marks it working again.
func (s *Service) SyncTemplates(ctx context.Context, a Admin, id string) (hub.Connection, error) {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil {
		return conn, err
	}
	if conn.Kind != hub.KindWABA {
		return conn, apierr.NoTemplates
	}
	setup, err := s.setup()
	if err != nil {
		return conn, err
	}
	ts, err := setup.Templates(ctx, conn)
	if err != nil {
		var se *SetupError
		if errors.As(err, &se) && se.Auth {
			if serr := s.Store.SetConnectionStatus(ctx, conn.WorkspaceID, conn.ID, hub.StatusAuthFailed, se.Reason); serr != nil {
				return conn, serr
			}
		}
		return conn, checkError(err)
	}
	if err := s.saveTemplates(ctx, conn, ts); err != nil {
		return conn, err
	}
	if conn.Status == hub.StatusAuthFailed {
		if err := s.Store.SetConnectionStatus(ctx, conn.WorkspaceID, conn.ID, hub.StatusWorking, ""); err != nil {
			return conn, err
		}
	}
	s.audit(ctx, a, "templates.sync", conn.ID, map[string]any{"count": len(ts)})
	return conn, nil
}

// Delete removes a connection; one that has chats stays (connection_in_use), so no
// conversation loses its history.
func (s *Service) Delete(ctx context.Context, a Admin, id string) error {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil {
		return err
	}
	err = s.Store.DeleteConnection(ctx, conn.WorkspaceID, conn.ID)
	if errors.Is(err, store.ErrInUse) {
		return apierr.ConnectionInUse.Because(err)
	} else if err != nil {
		return err
	}
	s.audit(ctx, a, "connection.delete", conn.ID, map[string]any{"kind": conn.Kind, "name": conn.Name})
	return nil
}
