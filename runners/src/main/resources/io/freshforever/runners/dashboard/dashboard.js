// The ops dashboard: polls the read-only JSON API every second and draws one panel per event type.
// Plain DOM and SVG, no library: the page must render without network access.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const panels = new Map(); // event type -> its DOM nodes
const currents = new Map(); // event type -> this minute's count
let types = [];
// Each panel is a request per second: with none ticked, the first types only (the API caps the list at 1,000).
const MAX_PANELS = 24;

// The time range and the selected types live in the URL, so a view can be shared or bookmarked.
const url = new URL(window.location.href);
const selected = new Set((url.searchParams.get("types") || "").split(",").filter(t => t));

function minutes() {
  return Number(document.getElementById("minutes").value);
}

function saveView() {
  url.searchParams.set("minutes", minutes());
  if (selected.size > 0) {
    url.searchParams.set("types", [...selected].sort().join(","));
  } else {
    url.searchParams.delete("types");
  }
  history.replaceState(null, "", url);
}

function shown(type) {
  return selected.size === 0 || selected.has(type);
}

function panelFor(type) {
  if (!panels.has(type)) {
    const panel = document.createElement("section");
    panel.className = "panel";
    panel.dataset.type = type;
    panel.innerHTML =
      '<h2></h2><div class="figures">' +
      '<div>this minute<b class="current">0</b></div>' +
      '<div>freshness<b class="freshness">–</b></div>' +
      '<div>open minutes<b class="open-minutes">0</b></div></div>' +
      '<svg class="chart" role="img"></svg><div class="hover"></div>';
    panel.querySelector("h2").textContent = type;
    document.getElementById("panels").appendChild(panel);
    panels.set(type, panel);
  }
  return panels.get(type);
}

function text(x, y, content, anchor) {
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", x);
  label.setAttribute("y", y);
  if (anchor) label.setAttribute("text-anchor", anchor);
  label.textContent = content;
  return label;
}

