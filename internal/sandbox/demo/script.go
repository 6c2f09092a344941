package demo

import "time"

// The demo's people and conversations. CRM contact ids and users are the sandbox CRM's
// (internal/sandbox/amocrm/data.go); phones are the customers' WhatsApp numbers in E.164.
// Times are before the first start of the sandbox.

// line is one message of a conversation.
type line struct {
	ago      time.Duration
	in       bool
	author   int64  // CRM user id of an outgoing message's employee
	from     string // sender's name in a group chat
	text     string
	media    string // sample kind: image, voice, video, file
	fileName string
	order    []orderLine
	template *tmpl
	status   string // outgoing: sent, delivered, read, failed
	failCode string // i18n error code of a failed message
	replyTo  int    // 1-based index of the quoted line in the same conversation
	reaction string // the customer's emoji on this (outgoing) message
}

type orderLine struct {
	sku string
	qty int
}

type tmpl struct {
	name, lang string
	params     []string
}

// conversation is one chat of the demo.
type conversation struct {
	via          string // sales, support (WABA numbers), telegram or max
	crmContactID int64  // 0: not in the CRM (admins only)
	name         string
	phone        string // E.164, WhatsApp
	tgID         int64
	tgUsername   string
	maxID        int64 // MAX user id, for via max
	stopped      bool  // MAX: the customer stopped the bot
	blocked      bool
	refused      []string // messages that arrive after the block
	lines        []line
}

const (
	admin   = 8100001 // Анна Смирнова
	volkov  = 8100002 // Дмитрий Волков (contacts M)
	olga    = 8100003 // Ольга Кузнецова (contacts G)
	carlos  = 8100004 // Carlos Martínez (es)
	joao    = 8100005 // João Pereira (pt)
	emily   = 8100006 // Emily Carter (en)
	day     = 24 * time.Hour
	hour    = time.Hour
	minute  = time.Minute
	inbound = true
)

func in(ago time.Duration, text string) line { return line{ago: ago, in: inbound, text: text} }

func out(ago time.Duration, author int64, status, text string) line {
	return line{ago: ago, author: author, status: status, text: text}
}

