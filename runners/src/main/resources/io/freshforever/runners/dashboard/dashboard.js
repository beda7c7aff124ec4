// The ops dashboard: polls the read-only JSON API every second and draws one panel per event type.
// Plain DOM and SVG, no library: the page must render without network access.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const panels = new Map(); // event type -> its DOM nodes
let types = [];

function minutes() {
  return Number(document.getElementById("minutes").value);
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
      '<svg class="chart" role="img"></svg>';
    panel.querySelector("h2").textContent = type;
    document.getElementById("panels").appendChild(panel);
    panels.set(type, panel);
  }
  return panels.get(type);
}

function draw(panel, data) {
  const svg = panel.querySelector("svg");
  const width = svg.clientWidth || 400, height = 140, axis = 16;
  const slots = data.minutes;
  const byStart = new Map(data.windows.map(w => [w.start, w]));
  const from = Date.parse(data.from);
  const max = Math.max(1, ...data.windows.map(w => w.count));
  const slot = width / slots;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("aria-label", `${data.type}: counts per minute`);
  for (let i = 0; i < slots; i++) {
    const start = new Date(from + i * 60000).toISOString();
    const w = byStart.get(start);
    if (w) {
      const h = (height - axis) * w.count / max;
      const bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", i * slot + 1);
      bar.setAttribute("y", height - axis - h);
      bar.setAttribute("width", Math.max(1, slot - 2));
      bar.setAttribute("height", h);
      bar.setAttribute("class", w.open ? "bar open" : "bar closed");
      bar.dataset.start = w.start;
      bar.dataset.count = w.count;
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${w.start.substring(11, 16)} UTC: ${w.count.toLocaleString()} (${w.pane})`;
      bar.appendChild(title);
      svg.appendChild(bar);
    }
    if (i % Math.ceil(slots / 6) === 0) {
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", i * slot + 1);
      label.setAttribute("y", height - 3);
      label.textContent = start.substring(11, 16);
      svg.appendChild(label);
    }
  }
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
  types = (await getJson("/api/types")).types;
  document.getElementById("empty").hidden = types.length > 0;
}

async function refreshCounts() {
  const status = document.getElementById("status");
  try {
    await Promise.all(types.map(async type => draw(panelFor(type), await getJson(
      `/api/counts?type=${encodeURIComponent(type)}&minutes=${minutes()}`))));
    status.textContent = `updated ${new Date().toISOString().substring(11, 19)} UTC`;
    status.className = "status";
  } catch (e) {
    status.textContent = `API error: ${e.message}`;
    status.className = "status bad";
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

document.getElementById("minutes").addEventListener("change", refreshCounts);
tick();
setInterval(refreshCounts, 1000);
setInterval(tick, 5000);
