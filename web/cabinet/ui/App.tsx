// The cabinet's frame: the sign-in page, or the admin's header, tabs and the open section.
import { t } from "../../app/i18n";
import { cabinet } from "../api";
import { booting, me, notice, run, tab, type Tab } from "../state";
import { Blacklist } from "./Blacklist";
import { Connections } from "./Connections";
import { CRMChats } from "./CRMChats";
import { Employees } from "./Employees";
import { Audit } from "./Audit";
import { Overview } from "./Overview";
import { QuickReplies } from "./QuickReplies";

const tabs: Tab[] = ["overview", "connections", "crmchats", "quick", "blacklist", "employees", "audit"];

export function App() {
  if (booting.value) return <div class="cab-boot muted">{t("cabinet.loading")}</div>;
  return (
    <div class="cab">
      <header class="cab-head">
        <strong class="cab-brand">{t("cabinet.title")}</strong>
        {me.value && <>
          <span class="muted">{me.value.workspace.name}</span>
          <span class="grow" />
          <span class="muted small" data-testid="admin-name">{me.value.employee.name}</span>
          <button type="button" class="btn small" onClick={signOut}>{t("cabinet.sign_out")}</button>
        </>}
      </header>
      {notice.value && (
        <div class={"cab-notice " + notice.value.kind} role={notice.value.kind === "error" ? "alert" : "status"}>
          <span class="grow">{notice.value.text}</span>
          <button type="button" class="icon-btn" aria-label={t("cabinet.dismiss")} onClick={() => { notice.value = null; }}>×</button>
        </div>
      )}
      {me.value ? <Signed /> : <SignIn />}
    </div>
  );
}

async function signOut() {
  await run(() => cabinet.signOut());
  me.value = null;
}

function SignIn() {
  return (
    <main class="cab-signin">
      <h1>{t("cabinet.signin.title")}</h1>
      <p>{t("cabinet.signin.text")}</p>
      <a class="btn primary big" href={cabinet.installURL} data-testid="connect-amocrm">{t("cabinet.signin.connect")}</a>
      <p class="muted small">{t("cabinet.signin.from_widget")}</p>
    </main>
  );
}

function Signed() {
  return (
    <div class="cab-body">
      <nav class="cab-tabs" role="tablist">
        {tabs.map((name) => (
          <button type="button" role="tab" aria-selected={tab.value === name} class={tab.value === name ? "on" : ""}
            data-tab={name} onClick={() => { tab.value = name; notice.value = null; }}>
            {t("cabinet.tab." + name)}
          </button>
        ))}
      </nav>
      <main class="cab-main">
        {tab.value === "overview" && <Overview />}
        {tab.value === "connections" && <Connections />}
        {tab.value === "crmchats" && <CRMChats />}
        {tab.value === "quick" && <QuickReplies />}
        {tab.value === "blacklist" && <Blacklist />}
        {tab.value === "employees" && <Employees />}
        {tab.value === "audit" && <Audit />}
      </main>
    </div>
  );
}
