// A cart (F16) as an order: items, quantities, prices and the total.
import { formatMoney, formatNumber, t } from "../i18n";
import type { Message } from "../types";

export function Order({ order }: { order: NonNullable<Message["order"]> }) {
  return (
    <table class="order">
      <caption>{t("app.order.title")}</caption>
      <thead>
        <tr><th>{t("app.order.item")}</th><th>{t("app.order.qty")}</th><th>{t("app.order.price")}</th></tr>
      </thead>
      <tbody>
        {order.items.map((it) => (
          <tr>
            <td>{it.name || it.sku}</td>
            <td class="num">{formatNumber(it.quantity)}</td>
            <td class="num">{formatMoney(Number(it.price) * it.quantity, it.currency || order.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr><th colSpan={2}>{t("app.order.total")}</th><td class="num total">{formatMoney(Number(order.total), order.currency)}</td></tr>
      </tfoot>
    </table>
  );
}
