package store

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// The amoCRM chats mirror's (crm/amocrm/amojo) tables: its switch and scope per workspace, the
// outbox of calls to amojo, which is fed from the event log in order, and the hooks amoCRM
// sent, kept until processed.

// AmojoAccount is a workspace's mirror: whether it is on, the account's amojo id, the scope
// amojo gave the channel, and how far the event log has been turned into calls.
type AmojoAccount struct {
	WorkspaceID    string
	Enabled        bool
	AccountAmojoID string
	ScopeID        string
	EventCursor    int64
	LastError      string
}

const amojoAccountCols = `workspace_id, enabled, account_amojo_id, scope_id, event_cursor, last_error`

func scanAmojoAccount(r scanner) (AmojoAccount, error) {
	var a AmojoAccount
	err := r.Scan(&a.WorkspaceID, &a.Enabled, &a.AccountAmojoID, &a.ScopeID, &a.EventCursor, &a.LastError)
	return a, notFound(err)
}

// AmojoAccount returns the workspace's mirror (ErrNotFound: never switched on).
func (s *Store) AmojoAccount(ctx context.Context, workspaceID string) (AmojoAccount, error) {
	return scanAmojoAccount(s.r.QueryRowContext(ctx, `SELECT `+amojoAccountCols+` FROM amojo_accounts
		WHERE workspace_id = $1`, workspaceID))
}

// AmojoAccounts lists the mirrors that are on.
func (s *Store) AmojoAccounts(ctx context.Context) ([]AmojoAccount, error) {
	return collect(scanAmojoAccount)(s.r.QueryContext(ctx, `SELECT `+amojoAccountCols+` FROM amojo_accounts
		WHERE enabled ORDER BY workspace_id`))
}

// AmojoAccountByScope finds the mirror amojo knows by that scope id.
func (s *Store) AmojoAccountByScope(ctx context.Context, scopeID string) (AmojoAccount, error) {
	return scanAmojoAccount(s.r.QueryRowContext(ctx, `SELECT `+amojoAccountCols+` FROM amojo_accounts
		WHERE scope_id = $1 AND scope_id <> ''`, scopeID))
}

// SetAmojoEnabled switches the workspace's mirror on or off. Switching on starts from the
// event log's head: what happened before is not mirrored.
func (s *Store) SetAmojoEnabled(ctx context.Context, workspaceID string, on bool) (AmojoAccount, error) {
	var a AmojoAccount
	err := s.tx(ctx, func(q querier) error {
		var head int64
		if err := q.QueryRowContext(ctx, `SELECT event_seq FROM workspaces WHERE id = $1`, workspaceID).Scan(&head); err != nil {
			return notFound(err)
		}
		now := time.Now().UnixMilli()
		if _, err := q.ExecContext(ctx, `INSERT INTO amojo_accounts (workspace_id, enabled, event_cursor, updated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id) DO UPDATE SET
			event_cursor = CASE WHEN amojo_accounts.enabled THEN amojo_accounts.event_cursor ELSE excluded.event_cursor END,
			enabled = excluded.enabled, updated_at = excluded.updated_at`, workspaceID, on, head, now); err != nil {
			return fmt.Errorf("store: amojo switch: %w", err)
		}
		var err error
		a, err = scanAmojoAccount(q.QueryRowContext(ctx, `SELECT `+amojoAccountCols+` FROM amojo_accounts
			WHERE workspace_id = $1`, workspaceID))
		return err
	})
	return a, err
}

// SetAmojoScope records the account's amojo id and the scope amojo gave the channel ("" once
// disconnected), clearing the last error.
func (s *Store) SetAmojoScope(ctx context.Context, workspaceID, accountAmojoID, scopeID string) error {
	return s.execOne(ctx, "amojo scope", `UPDATE amojo_accounts SET account_amojo_id = $2, scope_id = $3,
		last_error = '', updated_at = $4 WHERE workspace_id = $1`, workspaceID, accountAmojoID, scopeID,
		time.Now().UnixMilli())
}

