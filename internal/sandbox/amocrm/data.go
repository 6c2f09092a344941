package amocrm

// The sandbox CRM's accounts as they are before anyone touches them: `demo`, installed into the
// hub at first start, and `fresh`, left for the cabinet's install flow. Names, phones and deals
// are written the way real people and real CRMs have them (phones in many formats).

// Demo account's users, by role in the story.
const (
	DemoAdmin   int64 = 8100001 // Анна Смирнова: CRM admin, ru
	DemoOwnRU   int64 = 8100002 // Дмитрий Волков: contacts M, deals M, group Moscow, ru
	DemoGroupRU int64 = 8100003 // Ольга Кузнецова: contacts G, deals G, group Moscow, ru
	DemoES      int64 = 8100004 // Carlos Martínez: contacts G, deals M, group International, es
	DemoPT      int64 = 8100005 // João Pereira: contacts D, deals M, group International, pt
	DemoEN      int64 = 8100006 // Emily Carter: contacts M, deals G, group International, en
)

const (
	groupMoscow        = 101
	groupInternational = 102
	pipelineID         = 7001
)

// statuses of the pipeline, in order (142 and 143 are amoCRM's fixed won and lost).
var statuses = []struct {
	ID   int64
	Name string
}{{51001, "Первичный контакт"}, {51002, "Переговоры"}, {51003, "Принимают решение"}, {142, "Успешно реализовано"},
	{143, "Закрыто и не реализовано"}}

func phone(vs ...string) map[string][]value {
	f := map[string][]value{}
	for _, v := range vs {
		f["PHONE"] = append(f["PHONE"], value{Value: v, EnumCode: "MOB"})
	}
	return f
}

func withEmail(f map[string][]value, email string) map[string][]value {
	f["EMAIL"] = []value{{Value: email, EnumCode: "WORK"}}
	return f
}

// DemoAccountID is the demo account's id.
const DemoAccountID int64 = 31415926

