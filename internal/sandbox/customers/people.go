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
}

var cast = []person{
	{Name: "Анна Смирнова", Phone: "8 (916) 234-56-78", TelegramUserID: 512340001, TelegramUsername: "anna_smirnova"},
	{Name: "Игорь Петров", Phone: "+7 903 555 12 34"},
	{Name: "Lucía Fernández", Phone: "+34 612 48 93 10", TelegramUserID: 512340002, TelegramUsername: "lucia_fdz"},
	{Name: "Michael O'Connor", Phone: "+1 (415) 555-0132"},
	{Name: "Ольга Кузнецова-Водкина", TelegramUserID: 512340003, TelegramUsername: "olga_kv"},
	{Name: "Javier Ruiz", TelegramUserID: 512340004},
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
