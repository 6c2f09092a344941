// A cart (F16) as an order: items, quantities, unit prices, line totals and the total.
import { formatMoney, formatNumber, t } from "../i18n";
import type { Message } from "../types";

export function Order({ order }: { order: NonNullable<Message["order"]> }) {
  return (
    <table class="order">
      <caption>{t("app.order.title")}</caption>
      <thead>
        <tr><th>{t("app.order.item")}</th><th class="num">{t("app.order.qty")}</th><th class="num">{t("app.order.unit_price")}</th><th class="num">{t("app.order.price")}</th></tr>
      </thead>
      <tbody>
        {order.items.map((it) => {
          const currency = it.currency || order.currency;
          return (
            <tr>
              <td>{it.name || it.sku}</td>
              <td class="num">{formatNumber(it.quantity)}</td>
              <td class="num unit">{formatMoney(Number(it.price), currency)}</td>
              <td class="num line">{formatMoney(Number(it.price) * it.quantity, currency)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr><th colSpan={3}>{t("app.order.total")}</th><td class="num total">{formatMoney(Number(order.total), order.currency)}</td></tr>
      </tfoot>
    </table>
  );
}
