package amocrm

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// ErrBadSignature is returned for a webhook or disconnect hook that the CRM did not send.
var ErrBadSignature = fmt.Errorf("amocrm: hook secret or signature does not match: %w", crm.ErrUnauthenticated)

// ErrBadHook is returned for a webhook body that is not one the CRM sends.
var ErrBadHook = errors.New("amocrm: malformed webhook")

// hookKey matches form keys such as leads[responsible][0][id].
var hookKey = regexp.MustCompile(`^(leads|contacts)\[(add|update|responsible|status|delete|restore)\]\[\d+\]\[id\]$`)

// HookChange is one entity a webhook reported.
type HookChange struct {
	Entity string // "leads" or "contacts"
	ID     int64
}

// ParseHook reads a CRM webhook (application/x-www-form-urlencoded) into its account id and
// the entities it names, each once, in a stable order.
func ParseHook(form url.Values) (accountID int64, changes []HookChange, err error) {
	accountID, err = strconv.ParseInt(form.Get("account[id]"), 10, 64)
	if err != nil || accountID <= 0 {
		return 0, nil, fmt.Errorf("%w: no account[id]", ErrBadHook)
	}
	seen := map[HookChange]bool{}
	for k, vs := range form {
		m := hookKey.FindStringSubmatch(k)
		if m == nil || len(vs) == 0 {
			continue
		}
		id, err := strconv.ParseInt(vs[0], 10, 64)
		if err != nil || id <= 0 {
			return 0, nil, fmt.Errorf("%w: bad entity id in %s", ErrBadHook, k)
		}
		if c := (HookChange{m[1], id}); !seen[c] {
			seen[c] = true
			changes = append(changes, c)
		}
	}
	sort.Slice(changes, func(i, j int) bool {
		if changes[i].Entity != changes[j].Entity {
			return changes[i].Entity < changes[j].Entity
		}
		return changes[i].ID < changes[j].ID
	})
	return accountID, changes, nil
}

// HandleHook checks a webhook's secret and re-reads every entity it names from the API before
// changing the cache: the body is never trusted for rights. An entity the CRM no longer has
// is kept with no responsible user, which hides it from everyone but admins.
func (a *Adapter) HandleHook(ctx context.Context, secret string, form url.Values) error {
	accountID, changes, err := ParseHook(form)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(secret), []byte(a.hookSecret(accountID))) {
		return ErrBadSignature
	}
	ws, err := a.workspaceOf(ctx, accountID)
	if err != nil {
		return err
	}
	ctx = Background(ctx) // nobody waits on these re-reads: a card opened meanwhile goes first
	for _, c := range changes {
		if err := a.refreshFromHook(ctx, ws, c); err != nil {
			return err
		}
	}
	return nil
}

func (a *Adapter) refreshFromHook(ctx context.Context, ws hub.Workspace, c HookChange) error {
	var err error
	if c.Entity == "leads" {
		if err = a.RefreshLead(ctx, ws, c.ID); IsStatus(err, http.StatusNotFound) {
			return a.store.SaveCRMLead(ctx, ws.ID, store.CRMEntity{ID: c.ID, FetchedAt: a.now()}, nil)
		}
		return err
	}
	if err = a.RefreshContact(ctx, ws, c.ID); IsStatus(err, http.StatusNotFound) {
		return a.store.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: c.ID, FetchedAt: a.now()})
	}
	return err
}

func (a *Adapter) workspaceOf(ctx context.Context, accountID int64) (hub.Workspace, error) {
	ws, err := a.store.WorkspaceByCRM(ctx, CRMKind, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return ws, ErrNotInstalled
	}
	return ws, err
}

// HandleDisconnect handles the CRM's notice that the integration was removed from an account
// (query account_id, client_uuid, signature = hex HMAC-SHA256 of "client_id|account_id" under
// the client secret): the hub forgets the account's tokens. The workspace and its history stay.
func (a *Adapter) HandleDisconnect(ctx context.Context, q url.Values) error {
	accountID, err := strconv.ParseInt(q.Get("account_id"), 10, 64)
	if err != nil || q.Get("client_uuid") != a.cfg.ClientID {
		return ErrBadSignature
	}
	m := hmac.New(sha256.New, []byte(a.cfg.ClientSecret))
	m.Write([]byte(a.cfg.ClientID + "|" + q.Get("account_id")))
	if !hmac.Equal([]byte(q.Get("signature")), []byte(hex.EncodeToString(m.Sum(nil)))) {
		return ErrBadSignature
	}
	ws, err := a.workspaceOf(ctx, accountID)
	if err != nil {
		return err
	}
	if err := a.store.DeleteCRMTokens(ctx, ws.ID); err != nil {
		return err
	}
	if a.Uninstalled != nil {
		a.Uninstalled(ctx, ws)
	}
	return nil
}
