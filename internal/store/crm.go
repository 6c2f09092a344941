package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// CRMTokens are a workspace's OAuth tokens, decrypted.
type CRMTokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
	// Version increases with every save, so a refresher can tell whether someone else refreshed
	// while it waited for the lock.
	Version int64
	// RefreshOwner is the instance holding the refresh lease until RefreshLeaseUntil ("" when
	// nobody is refreshing); loaded only, set with ClaimCRMRefresh.
	RefreshOwner      string
	RefreshLeaseUntil time.Time
}

// SaveCRMTokens stores the tokens encrypted and ends any refresh lease. With expectVersion > 0 it
// only replaces tokens still at that version and reports false otherwise (another instance
// refreshed first).
func (s *Store) SaveCRMTokens(ctx context.Context, workspaceID string, t CRMTokens, expectVersion int64) (bool, error) {
	access, refresh := s.box.Seal([]byte(t.AccessToken)), s.box.Seal([]byte(t.RefreshToken))
	now := time.Now().UnixMilli()
	if expectVersion > 0 {
		res, err := s.w.ExecContext(ctx, `UPDATE crm_tokens SET access_token_enc = $2, refresh_token_enc = $3,
			expires_at = $4, version = version + 1, updated_at = $5, refresh_owner = '', refresh_lease_until = 0 WHERE workspace_id = $1 AND version = $6`,
			workspaceID, access, refresh, millis(t.ExpiresAt), now, expectVersion)
		if err != nil {
			return false, fmt.Errorf("store: save crm tokens: %w", err)
		}
		n, _ := res.RowsAffected()
		return n == 1, nil
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO crm_tokens (workspace_id, access_token_enc, refresh_token_enc, expires_at, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id) DO UPDATE SET access_token_enc = excluded.access_token_enc,
		refresh_token_enc = excluded.refresh_token_enc, expires_at = excluded.expires_at,
		version = crm_tokens.version + 1, updated_at = excluded.updated_at, refresh_owner = '', refresh_lease_until = 0`,
		workspaceID, access, refresh, millis(t.ExpiresAt), now)
	if err != nil {
		return false, fmt.Errorf("store: save crm tokens: %w", err)
	}
	return true, nil
}

// LoadCRMTokens returns the workspace's OAuth tokens.
func (s *Store) LoadCRMTokens(ctx context.Context, workspaceID string) (CRMTokens, error) {
	var t CRMTokens
	var access, refresh string
	var exp, lease int64
	err := s.w.QueryRowContext(ctx, `SELECT access_token_enc, refresh_token_enc, expires_at, version,
		refresh_owner, refresh_lease_until FROM crm_tokens WHERE workspace_id = $1`,
		workspaceID).Scan(&access, &refresh, &exp, &t.Version, &t.RefreshOwner, &lease)
	if err != nil {
		return t, notFound(err)
	}
	a, err := s.box.Open(access)
	if err != nil {
		return t, err
	}
	r, err := s.box.Open(refresh)
	if err != nil {
		return t, err
	}
	t.AccessToken, t.RefreshToken, t.ExpiresAt = string(a), string(r), fromMillis(exp)
	t.RefreshLeaseUntil = fromMillis(lease)
	return t, nil
}

// ClaimCRMRefresh gives owner the right to spend the workspace's refresh token until the lease
// ends: it succeeds only while the tokens are still at version and no other owner's lease runs
// at now. One conditional UPDATE, so of instances claiming at once exactly one wins, on both
// engines.
func (s *Store) ClaimCRMRefresh(ctx context.Context, workspaceID, owner string, version int64, now, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE crm_tokens SET refresh_owner = $2, refresh_lease_until = $3
		WHERE workspace_id = $1 AND version = $4 AND (refresh_owner = '' OR refresh_lease_until <= $5)`,
		workspaceID, owner, millis(until), version, millis(now))
	if err != nil {
		return false, fmt.Errorf("store: claim crm refresh: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseCRMRefresh ends owner's refresh lease without new tokens (the refresh failed), so
// another instance may try at once instead of waiting for the lease to run out.
func (s *Store) ReleaseCRMRefresh(ctx context.Context, workspaceID, owner string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE crm_tokens SET refresh_owner = '', refresh_lease_until = 0
		WHERE workspace_id = $1 AND refresh_owner = $2`, workspaceID, owner)
	if err != nil {
		return fmt.Errorf("store: release crm refresh: %w", err)
	}
	return nil
}

// DeleteCRMTokens forgets the tokens (the CRM's disconnect hook).
func (s *Store) DeleteCRMTokens(ctx context.Context, workspaceID string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM crm_tokens WHERE workspace_id = $1`, workspaceID)
	return err
}

// CRMUser is the hub's cached copy of a CRM user and their rights.
type CRMUser struct {
	ID       int64
	Name     string
	Email    string
	Lang     string
	GroupID  int64
	IsAdmin  bool
	IsActive bool
	// ContactsView and LeadsView are which contacts and deals the user may view (hub.RightAll,
	// RightGroup, RightOwn or RightNone; "" denies): the CRM adapter reads them out of the CRM's
	// own rights, which the store keeps only as Rights, to show.
	ContactsView, LeadsView string
	// Rights is the CRM's rights object as JSON, as the CRM sent it (the cabinet shows it).
	Rights    string
	FetchedAt time.Time
}

// SaveCRMUser caches a CRM user.
func (s *Store) SaveCRMUser(ctx context.Context, workspaceID string, u CRMUser) error {
	if u.Rights == "" {
		u.Rights = "{}"
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO crm_users (workspace_id, crm_user_id, name, email, lang, group_id, is_admin,
		is_active, contacts_view, leads_view, rights_json, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (workspace_id, crm_user_id) DO UPDATE SET name = excluded.name, email = excluded.email,
		lang = excluded.lang, group_id = excluded.group_id, is_admin = excluded.is_admin, is_active = excluded.is_active,
		contacts_view = excluded.contacts_view, leads_view = excluded.leads_view, rights_json = excluded.rights_json,
		fetched_at = excluded.fetched_at`,
		workspaceID, u.ID, u.Name, u.Email, u.Lang, u.GroupID, u.IsAdmin, u.IsActive, u.ContactsView, u.LeadsView, u.Rights,
		millis(u.FetchedAt))
	if err != nil {
		return fmt.Errorf("store: save crm user: %w", err)
	}
	return nil
}

// CRMUser returns a cached CRM user.
func (s *Store) CRMUser(ctx context.Context, workspaceID string, id int64) (CRMUser, error) {
	return scanCRMUser(s.r.QueryRowContext(ctx, `SELECT `+crmUserColumns+` FROM crm_users
		WHERE workspace_id = $1 AND crm_user_id = $2`, workspaceID, id))
}

// CRMUsers lists the workspace's cached CRM users by id.
func (s *Store) CRMUsers(ctx context.Context, workspaceID string) ([]CRMUser, error) {
	return collect(scanCRMUser)(s.r.QueryContext(ctx, `SELECT `+crmUserColumns+` FROM crm_users
		WHERE workspace_id = $1 ORDER BY crm_user_id`, workspaceID))
}

// crmUserColumns are what scanCRMUser reads.
const crmUserColumns = `crm_user_id, name, email, lang, group_id, is_admin, is_active, contacts_view, leads_view,
	rights_json, fetched_at`

func scanCRMUser(r scanner) (CRMUser, error) {
	var u CRMUser
	var at int64
	err := r.Scan(&u.ID, &u.Name, &u.Email, &u.Lang, &u.GroupID, &u.IsAdmin, &u.IsActive, &u.ContactsView, &u.LeadsView, &u.Rights, &at)
	u.FetchedAt = fromMillis(at)
	return u, notFound(err)
}

// CRMEntity is a cached CRM contact or deal with its responsible user, which the rights
// check needs.
type CRMEntity struct {
	ID                int64
	Name              string
	ResponsibleUserID int64
	FetchedAt         time.Time
}

// SaveCRMContact caches a CRM contact; when its responsible user changes, so does who may see
// the hub contacts linked to it.
func (s *Store) SaveCRMContact(ctx context.Context, workspaceID string, e CRMEntity) error {
	return s.tx(ctx, func(q querier) error {
		changed, err := saveCRMEntity(ctx, q, "crm_contacts", "crm_contact_id", workspaceID, e)
		if err != nil || !changed {
			return err
		}
		ids, err := contactsOfCRMContacts(ctx, q, workspaceID, []int64{e.ID})
		if err != nil {
			return err
		}
		return refreshVisibility(ctx, q, workspaceID, ids)
	})
}

// SaveCRMLead caches a CRM deal and replaces its list of contacts; when its responsible user or
// its contacts change, so does who may see the hub contacts linked to them (the old and the new).
func (s *Store) SaveCRMLead(ctx context.Context, workspaceID string, e CRMEntity, contactIDs []int64) error {
	return s.tx(ctx, func(q querier) error {
		changed, err := saveCRMEntity(ctx, q, "crm_leads", "crm_lead_id", workspaceID, e)
		if err != nil {
			return err
		}
		old, err := collect(scanInt64)(q.QueryContext(ctx, `SELECT crm_contact_id FROM crm_lead_contacts
			WHERE workspace_id = $1 AND crm_lead_id = $2 ORDER BY crm_contact_id`, workspaceID, e.ID))
		if err != nil {
			return fmt.Errorf("store: lead contacts: %w", err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM crm_lead_contacts WHERE workspace_id = $1 AND crm_lead_id = $2`,
			workspaceID, e.ID); err != nil {
			return fmt.Errorf("store: lead contacts: %w", err)
		}
		for _, c := range contactIDs {
			if _, err := q.ExecContext(ctx, `INSERT INTO crm_lead_contacts (workspace_id, crm_lead_id, crm_contact_id)
				VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, workspaceID, e.ID, c); err != nil {
				return fmt.Errorf("store: lead contacts: %w", err)
			}
		}
		now := slices.Sorted(slices.Values(contactIDs))
		if !changed && slices.Equal(old, slices.Compact(now)) {
			return nil
		}
		ids, err := contactsOfCRMContacts(ctx, q, workspaceID, append(old, now...))
		if err != nil {
			return err
		}
		return refreshVisibility(ctx, q, workspaceID, ids)
	})
}

// saveCRMEntity upserts a CRM contact or deal and reports whether its responsible user is new
// (or the entity is).
func saveCRMEntity(ctx context.Context, q querier, table, idCol, workspaceID string, e CRMEntity) (bool, error) {
	if e.FetchedAt.IsZero() {
		e.FetchedAt = time.Now()
	}
	var was int64
	err := q.QueryRowContext(ctx, `SELECT responsible_user_id FROM `+table+` WHERE workspace_id = $1 AND `+idCol+` = $2`,
		workspaceID, e.ID).Scan(&was)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: save %s: %w", table, err)
	}
	changed := err != nil || was != e.ResponsibleUserID
	_, err = q.ExecContext(ctx, `INSERT INTO `+table+` (workspace_id, `+idCol+`, name, responsible_user_id, fetched_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, `+idCol+`) DO UPDATE SET name = excluded.name,
		responsible_user_id = excluded.responsible_user_id, fetched_at = excluded.fetched_at`,
		workspaceID, e.ID, e.Name, e.ResponsibleUserID, millis(e.FetchedAt))
	if err != nil {
		return false, fmt.Errorf("store: save %s: %w", table, err)
	}
	return changed, nil
}

// CRMContact returns a cached CRM contact.
func (s *Store) CRMContact(ctx context.Context, workspaceID string, id int64) (CRMEntity, error) {
	return s.crmEntity(ctx, "crm_contacts", "crm_contact_id", workspaceID, id)
}

// CRMLead returns a cached CRM deal.
func (s *Store) CRMLead(ctx context.Context, workspaceID string, id int64) (CRMEntity, error) {
	return s.crmEntity(ctx, "crm_leads", "crm_lead_id", workspaceID, id)
}

func (s *Store) crmEntity(ctx context.Context, table, idCol, workspaceID string, id int64) (CRMEntity, error) {
	var e CRMEntity
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT `+idCol+`, name, responsible_user_id, fetched_at FROM `+table+`
		WHERE workspace_id = $1 AND `+idCol+` = $2`, workspaceID, id).Scan(&e.ID, &e.Name, &e.ResponsibleUserID, &at)
	e.FetchedAt = fromMillis(at)
	return e, notFound(err)
}

// LeadContacts lists the CRM contacts of a cached deal.
func (s *Store) LeadContacts(ctx context.Context, workspaceID string, leadID int64) ([]int64, error) {
	return collect(scanInt64)(s.r.QueryContext(ctx, `SELECT crm_contact_id FROM crm_lead_contacts
		WHERE workspace_id = $1 AND crm_lead_id = $2 ORDER BY crm_contact_id`, workspaceID, leadID))
}

// ContactLeads lists the cached deals a CRM contact belongs to.
func (s *Store) ContactLeads(ctx context.Context, workspaceID string, crmContactID int64) ([]int64, error) {
	return collect(scanInt64)(s.r.QueryContext(ctx, `SELECT crm_lead_id FROM crm_lead_contacts
		WHERE workspace_id = $1 AND crm_contact_id = $2 ORDER BY crm_lead_id`, workspaceID, crmContactID))
}