var conversations = []conversation{
	{via: "sales", crmContactID: 20001, name: "Иван Петров", phone: "+79161234567", lines: []line{
		in(2*day+3*hour, "Добрый день! Видел у вас стеллажи для склада. Интересуют металлические, высота 2,5 м."),
		out(2*day+2*hour+50*minute, volkov, "read", "Здравствуйте, Иван! Да, есть оцинкованные, до 300 кг на полку. Сколько секций нужно?"),
		in(2*day+2*hour, "Секций 12. И посчитайте, пожалуйста, доставку до Подольска."),
		{ago: 2*day + hour, author: volkov, status: "read", media: "file", fileName: "КП стеллажи Подольск.pdf",
			text: "Выслал коммерческое предложение с доставкой."},
		in(day, "Спасибо, согласовываю с директором 👍"),
		{ago: 25 * minute, in: inbound, media: "image", fileName: "склад.png", text: "Вот так сейчас выглядит наш склад — поместится?"},
		in(24*minute, "И ещё: можно оплатить по счёту с отсрочкой 14 дней?"),
	}},
	{via: "sales", crmContactID: 20002, name: "Мария Соколова", phone: "+79035551234", lines: []line{
		in(4*day, "Здравствуйте! Когда сможете привезти материалы на Тверскую?"),
		out(4*day-10*minute, volkov, "read", "Мария, добрый день! Можем в четверг с 10 до 13. Подходит?"),
		in(3*day+20*hour, "Да, четверг подходит, спасибо."),
		out(3*day+19*hour, volkov, "read", "Записал. Накануне напомним."),
		{ago: 2 * day, author: volkov, status: "delivered", template: &tmpl{"delivery_update", "ru", []string{"в четверг", "10:00 до 13:00"}}},
	}},
	{via: "sales", crmContactID: 20003, name: "Сергей Морозов", phone: "+79261234567", lines: []line{
		in(3*hour, "Ольга, здравствуйте. По ноутбукам: нужна конфигурация с 16 ГБ памяти и SSD от 512 ГБ."),
		out(2*hour+50*minute, olga, "delivered", "Добрый день, Сергей! Подберу варианты и пришлю до вечера."),
		{ago: 40 * minute, in: inbound, media: "voice"},
	}},
	{via: "sales", crmContactID: 20004, name: "Татьяна Лебедева", phone: "+79257778899", lines: []line{
		in(2*day+hour, "Добрый день, это бухгалтерия. Пришлите, пожалуйста, счёт на предоплату по ноутбукам."),
		{ago: 2 * day, author: olga, status: "read", media: "file", fileName: "Счёт 118 от 23.11.pdf", text: "Татьяна, счёт во вложении."},
		in(2*day-5*minute, "Получила, спасибо!"),
	}},
	{via: "telegram", crmContactID: 20004, name: "Татьяна Лебедева", tgID: 512340201, tgUsername: "t_lebedeva", lines: []line{
		in(5*hour, "Ольга, мне тут удобнее писать 🙂 Счёт оплатили, платёжка во вложении."),
		{ago: 5*hour - minute, in: inbound, media: "file", fileName: "Платёжное поручение 2291.pdf"},
		out(4*hour, olga, "sent", "Спасибо, Татьяна! Оплату видим, отгрузка в пятницу."),
	}},
	// Татьяна on her third messenger: one CRM contact, three chats (F12). MAX gives bots no
	// receipts, so answers there stay "sent".
	{via: "max", crmContactID: 20004, name: "Татьяна Лебедева", maxID: 91000201, lines: []line{
		in(3*hour, "Ольга, добрый день! Теперь пишу из MAX — сюда тоже можно?"),
		out(2*hour+50*minute, olga, "sent", "Да, Татьяна, отвечаем и здесь 🙂"),
		{ago: 2 * hour, in: inbound, media: "file", fileName: "Акт сверки ноябрь.pdf", text: "Акт сверки за ноябрь"},
	}},
	{via: "max", name: "Ольга Смирнова", maxID: 91000202, lines: []line{
		{ago: 35 * minute, in: inbound, media: "image", fileName: "диван.png", text: "Здравствуйте! Нашла вас в MAX. Есть такой диван в сером?"},
		{ago: 30 * minute, in: inbound, media: "voice"},
	}},
	{via: "max", crmContactID: 20003, name: "Сергей Морозов", maxID: 91000203, stopped: true, lines: []line{
		in(day+2*hour, "Пришлите, пожалуйста, счёт ещё и сюда."),
		{ago: day + hour, author: olga, status: "sent", media: "file", fileName: "Счёт 121.pdf"},
	}},
	{via: "sales", crmContactID: 20006, name: "Lucía Fernández", phone: "+34612345678", lines: []line{
		in(day+20*minute, "Hola, buenos días. ¿Hacen envíos a Valencia?"),
		out(day+15*minute, carlos, "read", "¡Hola, Lucía! Sí, enviamos a toda España en 3–5 días laborables."),
		{ago: 50 * minute, in: inbound, text: "Quiero hacer este pedido",
			order: []orderLine{{"tea-sencha-100", 4}, {"cup-porcelain", 6}, {"honey-linden", 2}}},
		in(49*minute, "¿Me confirman el total con envío, por favor?"),
	}},
	{via: "telegram", crmContactID: 20007, name: "Javier Gómez", tgID: 512340202, tgUsername: "javi_gomez", lines: []line{
		{ago: 6 * hour, in: inbound, media: "video", text: "Así quedó la cocina 😍"},
		{ago: 5 * hour, author: carlos, status: "sent", text: "¡Qué bien quedó! Gracias por el vídeo, Javier.", reaction: "❤️"},
	}},
	{via: "sales", crmContactID: 20008, name: "Ana Beatriz Souza", phone: "+5511987654321", lines: []line{
		in(2*day+30*minute, "Olá! Vocês têm café especial em grãos para exportação?"),
		out(2*day+20*minute, joao, "read", "Olá, Ana! Temos sim. Envio a tabela de preços em seguida."),
		{ago: 2*day + 19*minute, author: joao, status: "read", media: "file", fileName: "Tabela de preços 2026.pdf", reaction: "👍"},
		{ago: day + 22*hour, in: inbound, text: "Perfeito, obrigada! Vou analisar com a equipe.", replyTo: 3},
	}},
	{via: "support", crmContactID: 20009, name: "Michael Brown", phone: "+14155550134", lines: []line{
		in(3*hour, "Hi, our support contract renews next month — could you send a quote?"),
		out(2*hour, emily, "read", "Hi Michael, sure — I'll send the quote today."),
		in(hour, "Thanks! Could you also add two more seats to it?"),
	}},
	{via: "telegram", crmContactID: 20010, name: "Sarah Johnson", tgID: 512340203, tgUsername: "sarahj_design", lines: []line{
		in(day+hour, "Hello! Is the website redesign still on track for Friday?"),
		{ago: day + 50*minute, author: emily, status: "sent", text: "Hi Sarah! Yes, we're on track — preview link tomorrow.", reaction: "👍"},
		{ago: day + 40*minute, in: inbound, text: "Great, thanks!", replyTo: 2},
	}},
	{via: "sales", crmContactID: 20014, name: "Олег Степанов", phone: "+79165550000", lines: []line{
		{ago: 3 * hour, author: olga, status: "failed", failCode: "not_on_whatsapp",
			template: &tmpl{"delivery_update", "ru", []string{"завтра", "9:00"}}},
	}},
	{via: "sales", name: "Быстрые займы 24/7", phone: "+79991230001", blocked: true,
		refused: []string{"Последний шанс! Ставка 0% только сегодня", "Вам одобрено 500 000 ₽", "Перезвоните нам срочно!"},
		lines: []line{
			in(3*day, "Одобрим кредит за 5 минут без справок! Пишите «ДА»"),
			in(2*day, "Напоминаем: ваша заявка ждёт подтверждения"),
		}},
}

// group is the Telegram group the bot is in (admins only, full page only).
var groupLines = []line{
	{ago: 5 * hour, in: inbound, from: "Сергей Морозов", text: "Коллеги, когда ждать новый прайс на чай?"},
	{ago: 4*hour + 30*minute, author: admin, status: "sent", text: "Добрый день! Прайс выложим в понедельник."},
	{ago: 2 * hour, in: inbound, from: "Javier Gómez", text: "¿Habrá también descuentos para pedidos grandes?"},
	{ago: 90 * minute, in: inbound, from: "Никита Белов", text: "Присоединяюсь к вопросу про скидки от 50 кг."},
}

// quickReplies are the workspace's own templates (F14), each in its language but one for any.
var quickReplies = []struct{ name, language, body string }{
	{"Приветствие", "ru", "Здравствуйте! Меня зовут {{1}}, я ваш менеджер. Чем могу помочь?"},
	{"Реквизиты", "ru", "Реквизиты для оплаты пришлём в течение часа. Спасибо, что выбрали «Северный ветер»!"},
	{"Saludo", "es", "¡Hola! Gracias por escribirnos. ¿En qué podemos ayudarle?"},
	{"Greeting", "en", "Hi! Thanks for reaching out — how can we help?"},
	{"Сайт · Website · Sitio", "", "https://severny-veter.example/catalog"},
}
