import { t } from "../i18n";
import { panel } from "../state";
import { Dialog } from "./Dialog";

// Confirm asks before an action that is hard to take back.
export function Confirm({ text, ok, onOk }: { text: string; ok: string; onOk: () => void }) {
  return (
    <Dialog title={ok} onClose={() => { panel.value = null; }}>
      <p>{text}</p>
      <div class="actions">
        <button type="button" class="btn" onClick={() => { panel.value = null; }}>{t("app.cancel")}</button>
        <button type="button" class="btn danger" onClick={onOk}>{ok}</button>
      </div>
    </Dialog>
  );
}
