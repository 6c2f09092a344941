package httpapi

import "github.com/switchboardhq/switchboard/internal/respond"

// chatRoutes mounts the chat window's API (ARCHITECTURE.md §3). Every route but the signed
// file links needs a session.
func (s *Server) chatRoutes(mux Router) {
	mux.Handle("GET /api/v1/chats", s.authed(s.listChats))
	mux.Handle("POST /api/v1/chats", s.authed(s.createChat))
	mux.Handle("GET /api/v1/chats/{id}", s.authed(s.getChat))
	mux.Handle("GET /api/v1/chats/{id}/messages", s.authed(s.listMessages))
	mux.Handle("POST /api/v1/chats/{id}/messages", s.authed(s.sendMessage))
	mux.Handle("POST /api/v1/chats/{id}/messages/{message_id}/retry", s.authed(s.retryMessage))
	mux.Handle("PUT /api/v1/chats/{id}/messages/{message_id}/reaction", s.authed(s.reactMessage))
	mux.Handle("POST /api/v1/chats/{id}/typing", s.authed(s.typing))
	mux.Handle("POST /api/v1/chats/{id}/no-reply-needed", s.authed(s.noReplyNeeded))
	mux.Handle("PUT /api/v1/chats/{id}/draft", s.authed(s.putDraft))
	mux.Handle("GET /api/v1/contacts/{id}", s.authed(s.getContact))
	mux.Handle("PUT /api/v1/contacts/{id}/block", s.authed(s.blockContact(true)))
	mux.Handle("DELETE /api/v1/contacts/{id}/block", s.authed(s.blockContact(false)))
	mux.Handle("GET /api/v1/connections", s.authed(s.listConnections))
	mux.Handle("GET /api/v1/templates", s.authed(s.listTemplates))
	mux.Handle("POST /api/v1/uploads", s.authed(s.upload))
	mux.Handle("GET /api/v1/files/{id}", respond.Handle(s.downloadFile))
}