// SetAmojoError records why connecting failed; the scope stays as it was.
func (s *Store) SetAmojoError(ctx context.Context, workspaceID, lastErr string) error {
	return s.execOne(ctx, "amojo error", `UPDATE amojo_accounts SET last_error = $2, updated_at = $3
		WHERE workspace_id = $1`, workspaceID, lastErr, time.Now().UnixMilli())
}

// Outbox job states.
const (
	AmojoPending = "pending"
	AmojoDone    = "done"
	AmojoDead    = "dead"
)

// AmojoJob is one call to amojo waiting to be made.
type AmojoJob struct {
	ID          string
	WorkspaceID string
	Kind        string
	ChatID      string
	MessageID   string
	Data        string // JSON
	Attempts    int
	LastError   string
	CreatedAt   time.Time
}

func insertAmojoJob(ctx context.Context, q querier, j AmojoJob, at time.Time) error {
	if j.Data == "" {
		j.Data = "{}"
	}
	// Due at once (next attempt 0), whatever the clock of whoever claims it.
	_, err := q.ExecContext(ctx, `INSERT INTO amojo_outbox (id, workspace_id, kind, chat_id, message_id, data_json, state,
		next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)`,
		NewID(), j.WorkspaceID, j.Kind, j.ChatID, j.MessageID, j.Data, AmojoPending, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: amojo outbox: %w", err)
	}
	return nil
}

// EnqueueAmojo adds a job behind the workspace's others.
func (s *Store) EnqueueAmojo(ctx context.Context, j AmojoJob) error {
	return insertAmojoJob(ctx, s.w, j, time.Now())
}

