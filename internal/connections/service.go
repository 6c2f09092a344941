package connections

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Store is what the connection use cases read and write.
type Store interface {
	Connections(ctx context.Context, workspaceID string) ([]hub.Connection, error)
	Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error)
	CreateConnection(ctx context.Context, c hub.Connection) (hub.Connection, error)
	UpdateConnection(ctx context.Context, c hub.Connection) error
	DeleteConnection(ctx context.Context, workspaceID, id string) error
	SetConnectionDisabled(ctx context.Context, workspaceID, id string, at time.Time) error
	SetConnectionStatus(ctx context.Context, workspaceID, id, status, detail string) error
	UpsertTemplate(ctx context.Context, t hub.Template) (hub.Template, error)
	CRMUser(ctx context.Context, workspaceID string, id int64) (store.CRMUser, error)
	Audit(ctx context.Context, workspaceID, employeeID, action, target, detailsJSON string) error
}

var _ Store = (*store.Store)(nil)

// Service runs the connection use cases for any surface (today the cabinet): connect a
// messenger account, checked with the provider before anything is stored; change its settings;
// replace its credentials and re-read its templates, both verified with the provider (a token
// it refuses marks the connection auth_failed, a working one working again); and remove it.
// Every change is in the audit log under the admin who made it. Errors come from the apierr
// catalogue.
type Service struct {
	Store Store
	// Setup talks to the providers; nil (the channel adapters not wired) makes every use case
	// that needs them answer feature_missing.
	Setup Setup
	// PublicURL is the hub's address as the providers reach it (webhook URLs).
	PublicURL string
	// WABABaseURL, when set, is stored on new WABA numbers as their Graph API address (the
	// sandbox's stand-in); empty means Meta's.
	WABABaseURL string
	// Added, when set, hears of every connection connected (the sandbox's customer simulator
	// offers it to customers at once).
	Added func(c hub.Connection)
}

// Admin is who acts: their workspace, and the employee the audit log names.
type Admin struct {
	Workspace  hub.Workspace
	EmployeeID string
}

// PartSetup names the channel adapters in feature_missing when Setup is nil.
const PartSetup = "channel adapters (channel/waba, channel/telegram, channel/max)"

func (s *Service) setup() (Setup, error) {
	if s.Setup == nil {
		return nil, apierr.FeatureMissing.With("part", PartSetup)
	}
	return s.Setup, nil
}

// WebhookURL is where the provider sends a connection's updates.
func (s *Service) WebhookURL(c hub.Connection) string {
	kind := "waba"
	switch c.Kind {
	case hub.KindTelegramBot:
		kind = "telegram"
	case hub.KindMaxBot:
		kind = "max"
	}
	return s.PublicURL + "/hooks/" + kind + "/" + c.ID
}

// Get loads a connection of the admin's workspace; another workspace's id is simply not found.
func (s *Service) Get(ctx context.Context, workspaceID, id string) (hub.Connection, error) {
	c, err := s.Store.Connection(ctx, workspaceID, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, apierr.NotFound.Because(err)
	}
	return c, err
}

// audit records an admin's action; a failure is logged, never returned: the action happened.
func (s *Service) audit(ctx context.Context, a Admin, action, target string, details map[string]any) {
	raw := "{}"
	if details != nil {
		b, _ := json.Marshal(details)
		raw = string(b)
	}
	if err := s.Store.Audit(ctx, a.Workspace.ID, a.EmployeeID, action, target, raw); err != nil {
		slog.Error("audit", "action", action, "err", err)
	}
}

// checkFailed records a provider's refusal of credentials in the audit log (the reason has
// every secret cut out already) and returns it as connection_check_failed.
func (s *Service) checkFailed(ctx context.Context, a Admin, err error, target string, details map[string]any) error {
	var se *SetupError
	if errors.As(err, &se) {
		details["reason"] = se.Reason
	}
	s.audit(ctx, a, "connection.check_failed", target, details)
	return checkError(err)
}

// checkError turns a provider's refusal into connection_check_failed with its reason.
func checkError(err error) error {
	var se *SetupError
	if errors.As(err, &se) {
		return apierr.CheckFailed.With("reason", se.Reason).Because(err)
	}
	return apierr.CheckFailed.With("reason", "").Because(err)
}
