// The customer simulator: plays a customer against the sandbox's messenger stand-ins.
"use strict";
const $ = (id) => document.getElementById(id);
let T = {}, conns = [], people = [], replyTo = null, readSent = new Set();

const t = (k) => T[k] || k;
async function api(path, body) {
  const r = await fetch(path, body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {});
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((j.error && j.error.message) || r.status);
  return j;
}

async function loadTexts(lang) {
  T = (await api("texts?lang=" + lang)).texts;
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  $("text").placeholder = t("sandbox.customers.placeholder");
  document.documentElement.lang = lang;
}

const conn = () => conns.find((c) => c.id === $("conn").value);
const isTelegram = () => conn() && conn().kind === "telegram_bot";
const isMax = () => conn() && conn().kind === "max_bot";

function conversationQuery() {
  const c = conn();
  if (!c) return null;
  if (isTelegram() || isMax()) {
    const chat = $("group").checked ? String(c.group_chat_id) : (isMax() ? $("maxid") : $("tgid")).value.trim();
    return chat ? "connection_id=" + c.id + "&chat=" + encodeURIComponent(chat) : null;
  }
  const phone = $("phone").value.trim();
  return phone ? "connection_id=" + c.id + "&phone=" + encodeURIComponent(phone) : null;
}

function tick(status) {
  const s = document.createElement("span");
  s.className = "tick " + status;
  s.textContent = { accepted: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" }[status] || "";
  s.title = t("sandbox.customers.status_" + status);
  return s;
}

function bubble(m, mine) {
  const el = document.createElement("div");
  el.className = "msg" + (mine ? " mine" : "");
  if (m.reply_to) {
    const q = document.createElement("div");
    q.className = "quote";
    q.textContent = t("sandbox.customers.quote");
    el.appendChild(q);
  }
  const body = document.createElement("div");
  const kind = m.template ? t("sandbox.customers.template") + " " + m.template : (m.type !== "text" ? "[" + t("sandbox.customers.type_" + (m.type === "document" ? "file" : m.type)) + "] " : "");
  body.textContent = kind + (m.text || "");
  el.appendChild(body);
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.appendChild(document.createTextNode(new Date(m.created_at).toLocaleTimeString(document.documentElement.lang)));
  if (!mine) {
    const tk = tick(m.status);
    if (m.error) tk.title += ": " + m.error;
    meta.appendChild(tk);
    const rb = document.createElement("button");
    rb.className = "link"; rb.type = "button"; rb.textContent = t("sandbox.customers.reply");
    rb.onclick = () => { replyTo = m.external_id; $("replytext").textContent = m.text || m.type; $("replying").style.display = "block"; };
    meta.appendChild(rb);
  } else {
    const rd = document.createElement("button");
    rd.className = "link"; rd.type = "button"; rd.textContent = t("sandbox.customers.redeliver");
    rd.onclick = () => api("redeliver", { external_id: m.external_id }).then(() => status(t("sandbox.customers.redelivered"))).catch((e) => status(e.message));
    meta.appendChild(rd);
  }
  el.appendChild(meta);
  if (m.business_reaction) {
    // The business's reaction on the customer's message, as their phone shows it.
    const r = document.createElement("span");
    r.className = "reaction";
    r.dataset.businessReaction = m.business_reaction;
    r.title = t("sandbox.customers.business_reaction");
    r.textContent = m.business_reaction;
    el.appendChild(r);
  }
  return el;
}

function status(text) { $("status").textContent = text; }

async function refresh() {
  const q = conversationQuery();
  const log = $("log");
  if (!q) { log.textContent = t("sandbox.customers.pick"); return; }
  const [inb, outb] = await Promise.all([api("inbox?" + q), api("outbox?" + q)]);
  const all = inb.items.map((m) => [m, true]).concat(outb.items.map((m) => [m, false]));
  all.sort((a, b) => new Date(a[0].created_at) - new Date(b[0].created_at));
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...all.map(([m, mine]) => bubble(m, mine)));
  if (stick) log.scrollTop = log.scrollHeight;
  // The customer has now seen these: WhatsApp reports them read.
  const unread = outb.items.filter((m) => m.status === "delivered" && !readSent.has(m.external_id)).map((m) => m.external_id);
  if (unread.length && !isTelegram() && !isMax()) {
    unread.forEach((id) => readSent.add(id));
    api("read", { connection_id: conn().id, external_ids: unread }).catch(() => {});
  }
}

function fillPerson() {
  const p = people[$("person").value] || {};
  $("name").value = p.name || "";
  $("phone").value = p.phone || "";
  $("tgid").value = p.telegram_user_id || "";
  $("tguser").value = p.telegram_username || "";
  $("maxid").value = p.max_user_id || "";
  refresh().catch((e) => status(e.message));
}

$("composer").onsubmit = async (ev) => {
  ev.preventDefault();
  const c = conn();
  if (!c) return;
  const body = { connection_id: c.id, type: $("type").value, text: $("text").value,
    from: { name: $("name").value } };
  if (isMax()) {
    body.from.max_user_id = parseInt($("maxid").value, 10) || 0;
    body.group = $("group").checked;
  } else if (isTelegram()) {
    body.from.telegram_user_id = parseInt($("tgid").value, 10) || 0;
    body.from.telegram_username = $("tguser").value;
    body.group = $("group").checked;
  } else {
    body.from.phone = $("phone").value;
  }
  if (replyTo) body.reply_to_external_id = replyTo;
  try {
    await api("send", body);
    $("text").value = ""; replyTo = null; $("replying").style.display = "none"; status("");
    await refresh();
  } catch (e) { status(e.message); }
};
// A MAX user presses Start or stops the bot (bot_started / bot_stopped reach the hub).
const botAction = (action) => api("bot", { connection_id: conn().id, action,
  from: { max_user_id: parseInt($("maxid").value, 10) || 0, name: $("name").value } })
  .then(() => status(t("sandbox.customers.max_" + action))).catch((e) => status(e.message));
$("maxstart").onclick = () => botAction("start");
$("maxstop").onclick = () => botAction("stop");
const showMax = () => { $("maxbot").style.display = isMax() ? "" : "none"; };
$("cancelreply").onclick = () => { replyTo = null; $("replying").style.display = "none"; };
$("person").onchange = fillPerson;
$("conn").onchange = () => { showMax(); refresh().catch((e) => status(e.message)); };
$("group").onchange = () => refresh().catch((e) => status(e.message));
$("lang").onchange = () => loadTexts($("lang").value).then(refresh);

(async () => {
  const lang = (new URLSearchParams(location.search).get("lang") || navigator.language || "en").slice(0, 2);
  $("lang").value = ["ru", "es"].includes(lang) ? lang : "en";
  await loadTexts($("lang").value);
  conns = (await api("connections")).items;
  $("conn").replaceChildren(...conns.map((c) => new Option(c.name, c.id)));
  people = (await api("people")).items;
  $("person").replaceChildren(...people.map((p, i) => new Option(p.name, i)));
  fillPerson();
  showMax();
  setInterval(() => refresh().catch(() => {}), 1500);
})().catch((e) => status(e.message));
