package amojo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/sanitize"
	"github.com/switchboardhq/switchboard/internal/store"
)

// maxHookAttempts bounds how often a stored hook is processed again after the hub's own
// failures (the database busy); amoCRM's own refusals are never retried.
const maxHookAttempts = 10

// hook answers amoCRM's POST /amojo/hooks/{scope_id}. amoCRM sends each hook once, never
// again, and waits at most 5 s: the signature (HMAC-SHA1 of the body under the channel
// secret) is checked, the hook stored, and only then answered 200; it is processed from the
// store. A hook that is not amoCRM's, or not for a mirror that is on, changes nothing.
func (m *Mirror) hook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		hookError(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	if !VerifyHook(m.Client.Secret, body, r.Header.Get("X-Signature")) {
		hookError(w, http.StatusUnauthorized, "X-Signature does not match")
		return
	}
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		hookError(w, http.StatusBadRequest, "the body is not UTF-8 JSON")
		return
	}
	h, err := ParseHook(body)
	if err != nil {
		hookError(w, http.StatusBadRequest, err.Error())
		return
	}
	acc, err := m.Store.AmojoAccountByScope(r.Context(), r.PathValue("scope_id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!acc.Enabled || acc.AccountAmojoID != h.AccountID)) {
		hookError(w, http.StatusNotFound, "no mirror is connected with this scope")
		return
	} else if err != nil {
		hookError(w, http.StatusServiceUnavailable, "try again")
		return
	}
	if _, err := m.Store.SaveAmojoHook(r.Context(), acc.WorkspaceID, string(body)); err != nil {
		slog.Error("amojo: store hook", "workspace", acc.WorkspaceID, "err", err)
		hookError(w, http.StatusServiceUnavailable, "try again")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{}"))
	m.Wake()
}

func hookError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": detail})
}

// processHook processes the next stored hook due; false when there is none.
func (m *Mirror) processHook(ctx context.Context) bool {
	h, ok, err := m.Store.ClaimAmojoHook(ctx, m.now(), lease)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("amojo: claim hook", "err", err)
		}
		return false
	}
	if !ok {
		return false
	}
	err = m.handleHook(ctx, h)
	switch {
	case err == nil:
		err = m.Store.FinishAmojoHook(ctx, h.ID, store.AmojoDone, "")
	case IsTransient(err) && h.Attempts < maxHookAttempts:
		slog.Warn("amojo: hook will be processed again", "hook", h.ID, "attempt", h.Attempts, "err", err)
		err = m.Store.RescheduleAmojoHook(ctx, h.ID, m.now().Add(m.backoff(h.Attempts)), err.Error())
	default:
		slog.Error("amojo: hook given up", "hook", h.ID, "err", err)
		err = m.Store.FinishAmojoHook(ctx, h.ID, store.AmojoDead, err.Error())
	}
	if err != nil {
		slog.Error("amojo: finish hook", "hook", h.ID, "err", err)
	}
	return true
}

// handleHook relays what a manager did in amoCRM's own chat — a reply, a reaction, typing —
// through the hub's own use cases, as the manager (their CRM user's employee). amoCRM decides
// who may answer in its own chats, so the hub's visibility rules do not apply to these.
func (m *Mirror) handleHook(ctx context.Context, stored store.AmojoHook) error {
	h, err := ParseHook([]byte(stored.Body))
	if err != nil {
		return permanent("%v", err)
	}
	ws, err := m.Store.Workspace(ctx, stored.WorkspaceID)
	if err != nil {
		return hubErr(err)
	}
	switch {
	case h.Message != nil:
		return m.reply(ctx, ws, h.Message)
	case h.Action.Reaction != nil:
		return m.reaction(ctx, ws, h.Action.Reaction)
	default:
		return m.typing(ctx, ws, h.Action.Typing)
	}
}

// errNoManager: the hook's amoCRM user is not one of the account's (after a fresh look).
var errNoManager = errors.New("amojo: the hook's user is not a user of the account")

