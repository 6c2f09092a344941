package customers

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// person is a customer the page offers to play. Phones are written the ways people write them.
type person struct {
	Name             string `json:"name"`
	Phone            string `json:"phone,omitempty"`
	TelegramUserID   int64  `json:"telegram_user_id,omitempty"`
	TelegramUsername string `json:"telegram_username,omitempty"`
	MaxUserID        int64  `json:"max_user_id,omitempty"`
}

// cast are the demo's customers (internal/sandbox/demo), so a person can carry on their
// conversations, plus a CRM contact who has never written (their first message links to it,
// F31a) and someone the CRM has never heard of (a CRM contact is made for them).
var cast = []person{
	{Name: "Екатерина Орлова", Phone: "+7 903 111-22-33"},
	{Name: "Иван Петров", Phone: "+7 (916) 123-45-67"},
	{Name: "Lucía Fernández", Phone: "+34 612 345 678"},
	{Name: "Сергей Морозов", Phone: "8 926 123-45-67"},
	{Name: "Татьяна Лебедева", Phone: "+7 925 777 88 99", TelegramUserID: 512340201, TelegramUsername: "t_lebedeva", MaxUserID: 91000201},
	{Name: "Javier Gómez", TelegramUserID: 512340202, TelegramUsername: "javi_gomez"},
	{Name: "Sarah Johnson", TelegramUserID: 512340203, TelegramUsername: "sarahj_design"},
	{Name: "Michael Brown", Phone: "+1 415-555-0134"},
	{Name: "Ольга Смирнова", MaxUserID: 91000202},
	{Name: "Дмитрий Волков", Phone: "+7 912 345-67-01", MaxUserID: 91000203},
	{Name: "Кирилл Белов", Phone: "+7 916 700-80-90", TelegramUserID: 512340299, TelegramUsername: "kirill_belov"},
}

func (s *Simulator) people(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"items": cast})
}

// texts is the page's text in the asked language: every sandbox.* key of the catalogue.
func (s *Simulator) texts(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Lang(r.URL.Query().Get("lang"))
	out := map[string]string{}
	for _, k := range i18n.Keys("en") {
		if len(k) > 8 && k[:8] == "sandbox." {
			out[k] = i18n.T(lang, k)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"lang": lang, "texts": out})
}