// AdvanceAmojo turns up to limit events past the mirror's cursor into outbox jobs with
// translate, and moves the cursor past them, in one transaction: each event is translated
// exactly once, whatever crashes. It returns how many events it read.
func (s *Store) AdvanceAmojo(ctx context.Context, workspaceID string, limit int, translate func(hub.Event) []AmojoJob) (int, error) {
	n := 0
	err := s.tx(ctx, func(q querier) error {
		var cursor int64
		var on bool
		lock := "" // SQLite's single writer already serializes this transaction
		if s.dialect == Postgres {
			lock = " FOR UPDATE" // two instances must not translate the same events
		}
		if err := q.QueryRowContext(ctx, `SELECT event_cursor, enabled FROM amojo_accounts WHERE workspace_id = $1`+lock,
			workspaceID).Scan(&cursor, &on); err != nil {
			return notFound(err)
		}
		if !on {
			return nil
		}
		evs, err := collect(scanEvent)(q.QueryContext(ctx, `SELECT workspace_id, seq, type, chat_id, contact_id, data_json,
			created_at FROM events WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, workspaceID, cursor, limit))
		if err != nil || len(evs) == 0 {
			return err
		}
		now := time.Now()
		for _, e := range evs {
			for _, j := range translate(e) {
				j.WorkspaceID = workspaceID
				if err := insertAmojoJob(ctx, q, j, now); err != nil {
					return err
				}
			}
		}
		n = len(evs)
		_, err = q.ExecContext(ctx, `UPDATE amojo_accounts SET event_cursor = $2 WHERE workspace_id = $1`,
			workspaceID, evs[len(evs)-1].Seq)
		return err
	})
	return n, err
}

// ClaimAmojoJob leases the workspace's first pending job until now+lease, if it is due: jobs
// go strictly in order, so one waiting for a retry holds back the ones behind it. ok=false
// when there is nothing due (or another instance holds the lease).
func (s *Store) ClaimAmojoJob(ctx context.Context, workspaceID string, now time.Time, lease time.Duration) (j AmojoJob, ok bool, err error) {
	var next, leased int64
	var created int64
	err = s.r.QueryRowContext(ctx, `SELECT id, workspace_id, kind, chat_id, message_id, data_json, attempts, last_error,
		next_attempt_at, lease_until, created_at FROM amojo_outbox WHERE workspace_id = $1 AND state = $2 ORDER BY id LIMIT 1`,
		workspaceID, AmojoPending).Scan(&j.ID, &j.WorkspaceID, &j.Kind, &j.ChatID, &j.MessageID, &j.Data, &j.Attempts,
		&j.LastError, &next, &leased, &created)
	if err != nil {
		return j, false, ignoreNoRows(err)
	}
	j.CreatedAt = fromMillis(created)
	if next > now.UnixMilli() || leased > now.UnixMilli() {
		return j, false, nil
	}
	res, err := s.w.ExecContext(ctx, `UPDATE amojo_outbox SET lease_until = $3, attempts = attempts + 1
		WHERE id = $1 AND state = $2 AND lease_until = $4`, j.ID, AmojoPending, now.Add(lease).UnixMilli(), leased)
	if err != nil {
		return j, false, fmt.Errorf("store: claim amojo job: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return j, false, nil
	}
	j.Attempts++
	return j, true, nil
}

// FinishAmojoJob closes a job: done, or dead with why.
func (s *Store) FinishAmojoJob(ctx context.Context, id, state, lastErr string) error {
	return s.execOne(ctx, "amojo job", `UPDATE amojo_outbox SET state = $2, last_error = $3, lease_until = 0,
		updated_at = $4 WHERE id = $1`, id, state, lastErr, time.Now().UnixMilli())
}

// RescheduleAmojoJob puts a job back to be tried at `at`.
func (s *Store) RescheduleAmojoJob(ctx context.Context, id string, at time.Time, lastErr string) error {
	return s.execOne(ctx, "amojo job", `UPDATE amojo_outbox SET next_attempt_at = $2, last_error = $3, lease_until = 0,
		updated_at = $4 WHERE id = $1`, id, at.UnixMilli(), lastErr, time.Now().UnixMilli())
}

// AmojoBacklog counts a workspace's jobs not made yet.
func (s *Store) AmojoBacklog(ctx context.Context, workspaceID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM amojo_outbox WHERE workspace_id = $1 AND state = $2`,
		workspaceID, AmojoPending).Scan(&n)
	return n, err
}

// AmojoChat returns amojo's id of a hub chat (ErrNotFound: amojo does not know it yet).
func (s *Store) AmojoChat(ctx context.Context, workspaceID, chatID string) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT amojo_chat_id FROM amojo_chats WHERE workspace_id = $1 AND chat_id = $2`,
		workspaceID, chatID).Scan(&id)
	return id, notFound(err)
}

// SaveAmojoChat records amojo's id of a hub chat.
func (s *Store) SaveAmojoChat(ctx context.Context, workspaceID, chatID, amojoChatID string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO amojo_chats (workspace_id, chat_id, amojo_chat_id) VALUES ($1, $2, $3)
		ON CONFLICT (workspace_id, chat_id) DO UPDATE SET amojo_chat_id = excluded.amojo_chat_id`,
		workspaceID, chatID, amojoChatID)
	if err != nil {
		return fmt.Errorf("store: amojo chat: %w", err)
	}
	return nil
}

// AmojoMessage returns amojo's id of a hub message and the last status posted for it.
func (s *Store) AmojoMessage(ctx context.Context, workspaceID, messageID string) (msgid, lastStatus string, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT amojo_msgid, last_status FROM amojo_messages WHERE workspace_id = $1
		AND message_id = $2`, workspaceID, messageID).Scan(&msgid, &lastStatus)
	return msgid, lastStatus, notFound(err)
}

// MessageByAmojoID returns the hub's id of the message amojo knows as amojoMsgID.
func (s *Store) MessageByAmojoID(ctx context.Context, workspaceID, amojoMsgID string) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT message_id FROM amojo_messages WHERE workspace_id = $1 AND amojo_msgid = $2`,
		workspaceID, amojoMsgID).Scan(&id)
	return id, notFound(err)
}