func seedDemo() *account {
	return &account{
		ID: DemoAccountID, Code: "demo", Subdomain: "demo", Name: "Северный ветер", Country: "RU", NextID: 40000,
		Groups: []group{{groupMoscow, "Продажи Москва"}, {groupInternational, "International"}},
		Users: []user{
			{DemoAdmin, "Анна Смирнова", "anna.smirnova@severny-veter.example", "ru", groupMoscow, true, "A", "A"},
			{DemoOwnRU, "Дмитрий Волков", "d.volkov@severny-veter.example", "ru", groupMoscow, false, "M", "M"},
			{DemoGroupRU, "Ольга Кузнецова", "o.kuznetsova@severny-veter.example", "ru", groupMoscow, false, "G", "G"},
			{DemoES, "Carlos Martínez", "carlos.martinez@severny-veter.example", "es", groupInternational, false, "G", "M"},
			{DemoPT, "João Pereira", "joao.pereira@severny-veter.example", "pt", groupInternational, false, "D", "M"},
			{DemoEN, "Emily Carter", "emily.carter@severny-veter.example", "en", groupInternational, false, "M", "G"},
		},
		Contacts: []*contact{
			{ID: 20001, Name: "Иван Петров", ResponsibleUserID: DemoOwnRU, Fields: withEmail(phone("+7 (916) 123-45-67"), "ivan.petrov@mail.example")},
			{ID: 20002, Name: "Мария Соколова", ResponsibleUserID: DemoOwnRU, Fields: phone("8 903 555-12-34")},
			{ID: 20003, Name: "Сергей Морозов", ResponsibleUserID: DemoGroupRU, Fields: phone("89261234567")},
			{ID: 20004, Name: "Татьяна Лебедева", ResponsibleUserID: DemoGroupRU, Fields: withEmail(phone("+7 925 777 88 99"), "t.lebedeva@stroy.example")},
			{ID: 20005, Name: "Алексей Новиков", ResponsibleUserID: DemoAdmin, Fields: phone("7-985-321-00-11")},
			{ID: 20006, Name: "Lucía Fernández", ResponsibleUserID: DemoES, Fields: withEmail(phone("+34 612 345 678"), "lucia.fernandez@aceites.example")},
			{ID: 20007, Name: "Javier Gómez", ResponsibleUserID: DemoES, Fields: phone("0034 655 12 34 56")},
			{ID: 20008, Name: "Ana Beatriz Souza", ResponsibleUserID: DemoPT, Fields: phone("+55 (11) 98765-4321")},
			{ID: 20009, Name: "Michael Brown", ResponsibleUserID: DemoEN, Fields: withEmail(phone("+1 415-555-0134"), "m.brown@brownco.example")},
			{ID: 20010, Name: "Sarah Johnson", ResponsibleUserID: DemoEN, Fields: phone("+1 (212) 555-0199")},
			{ID: 20011, Name: "Павел Егоров", ResponsibleUserID: DemoAdmin, Fields: phone("8 (495) 987-65-43", "+7 916 4445566")},
			{ID: 20012, Name: "Екатерина Орлова", ResponsibleUserID: DemoOwnRU, Fields: phone("+79031112233")},
			{ID: 20013, Name: "Carmen Ruiz", ResponsibleUserID: DemoES, Fields: phone("+34 (612) 987-654")},
			{ID: 20014, Name: "Олег Степанов", ResponsibleUserID: DemoGroupRU, Fields: phone("8 916 000 11 22")},
		},
		Leads: []*lead{
			{ID: 30001, Name: "Поставка стеллажей для склада", Price: 480000, ResponsibleUserID: DemoOwnRU, StatusID: 51002, ContactIDs: []int64{20001}},
			{ID: 30002, Name: "Ремонт офиса на Тверской", Price: 1250000, ResponsibleUserID: DemoOwnRU, StatusID: 51001, ContactIDs: []int64{20002}},
			{ID: 30003, Name: "Подписка на сервис, 12 мес.", Price: 96000, ResponsibleUserID: DemoAdmin, StatusID: 51003, ContactIDs: []int64{20005}},
			{ID: 30004, Name: "Корпоративный заказ: 40 ноутбуков", Price: 3200000, ResponsibleUserID: DemoGroupRU, StatusID: 51002, ContactIDs: []int64{20003, 20004}},
			{ID: 30005, Name: "Pedido mayorista de aceite de oliva", Price: 18500, ResponsibleUserID: DemoES, StatusID: 51001, ContactIDs: []int64{20006}},
			{ID: 30006, Name: "Reforma de cocina", Price: 12400, ResponsibleUserID: DemoES, StatusID: 51002, ContactIDs: []int64{20007}},
			{ID: 30007, Name: "Importação de café especial", Price: 27000, ResponsibleUserID: DemoPT, StatusID: 51003, ContactIDs: []int64{20008}},
			{ID: 30008, Name: "Annual support contract", Price: 15000, ResponsibleUserID: DemoEN, StatusID: 51002, ContactIDs: []int64{20009}},
			{ID: 30009, Name: "Website redesign", Price: 9800, ResponsibleUserID: DemoEN, StatusID: 51001, ContactIDs: []int64{20010}},
			{ID: 30010, Name: "Аренда спецтехники на сезон", Price: 640000, ResponsibleUserID: DemoAdmin, StatusID: 142, ContactIDs: []int64{20011}},
			{ID: 30011, Name: "Доставка офисной мебели", Price: 215000, ResponsibleUserID: DemoGroupRU, StatusID: 51001, ContactIDs: []int64{20014}},
			{ID: 30012, Name: "Consultoria logística", Price: 7200, ResponsibleUserID: DemoPT, StatusID: 51002, ContactIDs: []int64{20013}},
			{ID: 30013, Name: "Повторная поставка стеллажей", Price: 150000, ResponsibleUserID: DemoOwnRU, StatusID: 51001, ContactIDs: []int64{20012}},
		},
	}
}

func seedFresh() *account {
	return &account{
		ID: 27182818, Code: "fresh", Subdomain: "fresh", Name: "Fresh Start Studio", Country: "ES", NextID: 60000,
		Groups: []group{{201, "Ventas"}},
		Users: []user{
			{9100001, "Marta Jiménez", "marta@freshstart.example", "es", 201, true, "A", "A"},
			{9100002, "Игорь Белов", "igor.belov@freshstart.example", "ru", 201, false, "M", "M"},
		},
		Contacts: []*contact{
			{ID: 50001, Name: "Pablo Herrera", ResponsibleUserID: 9100002, Fields: phone("+34 699 111 222")},
			{ID: 50002, Name: "Наталья Зайцева", ResponsibleUserID: 9100001, Fields: phone("+7 (921) 555-66-77")},
		},
		Leads: []*lead{
			{ID: 55001, Name: "Sesión de fotos de producto", Price: 1800, ResponsibleUserID: 9100002, StatusID: 51001, ContactIDs: []int64{50001}},
		},
	}
}
