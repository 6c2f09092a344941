package messaging

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
	"github.com/switchboardhq/switchboard/internal/store"
)

// NewChat is a chat an employee starts (F23–F26): on a connection, with a phone, a Telegram id
// or @username, or a MAX user id (exactly one), from a hub contact or a CRM contact (at most one).
type NewChat struct {
	ConnectionID string
	Phone        string
	Telegram     string
	MaxUserID    int64
	ContactID    string
	CRMContactID int64
	// Name names a contact the chat creates (a number nobody wrote from yet); ignored otherwise.
	Name string
}

// CreateChat starts a chat (F23–F26) and returns it with its contact, or one of F25's
// outcomes (chat_exists carries the existing chat's id). Checks run from the request's own
// validity to the world's state, and every check runs before anything is written, so a
// refusal changes nothing. A WABA chat starts with its window closed: the first message must
// be a template.
func (s *Service) CreateChat(ctx context.Context, who Actor, b NewChat) (hub.Chat, hub.Contact, error) {
	b.Phone, b.Telegram = strings.TrimSpace(b.Phone), strings.TrimSpace(b.Telegram)
	targets := 0
	for _, given := range []bool{b.Phone != "", b.Telegram != "", b.MaxUserID != 0} {
		if given {
			targets++
		}
	}
	if b.ConnectionID == "" || targets != 1 || (b.ContactID != "" && b.CRMContactID != 0) {
		return hub.Chat{}, hub.Contact{}, apierr.BadRequest.Because(errors.New("connection_id and exactly one of phone, telegram, max_user_id; at most one of contact_id, crm_contact_id"))
	}
	var chat hub.Chat
	var contact hub.Contact
	conn, err := s.Store.Connection(ctx, who.Workspace.ID, b.ConnectionID)
	if errors.Is(err, store.ErrNotFound) {
		return chat, contact, apierr.NotFound
	} else if err != nil {
		return chat, contact, err
	}
	base, err := s.createBase(ctx, who, b)
	if err != nil {
		return chat, contact, err
	}
	var target hub.Contact
	var externalID, newPhone string
	switch {
	case conn.Kind == hub.KindWABA && b.Phone != "":
		target, externalID, newPhone, err = s.wabaTarget(ctx, who.Workspace, base, b.Phone)
	case conn.Kind == hub.KindTelegramBot && b.MaxUserID == 0:
		target, externalID, err = s.telegramTarget(ctx, who.Workspace, b)
	case conn.Kind == hub.KindMaxBot && b.Telegram == "":
		target, externalID, err = s.maxTarget(ctx, who.Workspace, b)
	case conn.Kind == hub.KindMaxBot || conn.Kind == hub.KindTelegramBot:
		return chat, contact, apierr.BadRequest.Because(errors.New("this connection's people are found by phone or its own user id"))
	default:
		return chat, contact, apierr.BadRequest.Because(errors.New("this connection creates chats by phone only"))
	}
	if err != nil {
		return chat, contact, err
	}
	if existing, err := s.Store.ChatByExternal(ctx, conn.ID, externalID); err == nil {
		if _, _, err := s.VisibleChat(ctx, who, existing.ID); err != nil {
			return chat, contact, apierr.ChatAccessDenied
		}
		return chat, contact, apierr.ChatExists.With("chat_id", existing.ID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return chat, contact, err
	}
	if conn.Kind == hub.KindTelegramBot || conn.Kind == hub.KindMaxBot {
		// A bot may only write to someone who wrote to it (or, on MAX, started it) first (C2):
		// that chat would exist.
		return chat, contact, apierr.ContactNotFound
	}
	if code := hub.CreateRefusal(who.Workspace, conn, s.now()); code != "" {
		return chat, contact, refusals[code]
	}
	if name := strings.TrimSpace(b.Name); target.ID == "" && target.Name == "" && len(name) <= 200 {
		target.Name = name
	}
	if target, err = s.syncCRMDetails(ctx, who, target, newPhone); err != nil {
		return chat, contact, err
	}
	chat, contact, _, err = s.Store.OpenChat(ctx, target, hub.Chat{WorkspaceID: who.Workspace.ID,
		ConnectionID: conn.ID, ExternalChatID: externalID})
	return chat, contact, err
}

// createBase is the contact the chat is created from: a hub contact the actor may see, or a
// new contact linked to a CRM contact the actor may see (a card without chats), or none.
func (s *Service) createBase(ctx context.Context, who Actor, b NewChat) (hub.Contact, error) {
	ws := who.Workspace.ID
	switch {
	case b.ContactID != "":
		return s.VisibleContact(ctx, who, b.ContactID)
	case b.CRMContactID != 0:
		ref, leads, err := s.Store.CRMContactRef(ctx, ws, b.CRMContactID)
		if err != nil {
			return hub.Contact{}, err
		}
		if !who.Access.Contact(hub.ContactLinks{CRMContacts: []hub.CRMRef{ref}, Leads: leads}) {
			return hub.Contact{}, apierr.CRMAccessDenied
		}
		return hub.Contact{CRMContactIDs: []int64{b.CRMContactID}}, nil
	}
	return hub.Contact{}, nil
}

// wabaTarget resolves a typed phone to the contact the WhatsApp chat belongs to (F26): the
// hub's existing WhatsApp identity for that number (gaining the base's CRM links), else the
// base contact gaining the number when it has no WhatsApp identity yet, else a new contact.
// newPhone is the number when the contact did not have it yet.
func (s *Service) wabaTarget(ctx context.Context, ws hub.Workspace, base hub.Contact, raw string) (target hub.Contact, waID, newPhone string, err error) {
	e164, err := phone.E164(raw, ws.Country)
	if err != nil {
		return hub.Contact{}, "", "", apierr.InvalidPhone.Because(err)
	}
	waID = phone.Digits(e164)
	target, err = s.Store.ContactByIdentity(ctx, ws.ID, waID, 0)
	switch {
	case err == nil:
	case !errors.Is(err, store.ErrNotFound):
		return target, "", "", err
	case base.ID != "" && base.WAID == "":
		target = base
	default:
		target = hub.Contact{Name: base.Name, CRMContactIDs: base.CRMContactIDs}
	}
	target.WAID = waID
	if !slices.Contains(target.Phones, e164) {
		target.Phones, newPhone = append(target.Phones, e164), e164
	}
	for _, id := range base.CRMContactIDs {
		if !slices.Contains(target.CRMContactIDs, id) {
			target.CRMContactIDs = append(target.CRMContactIDs, id)
		}
	}
	return target, waID, newPhone, nil
}

// telegramTarget resolves a Telegram id or @username (or a phone) to a contact the hub knows.
// A bot reaches only people who wrote to it, so an unknown person is contact_not_found.
func (s *Service) telegramTarget(ctx context.Context, ws hub.Workspace, b NewChat) (hub.Contact, string, error) {
	var c hub.Contact
	var err error
	switch {
	case b.Phone != "":
		c, err = s.contactByPhone(ctx, ws, b.Phone, func(c hub.Contact) bool { return c.TelegramUserID != 0 })
	case strings.HasPrefix(b.Telegram, "@") || !isDigits(b.Telegram):
		name := strings.TrimPrefix(b.Telegram, "@")
		if name == "" || len(name) > 64 {
			return c, "", apierr.BadRequest.Because(errors.New("telegram: a numeric id or @username"))
		}
		c, err = s.Store.ContactByTelegramUsername(ctx, ws.ID, name)
	default:
		id, perr := strconv.ParseInt(b.Telegram, 10, 64)
		if perr != nil || id <= 0 {
			return c, "", apierr.BadRequest.Because(errors.New("telegram: a numeric id or @username"))
		}
		c, err = s.Store.ContactByIdentity(ctx, ws.ID, "", id)
		if errors.Is(err, store.ErrNotFound) {
			return hub.Contact{TelegramUserID: id}, strconv.FormatInt(id, 10), nil
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return c, "", apierr.ContactNotFound
	} else if err != nil {
		return c, "", err
	}
	return c, strconv.FormatInt(c.TelegramUserID, 10), nil
}

// maxTarget resolves a MAX user id (or a phone) to a contact the hub knows: a MAX bot, too,
// reaches only people who started it, so an unknown person is contact_not_found.
func (s *Service) maxTarget(ctx context.Context, ws hub.Workspace, b NewChat) (hub.Contact, string, error) {
	var c hub.Contact
	var err error
	if b.Phone != "" {
		c, err = s.contactByPhone(ctx, ws, b.Phone, func(c hub.Contact) bool { return c.MaxUserID != 0 })
	} else if b.MaxUserID < 0 {
		return c, "", apierr.BadRequest.Because(errors.New("max_user_id: a positive MAX user id"))
	} else {
		c, err = s.Store.ContactByMaxUser(ctx, ws.ID, b.MaxUserID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return c, "", apierr.ContactNotFound
	} else if err != nil {
		return c, "", err
	}
	return c, strconv.FormatInt(c.MaxUserID, 10), nil
}

// contactByPhone finds a contact with that phone who has the messenger identity has asks for.
func (s *Service) contactByPhone(ctx context.Context, ws hub.Workspace, raw string, has func(hub.Contact) bool) (hub.Contact, error) {
	e164, err := phone.E164(raw, ws.Country)
	if err != nil {
		return hub.Contact{}, apierr.InvalidPhone.Because(err)
	}
	ids, err := s.Store.ContactsByPhone(ctx, ws.ID, e164)
	if err != nil {
		return hub.Contact{}, err
	}
	for _, id := range ids {
		if cand, err := s.Store.Contact(ctx, ws.ID, id); err == nil && has(cand) {
			return cand, nil
		}
	}
	return hub.Contact{}, store.ErrNotFound
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// syncCRMDetails reaches the CRM before the hub changes anything (F26, F31a): a contact
// linked to no CRM contact is linked now (found by phone, or created with the actor as its
// responsible user, so they keep seeing it), and a phone the chat adds goes to the linked CRM
// contacts. Without a CRM adapter only an admin may create an unlinked contact (nobody else
// could see it) and nobody may add a phone to a linked one.
func (s *Service) syncCRMDetails(ctx context.Context, who Actor, target hub.Contact, newPhone string) (hub.Contact, error) {
	if len(target.CRMContactIDs) == 0 {
		if s.CRM == nil {
			if who.Access.Admin {
				return target, nil
			}
			return target, apierr.CRMAdapterMissing.Because(errors.New("messaging.Service.CRM is nil: cannot link the new contact"))
		}
		ids, err := s.CRM.LinkContact(ctx, who.Workspace, target, who.Employee.CRMUserID)
		if err != nil {
			return target, apierr.CRMUnavailable.Because(err)
		}
		target.CRMContactIDs = ids
		return target, nil
	}
	if newPhone == "" {
		return target, nil
	}
	if s.CRM == nil {
		return target, apierr.CRMAdapterMissing.Because(errors.New("messaging.Service.CRM is nil: cannot add the phone to the CRM contact"))
	}
	for _, id := range target.CRMContactIDs {
		if err := s.CRM.AddContactDetails(ctx, who.Workspace, id, crm.ContactDetails{Phone: newPhone}); err != nil {
			return target, apierr.CRMUnavailable.Because(err)
		}
	}
	return target, nil
}
