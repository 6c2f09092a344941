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
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
)

// Restore tells the stand-ins about the numbers and bots made in this console and connected in
// the cabinet, as the hub keeps them (stand-ins of an older sandbox forgot them); conns talk to
// stand-ins, and their webhooks go to the hub serving those (messengers.HubOf).
func (c *Console) Restore(conns []hub.Connection) {
	for _, cn := range conns {
		switch cn.Kind {
		case hub.KindWABA:
			a := graph.Account{PhoneNumberID: cn.ExternalID, WABAID: cn.Settings[waba.SettingWABAID],
				DisplayPhone: cn.Settings[waba.SettingDisplayPhone], Token: cn.Secrets[waba.SecretAccessToken],
				AppSecret: cn.Secrets[waba.SecretAppSecret], HookURL: messengers.HubOf(cn) + "/hooks/waba/" + cn.ID, Console: true}
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