function draw(panel, data) {
  const svg = panel.querySelector("svg");
  const width = svg.clientWidth || 400, height = 140, axis = 16, top = 6, gutter = 44;
  const slots = data.minutes;
  const byStart = new Map(data.windows.map(w => [w.start, w]));
  const from = Date.parse(data.from);
  const max = Math.max(1, ...data.windows.map(w => w.count));
  const plot = height - axis - top;
  const slot = (width - gutter) / slots;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("aria-label", `${data.type}: counts per minute`);
  // The y-axis: zero, half and the highest count, with grid lines.
  for (const value of [0, Math.round(max / 2), max]) {
    const y = height - axis - plot * value / max;
    const grid = document.createElementNS(SVG, "line");
    grid.setAttribute("x1", gutter);
    grid.setAttribute("x2", width);
    grid.setAttribute("y1", y);
    grid.setAttribute("y2", y);
    grid.setAttribute("class", "grid");
    svg.appendChild(grid);
    const tick = text(gutter - 4, y + 3, value.toLocaleString(), "end");
    tick.setAttribute("class", "y-tick");
    svg.appendChild(tick);
  }
  for (let i = 0; i < slots; i++) {
    const start = new Date(from + i * 60000).toISOString();
    const w = byStart.get(start);
    const x = gutter + i * slot;
    if (w) {
      const h = plot * w.count / max;
      const bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", x + 1);
      bar.setAttribute("y", height - axis - h);
      bar.setAttribute("width", Math.max(1, slot - 2));
      bar.setAttribute("height", h);
      bar.setAttribute("class", w.open ? "bar open" : "bar closed");
      bar.dataset.start = w.start;
      bar.dataset.count = w.count;
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${w.start.substring(11, 16)} UTC: ${w.count.toLocaleString()} (${w.pane})`;
      bar.appendChild(title);
      bar.addEventListener("mouseenter", () => { panel.querySelector(".hover").textContent = title.textContent; });
      bar.addEventListener("mouseleave", () => { panel.querySelector(".hover").textContent = ""; });
      svg.appendChild(bar);
    }
    if (i % Math.ceil(slots / 6) === 0) {
      svg.appendChild(text(x + 1, height - 3, start.substring(11, 16)));
    }
  }
  currents.set(data.type, data.current_minute_count);
  panel.querySelector(".current").textContent = data.current_minute_count.toLocaleString();
  panel.querySelector(".freshness").textContent =
    data.freshness_seconds === null ? "–" : `${data.freshness_seconds.toFixed(1)} s`;
  panel.querySelector(".open-minutes").textContent = data.windows.filter(w => w.open).length;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function refreshTypes() {
  const all = (await getJson("/api/types")).types;
  const filter = document.getElementById("type-filter");
  for (const type of all) {
    if (!filter.querySelector(`input[value="${type}"]`)) {
      const choice = document.createElement("label");
      choice.innerHTML = '<input type="checkbox"> <span></span>';
      const box = choice.querySelector("input");
      box.value = type;
      box.checked = selected.has(type);
      box.addEventListener("change", () => {
        if (box.checked) selected.add(type); else selected.delete(type);
        saveView();
        refreshCounts();
      });
      choice.querySelector("span").textContent = type;
      filter.appendChild(choice);
    }
  }
  types = all;
  document.getElementById("empty").hidden = types.length > 0;
}

// The probe's view: /api/health answers 503 with the reason when the live view has gone stale.
async function refreshHealth() {
  const health = document.getElementById("health");
  try {
    const response = await fetch("/api/health", { cache: "no-store" });
    const body = await response.json();
    health.dataset.status = body.status || "error";
    health.textContent = body.status === "ok"
      ? `healthy: newest event ${body.freshness_seconds.toFixed(1)} s old`
      : body.status === "stale" ? `stale: ${body.reason}` : `store error: ${body.error}`;
  } catch (e) {
    health.dataset.status = "error";
    health.textContent = `health unknown: ${e.message}`;
  }
}

async function refreshCounts() {
  const status = document.getElementById("status");
  try {
    const drawn = types.filter(shown).slice(0, MAX_PANELS);
    for (const [type, panel] of panels) panel.hidden = !drawn.includes(type);
    await Promise.all(drawn.map(async type => draw(panelFor(type), await getJson(
      `/api/counts?type=${encodeURIComponent(type)}&minutes=${minutes()}`))));
    document.getElementById("more").hidden = drawn.length === types.filter(shown).length;
    document.getElementById("more").textContent =
      `${drawn.length} of ${types.filter(shown).length} types shown: tick the ones to watch`;
    const total = drawn.reduce((sum, type) => sum + (currents.get(type) || 0), 0);
    document.getElementById("total").textContent = total.toLocaleString();
    status.textContent = `updated ${new Date().toISOString().substring(11, 19)} UTC`;
    status.className = "status";
  } catch (e) {
    status.textContent = `API error: ${e.message}`;
    status.className = "status bad";
  }
}

// The streaming job's own counters per minute, from its metrics endpoint (fresh dashboard --metricsUrl).
const PIPELINE_ROWS = [
  ["events_in", "events in"], ["duplicates_dropped", "duplicates dropped"], ["late_updates", "late updates"],
  ["too_late", "too late"], ["dead_letters", "dead letters"]];

async function refreshPipeline() {
  const section = document.getElementById("pipeline");
  let body;
  try {
    body = await getJson(`/api/pipeline?minutes=${Math.min(minutes(), 60)}`);
  } catch (e) {
    section.hidden = false;
    document.getElementById("pipeline-source").textContent = `API error: ${e.message}`;
    return;
  }
  section.hidden = body.source === null;
  if (body.source === null) return;
  document.getElementById("pipeline-source").textContent =
    body.error ? `from ${body.source}: last scrape failed: ${body.error}` : `from ${body.source}`;
  const head = document.querySelector("#pipeline-strip thead");
  const rows = document.querySelector("#pipeline-strip tbody");
  head.innerHTML = "<tr><th></th></tr>";
  for (const minute of body.minutes) {
    const th = document.createElement("th");
    th.textContent = minute.start.substring(11, 16);
    head.firstChild.appendChild(th);
  }
  rows.innerHTML = "";
  for (const [key, label] of PIPELINE_ROWS) {
    const tr = document.createElement("tr");
    tr.dataset.metric = key;
    const th = document.createElement("th");
    th.textContent = label;
    tr.appendChild(th);
    for (const minute of body.minutes) {
      const td = document.createElement("td");
      td.textContent = minute[key].toLocaleString();
      if ((key === "too_late" || key === "dead_letters") && minute[key] > 0) td.className = "warn";
      tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
}

async function tick() {
  try {
    await refreshTypes();
  } catch (e) {
    document.getElementById("status").textContent = `API error: ${e.message}`;
  }
  await refreshCounts();
}

const range = document.getElementById("minutes");
const wanted = url.searchParams.get("minutes");
if (wanted && [...range.options].some(o => o.value === wanted)) range.value = wanted;
range.addEventListener("change", () => { saveView(); refreshCounts(); });
tick();
refreshHealth();
refreshPipeline();
setInterval(refreshPipeline, 5000);
setInterval(refreshCounts, 1000);
setInterval(tick, 5000);
setInterval(refreshHealth, 5000);
