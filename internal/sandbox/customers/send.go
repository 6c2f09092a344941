package customers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
)

type sendRequest struct {
	ConnectionID string `json:"connection_id"`
	From         struct {
		Phone            string `json:"phone"`
		TelegramUserID   int64  `json:"telegram_user_id"`
		TelegramUsername string `json:"telegram_username"`
		MaxUserID        int64  `json:"max_user_id"`
		Name             string `json:"name"`
	} `json:"from"`
	Type              string `json:"type"`
	Text              string `json:"text"`
	ReplyToExternalID string `json:"reply_to_external_id"`
	// Group (Telegram, MAX): write in the demo group the bot is in instead of the private chat.
	Group bool `json:"group"`
	// Items (order): the cart; empty picks two products of the sandbox catalogue.
	Items []struct {
		SKU      string `json:"sku"`
		Quantity int    `json:"quantity"`
	} `json:"items"`
}

var types = map[string]bool{"text": true, "image": true, "voice": true, "video": true, "file": true, "order": true}

// send is POST /sandbox/customers/send: the stand-in delivers the customer's message to the hub
// as a real webhook; 202 once the hub has acknowledged it.
func (s *Simulator) send(w http.ResponseWriter, r *http.Request) {
	var in sendRequest
	if err := decode(r, &in); err != nil {
		problem(w, http.StatusBadRequest, "bad_request", "body: "+err.Error())
		return
	}
	c, ok := s.connection(r.Context(), in.ConnectionID)
	switch {
	case !ok:
		problem(w, http.StatusNotFound, "not_found", "connection_id: not a sandbox connection")
		return
	case !types[in.Type]:
		problem(w, http.StatusUnprocessableEntity, "invalid_type", "type: one of text, image, voice, video, file, order")
		return
	case in.Type == "text" && strings.TrimSpace(in.Text) == "":
		problem(w, http.StatusUnprocessableEntity, "empty_text", "text: required for a text message")
		return
	}
	var id string
	var err error
	var status int
	switch c.Kind {
	case hub.KindWABA:
		id, status, err = s.sendWhatsApp(c, in)
	case hub.KindMaxBot:
		id, status, err = s.sendMax(c, in)
	default:
		id, status, err = s.sendTelegram(c, in)
	}
	if err != nil {
		problem(w, status, "send_failed", err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"external_id": id})
}

func (s *Simulator) sendWhatsApp(c hub.Connection, in sendRequest) (string, int, error) {
	waID, err := s.waID(in.From.Phone)
	if err != nil {
		return "", http.StatusUnprocessableEntity, err
	}
	msg := graph.Incoming{Type: in.Type, Text: in.Text, ReplyTo: in.ReplyToExternalID}
	if f, ok := sample(in.Type); ok {
		msg.File = &graph.SampleFile{Name: f.Name, MIME: f.MIME, Data: f.Data}
	}
	if in.Type == "order" {
		msg.Order = cart(in)
	}
	id, err := s.Sandbox.Graph.Receive(c.ExternalID, graph.Customer{WAID: waID, Name: in.From.Name}, msg)
	if err != nil {
		return id, http.StatusBadGateway, err
	}
	return id, 0, nil
}

func (s *Simulator) sendTelegram(c hub.Connection, in sendRequest) (string, int, error) {
	if in.From.TelegramUserID <= 0 {
		return "", http.StatusUnprocessableEntity, fmt.Errorf("from.telegram_user_id: a positive Telegram user id is required")
	}
	if in.Type == "order" {
		return "", http.StatusUnprocessableEntity, fmt.Errorf("type: carts exist only on WhatsApp")
	}
	first, last, _ := strings.Cut(in.From.Name, " ")
	msg := botapi.Incoming{Type: in.Type, Text: in.Text}
	if in.Group {
		msg.GroupID = messengers.GroupID
	}
	if in.ReplyToExternalID != "" {
		_, m, _ := strings.Cut(in.ReplyToExternalID, ":")
		n, err := strconv.Atoi(m)
		if err != nil {
			return "", http.StatusUnprocessableEntity, fmt.Errorf("reply_to_external_id: not a Telegram message id")
		}
		msg.ReplyTo = n
	}
	if f, ok := sample(in.Type); ok {
		msg.File = &botapi.File{Name: f.Name, MIME: f.MIME, Data: f.Data}
	}
	token := c.Secrets[telegram.SecretBotToken]
	id, err := s.Sandbox.BotAPI.Receive(token, botapi.User{ID: in.From.TelegramUserID, FirstName: first, LastName: last,
		Username: strings.TrimPrefix(in.From.TelegramUsername, "@")}, msg)
	if err != nil {
		return id, http.StatusBadGateway, err
	}
	return id, 0, nil
}

