package httpapi_test

import (
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// CRM users of the world: the admin, the manager under test ("me"), a colleague in my group
// and a stranger in another group.
const (
	crmAdmin, crmMe, crmColleague, crmStranger = 1, 2, 3, 4
	myGroup, otherGroup                        = 10, 20
)

// world is a workspace with connections, CRM caches and customers whose visibility differs:
//   - mine: linked to a CRM contact I am responsible for;
//   - colleagues: linked to a CRM contact of someone in my group;
//   - strangers: linked to a stranger's CRM contact that belongs to my deal (lead 500);
//   - unlinked: linked to no CRM contact (F31a);
//   - group: a group chat (F10).
//
// Every chat has one inbound message with an image attachment stored in the media folder, a
// second apart from base on, so that lists order them by the test's times, never by how long
// building the world took.
type world struct {
	// base is the moment the world's messages are dated from; tests date theirs from it too.
	base                  time.Time
	ws                    hub.Workspace
	waba, telegram, waba2 hub.Connection
	chats                 map[string]hub.Chat
	contacts              map[string]hub.Contact
	attachments           map[string]hub.Attachment
	admin                 hub.Employee
	adminToken            string
}

var customers = []string{"mine", "colleagues", "strangers", "unlinked", "group"}

func (e *env) world(accountID int64) *world {
	t := e.t
	w := &world{base: time.Now().Truncate(time.Second), ws: e.workspace(accountID), chats: map[string]hub.Chat{},
		contacts: map[string]hub.Contact{}, attachments: map[string]hub.Attachment{}}
	var err error
	w.waba, err = e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: w.ws.ID, Kind: hub.KindWABA, Name: "Sales WhatsApp",
		ExternalID: fmt.Sprint("pn-", accountID), InSubscription: true})
	must(t, err)
	w.telegram, err = e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: w.ws.ID, Kind: hub.KindTelegramBot,
		Name: "Support bot", ExternalID: fmt.Sprint("bot-", accountID), InSubscription: true})
	must(t, err)
	w.waba2, err = e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: w.ws.ID, Kind: hub.KindWABA, Name: "Old number",
		ExternalID: fmt.Sprint("pn2-", accountID), InSubscription: false})
	must(t, err)
	for _, u := range []store.CRMUser{{ID: crmColleague, GroupID: myGroup}, {ID: crmStranger, GroupID: otherGroup}} {
		u.IsActive, u.Name, u.Rights = true, "crm user", `{"contacts":{"view":"A"},"leads":{"view":"A"}}`
		must(t, e.st.SaveCRMUser(ctx, w.ws.ID, u))
	}
	for id, owner := range map[int64]int64{100: crmMe, 101: crmColleague, 102: crmStranger} {
		must(t, e.st.SaveCRMContact(ctx, w.ws.ID, store.CRMEntity{ID: id, Name: "crm", ResponsibleUserID: owner}))
	}
	must(t, e.st.SaveCRMLead(ctx, w.ws.ID, store.CRMEntity{ID: 500, Name: "My deal", ResponsibleUserID: crmMe}, []int64{102}))
	links := map[string]int64{"mine": 100, "colleagues": 101, "strangers": 102}
	for i, name := range customers {
		key, ctype, err := e.files.Put(t.Context(), pngBytes, "image/png")
		must(t, err)
		in := store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: fmt.Sprintf("7916555000%d", i),
			From:           hub.Contact{Name: "Client " + name, WAID: fmt.Sprintf("7916555000%d", i), Phones: []string{fmt.Sprintf("+7916555000%d", i)}},
			Message: hub.Message{Type: hub.TypeImage, Text: "photo from " + name, ProviderKey: "wamid." + name,
				CreatedAt:   w.base.Add(time.Duration(i) * time.Second),
				Attachments: []hub.Attachment{{Name: name + ".png", MIME: ctype, Size: int64(len(pngBytes)), StorageKey: key}}}}
		if name == "group" {
			in.ChatKind, in.ExternalChatID, in.ChatTitle = hub.ChatGroup, "group-chat", "Team chat"
			in.From = hub.Contact{Name: "Member", WAID: "79165550099"}
		}
		r, err := e.st.SaveInbound(ctx, in)
		must(t, err)
		w.chats[name], w.attachments[name] = r.Chat, r.Message.Attachments[0]
		if name != "group" {
			c := r.Contact
			if id, ok := links[name]; ok {
				c.CRMContactIDs = []int64{id}
				must(t, e.st.UpdateContact(ctx, c))
			}
			w.contacts[name], err = e.st.Contact(ctx, w.ws.ID, c.ID)
			must(t, err)
		}
	}
	w.admin, w.adminToken = e.employee(w.ws, crmAdmin, myGroup, hub.RoleAdmin, "en", "A", "A")
	return w
}

// manager makes me, a manager with the given contacts and leads view rights.
func (e *env) manager(w *world, contactsView, leadsView string) (hub.Employee, string) {
	return e.employee(w.ws, crmMe, myGroup, hub.RoleManager, "en", contactsView, leadsView)
}

// pngBytes is a 1×1 PNG, so sniffing sees an image.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
