// The dashboard's behaviour, written for this project (no libraries): the advice page's weight
// sliders over POST /api/advise, and registering a case over POST /api/cases with the token.
// Everything works with the keyboard; status messages are announced (aria-live).
"use strict";

const nl = (digits) => new Intl.NumberFormat("nl-NL", { minimumFractionDigits: digits, maximumFractionDigits: digits });

// A problem+json answer as one line per located problem.
function problemText(p) {
  const lines = [p.detail || p.title || "fout"];
  for (const d of p.problems || []) {
    const at = d.line ? `${d.file}:${d.line}:${d.column}` : d.file;
    lines.push(`${at}: ${d.message}${d.expected ? " (verwacht: " + d.expected + ")" : ""}`);
  }
  return lines.join("\n");
}

async function postJson(url, body, signal, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers["Authorization"] = "Bearer " + token;
  const r = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal });
  const data = await r.json().catch(() => ({ detail: r.statusText }));
  if (!r.ok) throw new Error(problemText(data));
  return data;
}

async function exampleText(name) {
  const r = await fetch("/voorbeelden/" + name);
  if (!r.ok) throw new Error("voorbeeld niet gevonden: " + name);
  return r.text();
}

function advisePage() {
  const table = document.querySelector("#ranking tbody");
  if (!table) return;
  const status = document.getElementById("advise-status");
  const caseText = document.getElementById("advise-case");
  const example = document.getElementById("advise-example");
  const sliders = [...document.querySelectorAll("#sliders input[type=range]")];
  const conclusion = document.getElementById("advise-conclusion");
  let ranking = null, robust = null, generation = 0, timer = null, initial = null, own = true;

  const setStatus = (text, busy) => { status.textContent = text; status.classList.toggle("busy", !!busy); };
  const weights = () => own ? {} : Object.fromEntries(sliders.map((s) => [s.dataset.criterion, Number(s.value)]));

  function render(advice, acceptability) {
    table.replaceChildren();
    for (const r of advice.ranking) {
      const tr = document.createElement("tr");
      tr.dataset.code = r.location;
      const first = acceptability ? acceptability.get(r.location) : undefined;
      const cells = [String(r.rank), r.name, r.province_name, nl(3).format(r.score),
        acceptability ? nl(1).format((first || 0) * 100) + "%" : "…"];
      cells.forEach((c, i) => { const td = document.createElement("td"); td.textContent = c; if (i === 0 || i >= 3) td.className = "n"; tr.appendChild(td); });
      table.appendChild(tr);
    }
    conclusion.textContent = advice.conclusion ? `Advies: ${advice.conclusion.name} (${advice.conclusion.province_name}).` : "Geen haalbare locatie.";
  }

  function setSliders(advice) {
    for (const s of sliders) {
      const w = advice.weights.find((x) => x.criterion === s.dataset.criterion);
      s.value = Math.round((w ? w.weight : 0) * 100);
      document.getElementById("o-" + s.dataset.criterion).value = s.value;
    }
  }

  async function update() {
    const mine = ++generation;
    const body = { case: caseText.value, weights: weights(), top: 15 };
    setStatus("Rangorde wordt berekend…", true);
    try {
      const advice = await postJson("/api/advise", { ...body, robustness: false });
      if (mine !== generation) return;
      ranking = advice;
      if (own) { initial = advice; setSliders(advice); }
      render(advice, null);
      setStatus("Rangorde bijgewerkt; robuustheid wordt berekend…", true);
      const full = await postJson("/api/advise", { ...body, robustness: true });
      if (mine !== generation) return;
      robust = new Map((full.robustness ? full.robustness.rank_acceptability : []).map((a) => [a.location, a.ranks[0]]));
      render(full, robust);
      setStatus(full.robustness ? `Rangorde en robuustheid bijgewerkt (${nl(0).format(full.robustness.samples)} trekkingen).` : "Rangorde bijgewerkt.", false);
    } catch (e) {
      if (mine === generation) setStatus("Fout: " + e.message, false);
    }
  }

  const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 80); };
  for (const s of sliders) {
    s.addEventListener("input", () => { own = false; document.getElementById("o-" + s.dataset.criterion).value = s.value; schedule(); });
  }
  caseText.addEventListener("input", () => { own = true; schedule(); });
  document.getElementById("reset").addEventListener("click", () => { own = true; update(); });
  async function load() {
    try { caseText.value = await exampleText(example.value); own = true; update(); }
    catch (e) { setStatus("Fout: " + e.message, false); }
  }
  example.addEventListener("change", load);
  load();
}

function casesPage() {
  const form = document.getElementById("zaak-form");
  if (!form) return;
  const status = document.getElementById("zaak-status");
  const example = document.getElementById("example");
  example.addEventListener("change", async () => {
    if (!example.value) return;
    try { document.getElementById("case").value = await exampleText(example.value); }
    catch (e) { status.textContent = "Fout: " + e.message; }
  });
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("locatieadvies-token") || "";
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("locatieadvies-token", token.value);
    const body = { number: form.number.value.trim(), received: form.received.value, case: form.case.value };
    status.textContent = "Bezig met registreren…";
    try {
      const c = await postJson("/api/cases", body, undefined, token.value);
      const tbody = document.querySelector("#zaken tbody");
      if (tbody.querySelector("td[colspan]")) tbody.replaceChildren();
      const tr = document.createElement("tr");
      const kinds = { new: "nieuw", growth: "groei", shrink: "krimp", relocation: "verplaatsing" };
      const cells = [c.number, c.title, c.ministry, kinds[c.kind] || c.kind, nl(0).format(c.fte), c.received, c.status, ""];
      cells.forEach((text, i) => {
        const td = document.createElement("td");
        if (i === 0) { const a = document.createElement("a"); a.href = "/zaken/" + encodeURIComponent(c.number); a.textContent = text; td.appendChild(a); }
        else td.textContent = text;
        if (i === 4) td.className = "n";
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
      status.textContent = `Zaak ${c.number} is geregistreerd (${c.status}).`;
    } catch (e) {
      status.textContent = "Niet geregistreerd: " + e.message;
    }
  });
}

function casePage() {
  const form = document.getElementById("zaak-acties");
  if (!form) return;
  const status = document.getElementById("acties-status");
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("locatieadvies-token") || "";
  const number = encodeURIComponent(form.dataset.number);
  const bodies = {
    start: () => ({}),
    advise: () => ({}),
    decision: () => ({
      date: document.getElementById("decision-date").value,
      decision: document.getElementById("decision").value,
      followed: document.getElementById("followed-yes").checked,
      motivation: document.getElementById("motivation").value || null,
    }),
  };
  for (const button of form.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", async () => {
      const action = button.dataset.action;
      sessionStorage.setItem("locatieadvies-token", token.value);
      status.textContent = action === "advise" ? "Het advies wordt opgesteld…" : "Bezig…";
      status.classList.add("busy");
      try {
        await postJson(`/api/cases/${number}/${action}`, bodies[action](), undefined, token.value);
        location.reload();
      } catch (e) {
        status.classList.remove("busy");
        status.textContent = "Niet gelukt: " + e.message;
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => { advisePage(); casesPage(); casePage(); });