// manager is the employee of the amoCRM user amoCRM knows by amojoUserID; the account's users
// are looked up again when the id is new to the hub.
func (m *Mirror) manager(ctx context.Context, ws hub.Workspace, amojoUserID string) (hub.Employee, error) {
	crmUser, err := m.Store.CRMUserByAmojo(ctx, ws.ID, amojoUserID)
	if errors.Is(err, store.ErrNotFound) {
		users, err := m.CRM.UserAmojoIDs(ctx, ws)
		if err != nil {
			return hub.Employee{}, crmErr(err)
		}
		if err := m.Store.SaveAmojoUsers(ctx, ws.ID, users); err != nil {
			return hub.Employee{}, hubErr(err)
		}
		if crmUser, err = m.Store.CRMUserByAmojo(ctx, ws.ID, amojoUserID); err != nil {
			return hub.Employee{}, errNoManager
		}
	} else if err != nil {
		return hub.Employee{}, hubErr(err)
	}
	emp, err := m.CRM.EmployeeFor(ctx, ws, crmUser)
	if err != nil {
		return emp, crmErr(err)
	}
	return emp, nil
}

// asManager is the actor of a manager's action in amoCRM: amoCRM decided they may act in the
// chat, so the hub's visibility rules are not applied again.
func asManager(ws hub.Workspace, emp hub.Employee) messaging.Actor {
	return messaging.Actor{Workspace: ws, Employee: emp, Access: hub.Access{Admin: true}}
}

// reaction sets (or takes off) a manager's reaction on a message of the chat through the hub's
// reaction use case, so it reaches the customer's messenger and shows in the chat window. The
// message is ours (msgid) or amoCRM's (a reply typed there). amoCRM has no answer for a refused
// reaction: the refusal is logged.
func (m *Mirror) reaction(ctx context.Context, ws hub.Workspace, r *HookReaction) error {
	msgID := r.Message.MsgID
	if msgID == "" {
		id, err := m.Store.MessageByAmojoID(ctx, ws.ID, r.Message.ID)
		if errors.Is(err, store.ErrNotFound) {
			return permanent("a reaction on message %q, which the hub does not know", r.Message.ID)
		} else if err != nil {
			return hubErr(err)
		}
		msgID = id
	}
	emp, err := m.manager(ctx, ws, r.User.ID)
	if errors.Is(err, errNoManager) {
		return permanent("%v", err)
	} else if err != nil {
		return err
	}
	emoji := r.Emoji
	if r.Type == "unreact" {
		emoji = ""
	}
	_, err = m.Messaging.React(ctx, asManager(ws, emp), r.Conversation.ClientID, msgID, emoji)
	var refusal *apierr.Error
	if errors.As(err, &refusal) {
		return permanent("reaction refused: %s", refusal.Code)
	}
	return hubErrOrNil(err)
}

// typing shows the manager typing to the customer while amoCRM says they are. A signal that
// is already over when the hook is processed is dropped; failures are logged, never retried,
// since a late "typing…" would mislead the customer.
func (m *Mirror) typing(ctx context.Context, ws hub.Workspace, t *HookTyping) error {
	if t.ExpiredAt != 0 && m.now().Unix() >= t.ExpiredAt {
		return nil
	}
	emp, err := m.manager(ctx, ws, t.User.ID)
	if err != nil {
		return permanent("typing: %v", err)
	}
	if err := m.Messaging.Typing(ctx, asManager(ws, emp), t.Conversation.ClientID); err != nil {
		slog.Info("amojo: typing not shown to the customer", "chat", t.Conversation.ClientID, "err", err)
	}
	return nil
}