func (s *Simulator) sendMax(c hub.Connection, in sendRequest) (string, int, error) {
	u, err := maxUser(in.From.MaxUserID, in.From.Name)
	if err != nil {
		return "", http.StatusUnprocessableEntity, err
	}
	if in.Type == "order" {
		return "", http.StatusUnprocessableEntity, fmt.Errorf("type: carts exist only on WhatsApp")
	}
	msg := maxapi.Incoming{Type: in.Type, Text: in.Text, ReplyTo: in.ReplyToExternalID}
	if in.Group {
		msg.GroupID = messengers.MaxGroupID
	}
	if f, ok := sample(in.Type); ok {
		msg.File = &maxapi.File{Name: f.Name, MIME: f.MIME, Data: f.Data}
	}
	id, err := s.Sandbox.MaxAPI.Receive(messengers.MaxBotToken(c), u, msg)
	if err != nil {
		return id, http.StatusBadGateway, err
	}
	return id, 0, nil
}

func maxUser(id int64, name string) (maxapi.User, error) {
	if id <= 0 {
		return maxapi.User{}, fmt.Errorf("from.max_user_id: a positive MAX user id is required")
	}
	first, last, _ := strings.Cut(name, " ")
	return maxapi.User{ID: id, FirstName: first, LastName: last}, nil
}

// bot is POST /sandbox/customers/bot: a MAX user presses Start ("start") or stops the bot
// ("stop"), which MAX reports to the hub as bot_started / bot_stopped.
func (s *Simulator) bot(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ConnectionID string `json:"connection_id"`
		From         struct {
			MaxUserID int64  `json:"max_user_id"`
			Name      string `json:"name"`
		} `json:"from"`
		Action string `json:"action"`
	}
	if err := decode(r, &in); err != nil {
		problem(w, http.StatusBadRequest, "bad_request", "body: "+err.Error())
		return
	}
	c, ok := s.connection(r.Context(), in.ConnectionID)
	if !ok || c.Kind != hub.KindMaxBot {
		problem(w, http.StatusNotFound, "not_found", "connection_id: not a sandbox MAX bot")
		return
	}
	u, err := maxUser(in.From.MaxUserID, in.From.Name)
	if err != nil {
		problem(w, http.StatusUnprocessableEntity, "invalid_user", err.Error())
		return
	}
	switch in.Action {
	case "start":
		err = s.Sandbox.MaxAPI.Start(messengers.MaxBotToken(c), u)
	case "stop":
		err = s.Sandbox.MaxAPI.Stop(messengers.MaxBotToken(c), u)
	default:
		problem(w, http.StatusUnprocessableEntity, "invalid_action", "action: start or stop")
		return
	}
	if err != nil {
		problem(w, http.StatusBadGateway, "send_failed", err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"action": in.Action})
}

func sample(kind string) (samples.File, bool) {
	f, err := samples.For(kind)
	return f, err == nil
}

// cart builds the order lines with the catalogue's prices.
func cart(in sendRequest) []graph.OrderLine {
	var lines []graph.OrderLine
	for _, it := range in.Items {
		for _, p := range samples.Catalog {
			if p.SKU == it.SKU && it.Quantity > 0 {
				lines = append(lines, graph.OrderLine{SKU: p.SKU, Quantity: it.Quantity, Price: p.Price, Currency: p.Currency})
			}
		}
	}
	if len(lines) == 0 {
		a, b := samples.Catalog[0], samples.Catalog[2]
		lines = []graph.OrderLine{{SKU: a.SKU, Quantity: 2, Price: a.Price, Currency: a.Currency},
			{SKU: b.SKU, Quantity: 1, Price: b.Price, Currency: b.Currency}}
	}
	return lines
}
