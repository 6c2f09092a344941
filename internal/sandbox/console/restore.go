package console

import (
	"fmt"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
)

// Restore tells the stand-ins about the numbers and bots made in this console and connected in
// the cabinet, as the hub keeps them (a hub that kept no stand-in state, or one whose stand-ins
// forgot them); conns are connections that talk to the stand-ins of the hub at hubURL.
func (c *Console) Restore(hubURL string, conns []hub.Connection) {
	for _, cn := range conns {
		switch cn.Kind {
		case hub.KindWABA:
			a := graph.Account{PhoneNumberID: cn.ExternalID, WABAID: cn.Settings[waba.SettingWABAID],
				DisplayPhone: cn.Settings[waba.SettingDisplayPhone], Token: cn.Secrets[waba.SecretAccessToken],
				AppSecret: cn.Secrets[waba.SecretAppSecret], HookURL: hubURL + "/hooks/waba/" + cn.ID, Console: true}
			c.Graph.Register(a)
		case hub.KindTelegramBot:
			var id int64
			fmt.Sscan(cn.ExternalID, &id)
			c.BotAPI.Register(botapi.Bot{ID: id, Username: cn.Settings[telegram.SettingUsername], Name: "Sandbox bot",
				Token: cn.Secrets[telegram.SecretBotToken]})
		case hub.KindMaxBot:
			var id int64
			fmt.Sscan(cn.ExternalID, &id)
			c.MaxAPI.Register(maxapi.Bot{ID: id, Username: cn.Settings[maxbot.SettingUsername], Name: "Sandbox MAX bot",
				Token: cn.Secrets[maxbot.SecretBotToken]})
		}
	}
}