// SaveAmojoMessage records amojo's id of a hub message (keeping the status posted).
func (s *Store) SaveAmojoMessage(ctx context.Context, workspaceID, messageID, amojoMsgID string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO amojo_messages (workspace_id, message_id, amojo_msgid) VALUES ($1, $2, $3)
		ON CONFLICT (workspace_id, message_id) DO UPDATE SET amojo_msgid = excluded.amojo_msgid`,
		workspaceID, messageID, amojoMsgID)
	if err != nil {
		return fmt.Errorf("store: amojo message: %w", err)
	}
	return nil
}

// SetAmojoMessageStatus records the last delivery status posted for a message.
func (s *Store) SetAmojoMessageStatus(ctx context.Context, workspaceID, messageID, status string) error {
	return s.execOne(ctx, "amojo message status", `UPDATE amojo_messages SET last_status = $3
		WHERE workspace_id = $1 AND message_id = $2`, workspaceID, messageID, status)
}

// AmojoReaction returns the customer's reaction last posted for a message ("" for none).
func (s *Store) AmojoReaction(ctx context.Context, workspaceID, messageID string) (string, error) {
	var r string
	err := s.r.QueryRowContext(ctx, `SELECT last_reaction FROM amojo_messages WHERE workspace_id = $1
		AND message_id = $2`, workspaceID, messageID).Scan(&r)
	return r, notFound(err)
}

// SetAmojoReaction records the customer's reaction last posted for a message.
func (s *Store) SetAmojoReaction(ctx context.Context, workspaceID, messageID, emoji string) error {
	return s.execOne(ctx, "amojo reaction", `UPDATE amojo_messages SET last_reaction = $3
		WHERE workspace_id = $1 AND message_id = $2`, workspaceID, messageID, emoji)
}

// SaveAmojoUsers records CRM users' amojo ids.
func (s *Store) SaveAmojoUsers(ctx context.Context, workspaceID string, ids map[int64]string) error {
	return s.tx(ctx, func(q querier) error {
		for user, amojo := range ids {
			if _, err := q.ExecContext(ctx, `INSERT INTO amojo_users (workspace_id, crm_user_id, amojo_id) VALUES ($1, $2, $3)
				ON CONFLICT (workspace_id, crm_user_id) DO UPDATE SET amojo_id = excluded.amojo_id`,
				workspaceID, user, amojo); err != nil {
				return fmt.Errorf("store: amojo users: %w", err)
			}
		}
		return nil
	})
}

// AmojoUser returns a CRM user's amojo id.
func (s *Store) AmojoUser(ctx context.Context, workspaceID string, crmUserID int64) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT amojo_id FROM amojo_users WHERE workspace_id = $1 AND crm_user_id = $2`,
		workspaceID, crmUserID).Scan(&id)
	return id, notFound(err)
}

// CRMUserByAmojo returns the CRM user with that amojo id.
func (s *Store) CRMUserByAmojo(ctx context.Context, workspaceID, amojoID string) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT crm_user_id FROM amojo_users WHERE workspace_id = $1 AND amojo_id = $2`,
		workspaceID, amojoID).Scan(&id)
	return id, notFound(err)
}

// AmojoSource is a connection's amoCRM source and the pipeline of its incoming leads.
type AmojoSource struct {
	ConnectionID string
	SourceID     int64
	PipelineID   int64
}

// AmojoSources lists the workspace's connections' sources.
func (s *Store) AmojoSources(ctx context.Context, workspaceID string) ([]AmojoSource, error) {
	return collect(func(r scanner) (AmojoSource, error) {
		var x AmojoSource
		return x, r.Scan(&x.ConnectionID, &x.SourceID, &x.PipelineID)
	})(s.r.QueryContext(ctx, `SELECT connection_id, source_id, pipeline_id FROM amojo_sources WHERE workspace_id = $1
		ORDER BY connection_id`, workspaceID))
}

// SaveAmojoSource records a connection's source.
func (s *Store) SaveAmojoSource(ctx context.Context, workspaceID string, x AmojoSource) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO amojo_sources (workspace_id, connection_id, source_id, pipeline_id)
		VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, connection_id) DO UPDATE SET source_id = excluded.source_id,
		pipeline_id = excluded.pipeline_id`, workspaceID, x.ConnectionID, x.SourceID, x.PipelineID)
	if err != nil {
		return fmt.Errorf("store: amojo source: %w", err)
	}
	return nil
}