// reply sends a manager's reply typed in amoCRM through the hub's own send path — the same
// refusals, the same outbox, the unanswered mark cleared, live in the chat window. A refusal is
// reported back to amoCRM as a failed delivery with the reason in the manager's language. A
// file is fetched from amoCRM into the media store first.
func (m *Mirror) reply(ctx context.Context, ws hub.Workspace, hm *HookMessage) error {
	refuse := func(lang, code string) error {
		d, _ := json.Marshal(refusalData{MsgID: hm.Message.ID, Code: code, Reason: i18n.T(lang, "error."+code)})
		return hubErrOrNil(m.Store.EnqueueAmojo(ctx, store.AmojoJob{WorkspaceID: ws.ID, Kind: jobRefusal,
			ChatID: hm.Conversation.ClientID, Data: string(d)}))
	}
	chat, err := m.Store.Chat(ctx, ws.ID, hm.Conversation.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return refuse("en", "chat_not_found")
	} else if err != nil {
		return hubErr(err)
	}
	emp, err := m.manager(ctx, ws, hm.Sender.ID)
	if errors.Is(err, errNoManager) {
		return refuse("en", apierr.UnknownCRMUser.Code)
	} else if err != nil {
		return err
	}
	out := messaging.Outgoing{ClientID: ClientIDPrefix + hm.Message.ID, Text: hm.Message.Text}
	if _, err := m.Store.MessageByClientID(ctx, ws.ID, chat.ID, out.ClientID); err == nil {
		// Sent before a crash kept this hook from being closed: Send returns that message.
	} else if !errors.Is(err, store.ErrNotFound) {
		return hubErr(err)
	} else if hm.Message.Media != "" {
		up, err := m.fetchFile(ctx, ws, emp, hm)
		if err != nil {
			if IsTransient(err) {
				return err
			}
			return refuse(emp.Lang, codeFileUnavailable)
		}
		out.Attachments = []string{up}
	} else if strings.TrimSpace(hm.Message.Text) == "" {
		return refuse(emp.Lang, "not_supported")
	}
	if rt := hm.Message.ReplyTo; rt != nil && rt.Message.MsgID != "" {
		if q, err := m.Store.Message(ctx, ws.ID, rt.Message.MsgID); err == nil && q.ChatID == chat.ID {
			out.ReplyTo = q.ID
		}
	}
	msg, _, err := m.Messaging.Send(ctx, asManager(ws, emp), chat.ID, out)
	var refusal *apierr.Error
	if errors.As(err, &refusal) {
		return refuse(emp.Lang, refusal.Code)
	} else if err != nil {
		return hubErr(err)
	}
	return hubErrOrNil(m.Store.SaveAmojoMessage(ctx, ws.ID, msg.ID, hm.Message.ID))
}

// codeFileUnavailable is the refusal of a reply whose file amoCRM did not give the hub.
const codeFileUnavailable = "crm_file_unavailable"

// fetchFile downloads the file of a manager's reply from amoCRM into the media store as the
// manager's upload, which the send path takes like one from the chat window. The address comes
// from a hook amoCRM signed; only http(s) is fetched, at most media.MaxSize.
func (m *Mirror) fetchFile(ctx context.Context, ws hub.Workspace, emp hub.Employee, hm *HookMessage) (string, error) {
	u, err := url.Parse(hm.Message.Media)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", permanent("the file's address %q is not http(s)", hm.Message.Media)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", permanent("%v", err)
	}
	hc := m.Client.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return "", &Error{Transient: true, Detail: "fetch the file: " + err.Error()}
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return "", &Error{Status: res.StatusCode, Transient: res.StatusCode >= 500 || res.StatusCode == 429,
			Detail: "fetch the file: " + res.Status}
	}
	key, mime, size, err := m.Media.PutStream(ctx, res.Body, res.Header.Get("Content-Type"))
	if errors.Is(err, media.ErrTooLarge) {
		return "", permanent("the file is over %d bytes", media.MaxSize)
	} else if err != nil {
		return "", &Error{Transient: true, Detail: "store the file: " + err.Error()}
	}
	name := sanitize.FileName(hm.Message.FileName)
	if name == "" {
		name = path.Base(u.Path)
	}
	up, err := m.Store.CreateUpload(ctx, store.Upload{WorkspaceID: ws.ID, EmployeeID: emp.ID, Name: name, MIME: mime,
		Size: size, StorageKey: key})
	if err != nil {
		return "", hubErr(err)
	}
	return up.ID, nil
}
