package samples

// Product is an item of the sandbox shop's WhatsApp catalogue.
type Product struct {
	SKU, Name, Price, Currency string
}

// Catalog is the sandbox shop: what customers put in carts, with names the webhook lacks.
var Catalog = []Product{
	{"tea-sencha-100", "Сенча, зелёный чай, 100 г", "7.90", "EUR"},
	{"tea-assam-250", "Ассам TGFOP, 250 г", "12.50", "EUR"},
	{"cup-porcelain", "Чашка фарфоровая 250 мл", "9.99", "EUR"},
	{"kettle-glass", "Чайник стеклянный 1 л", "24.00", "EUR"},
	{"honey-linden", "Мёд липовый 300 г", "6.45", "EUR"},
}

// ProductName names a SKU of the catalogue ("" when unknown).
func ProductName(sku string) string {
	for _, p := range Catalog {
		if p.SKU == sku {
			return p.Name
		}
	}
	return ""
}