// AmojoHook is a stored hook from amoCRM.
type AmojoHook struct {
	ID          string
	WorkspaceID string
	Body        string
	Attempts    int
}

// SaveAmojoHook stores a hook before it is answered.
func (s *Store) SaveAmojoHook(ctx context.Context, workspaceID, body string) (string, error) {
	id := NewID()
	now := time.Now().UnixMilli()
	_, err := s.w.ExecContext(ctx, `INSERT INTO amojo_hooks (id, workspace_id, body, state, next_attempt_at, received_at)
		VALUES ($1, $2, $3, $4, 0, $5)`, id, workspaceID, body, AmojoPending, now)
	if err != nil {
		return "", fmt.Errorf("store: amojo hook: %w", err)
	}
	return id, nil
}

// ClaimAmojoHook leases the oldest due hook until now+lease.
func (s *Store) ClaimAmojoHook(ctx context.Context, now time.Time, lease time.Duration) (h AmojoHook, ok bool, err error) {
	rows, err := collect(func(r scanner) (AmojoHook, error) {
		var x AmojoHook
		return x, r.Scan(&x.ID, &x.WorkspaceID, &x.Body, &x.Attempts)
	})(s.r.QueryContext(ctx, `SELECT id, workspace_id, body, attempts FROM amojo_hooks WHERE state = $1
		AND next_attempt_at <= $2 AND lease_until <= $2 ORDER BY id LIMIT 5`, AmojoPending, now.UnixMilli()))
	if err != nil {
		return h, false, err
	}
	for _, x := range rows {
		res, err := s.w.ExecContext(ctx, `UPDATE amojo_hooks SET lease_until = $3, attempts = attempts + 1
			WHERE id = $1 AND state = $2 AND lease_until <= $4`, x.ID, AmojoPending, now.Add(lease).UnixMilli(), now.UnixMilli())
		if err != nil {
			return h, false, fmt.Errorf("store: claim amojo hook: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			x.Attempts++
			return x, true, nil
		}
	}
	return h, false, nil
}

// FinishAmojoHook closes a hook: done, or dead with why.
func (s *Store) FinishAmojoHook(ctx context.Context, id, state, lastErr string) error {
	return s.execOne(ctx, "amojo hook", `UPDATE amojo_hooks SET state = $2, last_error = $3, lease_until = 0 WHERE id = $1`,
		id, state, lastErr)
}

// RescheduleAmojoHook puts a hook back to be processed at `at`.
func (s *Store) RescheduleAmojoHook(ctx context.Context, id string, at time.Time, lastErr string) error {
	return s.execOne(ctx, "amojo hook", `UPDATE amojo_hooks SET next_attempt_at = $2, last_error = $3, lease_until = 0
		WHERE id = $1`, id, at.UnixMilli(), lastErr)
}

// AmojoHooks counts the workspace's stored hooks (tests: a refused hook stores nothing).
func (s *Store) AmojoHooks(ctx context.Context, workspaceID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM amojo_hooks WHERE workspace_id = $1`, workspaceID).Scan(&n)
	return n, err
}

func ignoreNoRows(err error) error {
	if notFound(err) == ErrNotFound {
		return nil
	}
	return err
}

// PruneAmojo drops finished outbox jobs and processed hooks older than before (dead ones stay
// for an operator), and reports how many.
func (s *Store) PruneAmojo(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	for _, q := range []string{`DELETE FROM amojo_outbox WHERE state = $1 AND updated_at < $2`,
		`DELETE FROM amojo_hooks WHERE state = $1 AND received_at < $2`} {
		res, err := s.w.ExecContext(ctx, q, AmojoDone, before.UnixMilli())
		if err != nil {
			return n, fmt.Errorf("store: prune amojo: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}
