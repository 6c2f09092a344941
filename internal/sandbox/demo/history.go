package demo

import (
	"strconv"
	"strings"
	"time"
)

// A long-standing customer: months of equipment rentals, enough history to scroll back through.
var (
	rentalAsks = []string{
		"Добрый день! Нужен экскаватор-погрузчик на {n} дней, объект в Мытищах.",
		"Можно продлить аренду автокрана ещё на {n} дня?",
		"Подскажите стоимость доставки трала до объекта в Химках.",
		"Оператор нужен свой или ваш? Работаем с 8 утра, смена {n} часов.",
		"Закройте, пожалуйста, акт за прошлую неделю.",
		"Техника приехала, всё в порядке 👍",
		"Нужен мини-погрузчик с вилами, {n} смены.",
	}
	rentalAnswers = []string{
		"Павел, добрый день! Экскаватор свободен, ставка 3 200 ₽/час с оператором.",
		"Продлили, обновлённый счёт пришлю сегодня.",
		"Доставка трала — 18 000 ₽ в одну сторону.",
		"Оператор наш, смена до {n} часов без доплаты.",
		"Акт подписали и отправили по ЭДО.",
		"Отлично, хорошей работы!",
		"Мини-погрузчик забронировали, подтвердите адрес, пожалуйста.",
	}
)

// longHistory is forty days of a regular customer's messages, about ten a day, answered.
func longHistory() conversation {
	c := conversation{via: "sales", crmContactID: 20011, name: "Павел Егоров", phone: "+74959876543"}
	const days, perDay = 40, 5
	for d := days; d >= 1; d-- {
		for k := 0; k < perDay; k++ {
			i := (d*perDay + k) % len(rentalAsks)
			n := 2 + (d+k)%6
			at := time.Duration(d)*day - time.Duration(k)*90*minute
			c.lines = append(c.lines,
				in(at, fill(rentalAsks[i], n)),
				out(at-7*minute, admin, "read", fill(rentalAnswers[i], 8+n)))
		}
	}
	return c
}

func fill(s string, n int) string { return strings.Replace(s, "{n}", strconv.Itoa(n), 1) }
