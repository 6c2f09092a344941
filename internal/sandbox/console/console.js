// The provider console page's behaviour (page.go has its markup and texts).
const post = async (path, body) => { const r = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body || {})}); return [r.ok, await r.json()]; };
const fill = (el, v) => { for (const dd of el.querySelectorAll("[data-f]")) dd.textContent = (dd.dataset.f === "username" ? "@" : "") + v[dd.dataset.f]; el.hidden = false; };
// ?pnid= comes back to a number made earlier, to set its webhook.
let pnid = new URLSearchParams(location.search).get("pnid") || "";
document.getElementById("hook").hidden = !pnid;
document.getElementById("new-number").onclick = async () => { const [, n] = await post("/sandbox/console/waba"); pnid = n.phone_number_id; fill(document.getElementById("number"), n); document.getElementById("hook").hidden = false; };
document.getElementById("new-bot").onclick = async () => { const [, b] = await post("/sandbox/console/telegram"); fill(document.getElementById("bot"), b); };
document.getElementById("new-max-bot").onclick = async () => { const [, b] = await post("/sandbox/console/max"); fill(document.getElementById("max-bot"), b); };
document.getElementById("reset-secret").onclick = async () => { const [, v] = await post("/sandbox/console/waba/" + pnid + "/app_secret"); document.getElementById("new-secret").textContent = v.app_secret; };
document.getElementById("hook").onsubmit = async (e) => { e.preventDefault(); const f = new FormData(e.target); const out = document.getElementById("hook-result");
  const [ok, v] = await post("/sandbox/console/waba/" + pnid + "/webhook", {callback_url: f.get("callback_url"), verify_token: f.get("verify_token")});
  out.className = ok ? "ok" : "err"; out.textContent = ok ? e.target.dataset.verified : v.error.message; };
