package connections

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// New is a messenger account to connect: a WABA number (its ids and secrets from Meta's
// console) or a Telegram or MAX bot (its token).
type New struct {
	Kind                     string
	Name                     string
	DefaultResponsibleUserID int64
	WABA                     WABACredentials // BaseURL is the service's
	BotToken                 string
	// Delivery is how a MAX bot's updates arrive: "webhook" (default) or "polling", the
	// fallback where a webhook cannot reach the hub.
	Delivery string
}

// Connected is a stored connection and what the admin needs to finish its setup: the webhook
// URL and, for a WABA number, the verify token to paste into Meta's console (shown this once).
type Connected struct {
	Connection  hub.Connection
	WebhookURL  string
	VerifyToken string
}

// How a MAX bot's updates reach the hub (the "delivery" setting, as channel/max spells it).
const (
	DeliveryWebhook = "webhook"
	DeliveryPolling = "polling"
)

var (
	providerID    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	secretText    = regexp.MustCompile(`^[\x21-\x7e]{1,1000}$`)
	verifyToken   = regexp.MustCompile(`^[A-Za-z0-9_.~-]{8,256}$`)
	telegramToken = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,128}$`)
)

// Connect checks a new account with its provider, stores it, sets a bot's webhook (undoing
// everything if that fails, so nothing half-made is left) and stores a number's templates.
func (s *Service) Connect(ctx context.Context, a Admin, in New) (Connected, error) {
	ws := a.Workspace
	in.Name = strings.TrimSpace(in.Name)
	if err := apierr.CheckField("name", utf8.RuneCountInString(in.Name) <= 100); err != nil {
		return Connected{}, err
	}
	if err := s.checkResponsible(ctx, ws.ID, in.DefaultResponsibleUserID); err != nil {
		return Connected{}, err
	}
	setup, err := s.setup()
	if err != nil {
		return Connected{}, err
	}
	base := hub.Connection{ID: store.NewID(), WorkspaceID: ws.ID, Kind: in.Kind, Name: in.Name, InSubscription: true,
		Status: hub.StatusWorking, DefaultResponsibleUserID: in.DefaultResponsibleUserID}
	var out Connected
	var conn hub.Connection
	var templates []hub.Template
	switch in.Kind {
	case hub.KindWABA:
		c := in.WABA
		if c.VerifyToken == "" {
			c.VerifyToken = randomToken()
		}
		for _, f := range []error{apierr.CheckField("phone_number_id", providerID.MatchString(c.PhoneNumberID)),
			apierr.CheckField("waba_id", providerID.MatchString(c.WABAID)), apierr.CheckField("access_token", secretText.MatchString(c.AccessToken)),
			apierr.CheckField("app_secret", secretText.MatchString(c.AppSecret)), apierr.CheckField("verify_token", verifyToken.MatchString(c.VerifyToken))} {
			if f != nil {
				return out, f
			}
		}
		if err := s.refuseDuplicate(ctx, ws.ID, in.Kind, c.PhoneNumberID); err != nil {
			return out, err
		}
		c.BaseURL = s.WABABaseURL
		conn, templates, err = setup.PrepareWABA(ctx, base, c)
		out.VerifyToken = c.VerifyToken
	case hub.KindTelegramBot:
		if err := apierr.CheckField("bot_token", telegramToken.MatchString(in.BotToken)); err != nil {
			return out, err
		}
		if conn, err = setup.PrepareTelegram(ctx, base, in.BotToken); err != nil {
			return out, s.checkFailed(ctx, a, err, "", map[string]any{"kind": in.Kind})
		}
		if err := s.refuseDuplicate(ctx, ws.ID, conn.Kind, conn.ExternalID); err != nil {
			return out, err
		}
	case hub.KindMaxBot:
		if in.Delivery == "" {
			in.Delivery = DeliveryWebhook
		}
		if err := apierr.CheckField("bot_token", secretText.MatchString(in.BotToken)); err != nil {
			return out, err
		}
		if err := apierr.CheckField("delivery", in.Delivery == DeliveryWebhook || in.Delivery == DeliveryPolling); err != nil {
			return out, err
		}
		if conn, err = setup.PrepareMax(ctx, base, in.BotToken, in.Delivery); err != nil {
			return out, checkError(err)
		}
		if err := s.refuseDuplicate(ctx, ws.ID, conn.Kind, conn.ExternalID); err != nil {
			return out, err
		}
	default:
		return out, apierr.CheckField("kind", false)
	}
	if err != nil {
		return out, s.checkFailed(ctx, a, err, "", map[string]any{"kind": in.Kind, "external_id": in.WABA.PhoneNumberID})
	}
	if in.Name != "" {
		conn.Name = in.Name
	}
	if conn, err = s.Store.CreateConnection(ctx, conn); err != nil {
		return out, err
	}
	out.WebhookURL = s.WebhookURL(conn)
	if err := setup.RegisterWebhook(ctx, conn, out.WebhookURL); err != nil {
		// Without its webhook the bot would stay silent: undo, so nothing half-made is left.
		if derr := s.Store.DeleteConnection(ctx, ws.ID, conn.ID); derr != nil {
			slog.Error("undo connection", "connection", conn.ID, "err", derr)
		}
		return out, s.checkFailed(ctx, a, err, "", map[string]any{"kind": conn.Kind, "external_id": conn.ExternalID})
	}
	if err := s.saveTemplates(ctx, conn, templates); err != nil {
		return out, err
	}
	if s.Added != nil {
		s.Added(conn)
	}
	s.audit(ctx, a, "connection.create", conn.ID, map[string]any{"kind": conn.Kind, "name": conn.Name, "external_id": conn.ExternalID})
	out.Connection = conn
	return out, nil
}

// saveTemplates stores a WABA number's templates as its provider listed them.
func (s *Service) saveTemplates(ctx context.Context, c hub.Connection, ts []hub.Template) error {
	for _, t := range ts {
		t.WorkspaceID, t.ConnectionID, t.Kind = c.WorkspaceID, c.ID, hub.TemplateWABA
		if _, err := s.Store.UpsertTemplate(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) refuseDuplicate(ctx context.Context, workspaceID, kind, externalID string) error {
	conns, err := s.Store.Connections(ctx, workspaceID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.Kind == kind && c.ExternalID == externalID {
			return apierr.ConnectionExists.With("connection_id", c.ID)
		}
	}
	return nil
}

// checkResponsible accepts 0 (none) or a CRM user the hub has cached for the workspace.
func (s *Service) checkResponsible(ctx context.Context, workspaceID string, crmUserID int64) error {
	if crmUserID == 0 {
		return nil
	}
	_, err := s.Store.CRMUser(ctx, workspaceID, crmUserID)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.UnknownCRMUser.With("field", "default_responsible_user_id")
	}
	return err
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
