package scale

// Names and phrases in the three languages the product speaks, so searches hit realistic text.
var (
	firstNames = []string{"Анна", "Иван", "Мария", "Дмитрий", "Ольга", "Сергей", "Екатерина", "Алексей",
		"Наталья", "Павел", "María", "José", "Lucía", "Carlos", "Sofía", "Javier", "Elena", "Diego",
		"Emma", "Oliver", "Charlotte", "James", "Amelia", "William", "Grace", "Henry"}
	lastNames = []string{"Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева",
		"Козлов", "Новикова", "Морозов", "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
		"Gómez", "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans"}
	phrases = []string{
		"Здравствуйте! Есть ли этот товар в наличии?",
		"Когда будет доставка?",
		"Спасибо, всё получили.",
		"Можно оплатить картой при получении?",
		"Пришлите, пожалуйста, счёт.",
		"Hola, ¿cuánto cuesta el envío?",
		"¿Tienen esta talla en azul?",
		"Perfecto, muchas gracias.",
		"Hi, is my order on its way?",
		"Could you send me the invoice, please?",
		"Thanks, that works for me.",
		"Добрый день, ваш заказ передан в доставку.",
		"Мы перезвоним вам в течение часа.",
		"Claro, le enviamos la factura hoy.",
		"Sure, I have updated the delivery address.",
	}
)
