// papersift map: every placed paper on a canvas, coloured by thread. Drag to pan, wheel to
// zoom, hover for the title, click to open. 60k points: compact arrays in, one pass per
// colour out, and a grid index for hovering. No dependencies.
"use strict";
(function () {
  const GRID = 65535;
  const CELLS = 128;

  function colour(i) {  // well-spread hues, two lightness bands
    const hue = (i * 137.508) % 360;
    return `hsl(${hue.toFixed(1)}, 62%, ${i % 2 ? 42 : 55}%)`;
  }

  function PaperMap(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.tip = document.getElementById("map-tip");
    this.status = document.getElementById("map-status");
    this.data = null;
    this.titles = null;
    this.view = { scale: 1, x: 0, y: 0 };
    this.focus = null;  // index of one thread to bring forward (from #topic=ID)
    this.hover = -1;
    this.pending = false;
    this.library = [];  // indexes of the signed-in user's saved papers
  }

  PaperMap.prototype.load = function (data) {
    const n = data.count;
    this.data = data;
    this.byTopic = [];
    for (let t = 0; t < data.topics.length; t++) this.byTopic.push([]);
    for (let i = 0; i < n; i++) this.byTopic[data.topic[i]].push(i);
    this.colours = null;
    this.recent = new Uint8Array(n);
    for (const i of data.recent) this.recent[i] = 1;
    // grid index over data coordinates, for hovering
    this.cells = new Map();
    for (let i = 0; i < n; i++) {
      const key = ((data.x[i] * CELLS / (GRID + 1)) | 0) * CELLS + ((data.y[i] * CELLS / (GRID + 1)) | 0);
      let list = this.cells.get(key);
      if (!list) { list = []; this.cells.set(key, list); }
      list.push(i);
    }
    this.topicIndex = {};
    data.topics.forEach((t, i) => { this.topicIndex[t.id] = i; });
    const match = /topic=(\d+)/.exec(location.hash);
    this.focus = match && match[1] in this.topicIndex ? this.topicIndex[match[1]] : null;
    this.resize();
    this.reset();
    this.legend();
    this.canvas.dataset.points = String(n);
    this.say(`${n.toLocaleString()} papers in ${data.topics.length} threads` +
      (data.today ? ` · highlighted: ${data.recent.length} of ${data.today}` : ""));
  };

  PaperMap.prototype.overlay = function (ids) {
    const wanted = new Set(ids);
    this.library = [];
    this.data.ids.forEach((id, i) => { if (wanted.has(id)) this.library.push(i); });
    this.canvas.dataset.library = String(this.library.length);
    this.draw();
  };

  PaperMap.prototype.say = function (text) { if (this.status) this.status.textContent = text; };

  PaperMap.prototype.resize = function () {
    const ratio = window.devicePixelRatio || 1;
    const box = this.canvas.getBoundingClientRect();
    this.width = Math.max(1, box.width);
    this.height = Math.max(1, box.height);
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  };

  PaperMap.prototype.reset = function () {  // the whole map, centred, as large as it fits
    const d = this.data;
    let x0 = GRID, x1 = 0, y0 = GRID, y1 = 0;
    for (let i = 0; i < d.count; i++) {
      if (d.x[i] < x0) x0 = d.x[i];
      if (d.x[i] > x1) x1 = d.x[i];
      if (d.y[i] < y0) y0 = d.y[i];
      if (d.y[i] > y1) y1 = d.y[i];
    }
    const w = Math.max(1, x1 - x0), h = Math.max(1, y1 - y0);
    const scale = Math.min(this.width / w, this.height / h) * 0.92;
    this.view = {
      scale: scale,
      x: (this.width - w * scale) / 2 - x0 * scale,
      y: (this.height - h * scale) / 2 - y0 * scale,
    };
    this.draw();
  };

  PaperMap.prototype.screen = function (i) {
    return [this.data.x[i] * this.view.scale + this.view.x, this.data.y[i] * this.view.scale + this.view.y];
  };

  PaperMap.prototype.draw = function () {
    if (this.pending || !this.data) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.paint(); });
  };

  // colours as 32-bit pixels (little-endian RGBA), resolved by the canvas itself
  PaperMap.prototype.pixel = function (css) {
    const probe = this.probe ||
      (this.probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true }));
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    return [r, g, b];
  };

  PaperMap.prototype.palette = function () {
    const pack = ([r, g, b]) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    const back = this.pixel(getComputedStyle(this.canvas).backgroundColor || "#fff");
    const mix = (c, w) => c.map((v, k) => Math.round(v * w + back[k] * (1 - w)));
    this.background = pack(back);
    this.colours = new Uint32Array(this.byTopic.length);
    this.dimmed = new Uint32Array(this.byTopic.length);
    for (let t = 0; t < this.byTopic.length; t++) {
      const rgb = this.pixel(colour(t));
      this.colours[t] = pack(mix(rgb, 0.9));
      this.dimmed[t] = pack(mix(rgb, 0.15));
    }
  };

  // Points are written straight into one pixel buffer (60k squares in a few milliseconds),
  // put on the canvas at once; the few rings and squares on top are drawn by the canvas.
  PaperMap.prototype.paint = function () {
    const ctx = this.ctx, d = this.data, v = this.view;
    const started = performance.now();
    const width = this.canvas.width, height = this.canvas.height, ratio = width / this.width;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = ctx.createImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    if (!this.colours) this.palette();
    const pixels = this.pixels;
    pixels.fill(this.background);
    const least = d.count < 5000 ? 3 : 1.5;  // few papers: larger points
    const size = Math.max(least, Math.min(6, 1.2 + Math.log2(1 + v.scale * GRID / 900)));
    const side = Math.max(1, Math.round(size * ratio)), half = side >> 1;
    const scale = v.scale * ratio, ox = v.x * ratio - half, oy = v.y * ratio - half;
    let drawn = 0;
    const order = [];
    for (let t = 0; t < this.byTopic.length; t++) if (this.focus !== t) order.push(t);
    if (this.focus !== null) order.push(this.focus);  // the thread in focus on top
    for (const t of order) {
      const fill = this.focus === null || this.focus === t ? this.colours[t] : this.dimmed[t];
      const list = this.byTopic[t];
      for (let k = 0; k < list.length; k++) {
        const i = list[k];
        const x = (d.x[i] * scale + ox) | 0, y = (d.y[i] * scale + oy) | 0;
        if (x < 0 || y < 0 || x + side > width || y + side > height) continue;
        for (let row = y * width + x, end = row + side * width; row < end; row += width) {
          pixels.fill(fill, row, row + side);
        }
        drawn++;
      }
    }
    ctx.putImageData(this.image, 0, 0);
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = getComputedStyle(document.body).color;
    for (const i of d.recent) {  // the newest day's papers, on top
      const [sx, sy] = this.screen(i);
      ctx.fillStyle = colour(d.topic[i]);
      ctx.beginPath();
      ctx.arc(sx, sy, size + 2, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#d33";
    for (const i of this.library) {  // the user's library, as red squares
      const [sx, sy] = this.screen(i);
      ctx.strokeRect(sx - size - 2, sy - size - 2, 2 * size + 4, 2 * size + 4);
    }
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = getComputedStyle(document.body).color;
    if (this.hover >= 0) {
      const [sx, sy] = this.screen(this.hover);
      ctx.beginPath();
      ctx.arc(sx, sy, size + 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    this.canvas.dataset.drawn = String(drawn);
    this.canvas.dataset.frameMs = (performance.now() - started).toFixed(1);
  };

  PaperMap.prototype.nearest = function (px, py, radius) {
    const d = this.data, v = this.view;
    const gx = (px - v.x) / v.scale, gy = (py - v.y) / v.scale, r = radius / v.scale;
    const c0 = Math.max(0, ((gx - r) * CELLS / (GRID + 1)) | 0), c1 = Math.min(CELLS - 1, ((gx + r) * CELLS / (GRID + 1)) | 0);
    const r0 = Math.max(0, ((gy - r) * CELLS / (GRID + 1)) | 0), r1 = Math.min(CELLS - 1, ((gy + r) * CELLS / (GRID + 1)) | 0);
    let best = -1, bestDist = r * r;
    for (let cx = c0; cx <= c1; cx++) {
      for (let cy = r0; cy <= r1; cy++) {
        const list = this.cells.get(cx * CELLS + cy);
        if (!list) continue;
        for (const i of list) {
          const dx = d.x[i] - gx, dy = d.y[i] - gy, dist = dx * dx + dy * dy;
          if (dist <= bestDist) { best = i; bestDist = dist; }
        }
      }
    }
    return best;
  };

  PaperMap.prototype.showTip = function (i, px, py) {
    if (i < 0) { this.tip.hidden = true; return; }
    const d = this.data;
    const title = this.titles ? this.titles[i] : d.ids[i];
    const thread = d.topics[d.topic[i]];
    this.tip.textContent = "";
    const strong = document.createElement("strong");
    strong.textContent = title;
    const small = document.createElement("span");
    small.textContent = `${thread.label} · ${d.ids[i]}`;
    this.tip.append(strong, document.createElement("br"), small);
    this.tip.hidden = false;
    this.tip.style.left = Math.min(px + 12, this.width - 260) + "px";
    this.tip.style.top = (py + 12) + "px";
    this.tip.dataset.paperId = d.ids[i];
  };

  PaperMap.prototype.zoom = function (factor, px, py) {
    const v = this.view;
    const scale = Math.max(this.width / GRID * 0.2, Math.min(v.scale * factor, 400 / 100));
    const real = scale / v.scale;
    v.x = px - (px - v.x) * real;
    v.y = py - (py - v.y) * real;
    v.scale = scale;
    this.draw();
  };

  PaperMap.prototype.legend = function () {
    const list = document.getElementById("map-legend");
    if (!list) return;
    list.textContent = "";
    const order = this.data.topics.map((t, i) => i).sort((a, b) => this.data.topics[b].size - this.data.topics[a].size);
    for (const i of order.slice(0, 40)) {
      const t = this.data.topics[i];
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour(i);
      const link = document.createElement("a");
      link.href = `#topic=${t.id}`;
      link.textContent = `${t.label} (${t.size})`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.focus = this.focus === i ? null : i;
        history.replaceState(null, "", this.focus === null ? "#" : `#topic=${t.id}`);
        this.draw();
      });
      item.append(swatch, link);
      list.append(item);
    }
  };

  PaperMap.prototype.bind = function () {
    const canvas = this.canvas;
    let drag = null, moved = false;
    canvas.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y };
      moved = false;
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      const box = canvas.getBoundingClientRect();
      const px = e.clientX - box.left, py = e.clientY - box.top;
      if (drag) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
        if (moved) {
          this.view.x = drag.vx + dx;
          this.view.y = drag.vy + dy;
          this.tip.hidden = true;
          this.draw();
          return;
        }
      }
      const i = this.nearest(px, py, 8);
      if (i !== this.hover) { this.hover = i; this.draw(); }
      canvas.style.cursor = i >= 0 ? "pointer" : "grab";
      this.showTip(i, px, py);
    });
    canvas.addEventListener("pointerup", (e) => {
      const box = canvas.getBoundingClientRect();
      if (drag && !moved) {
        const i = this.nearest(e.clientX - box.left, e.clientY - box.top, 8);
        if (i >= 0) location.href = "/papers/" + encodeURIComponent(this.data.ids[i]).replace(/%2F/g, "/");
      }
      drag = null;
    });
    canvas.addEventListener("pointerleave", () => { this.tip.hidden = true; this.hover = -1; this.draw(); });
    canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      const box = canvas.getBoundingClientRect();
      this.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    canvas.addEventListener("keydown", (e) => {
      if (e.key === "+" || e.key === "=") this.zoom(1.25, this.width / 2, this.height / 2);
      else if (e.key === "-") this.zoom(0.8, this.width / 2, this.height / 2);
      else if (e.key === "0") this.reset();
      else if (e.key.startsWith("Arrow")) {
        const step = 40;
        if (e.key === "ArrowLeft") this.view.x += step;
        if (e.key === "ArrowRight") this.view.x -= step;
        if (e.key === "ArrowUp") this.view.y += step;
        if (e.key === "ArrowDown") this.view.y -= step;
        this.draw();
      } else return;
      e.preventDefault();
    });
    window.addEventListener("resize", () => { this.resize(); this.draw(); });
  };


  document.addEventListener("DOMContentLoaded", () => {
    const canvas = document.getElementById("map");
    if (!canvas) return;
    const map = new PaperMap(canvas);
    window.papersiftMap = map;
    map.bind();
    fetch(canvas.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        map.load(data);
        canvas.dataset.ready = "1";
        return fetch(canvas.dataset.titlesUrl).then((r) => (r.ok ? r.json() : null));
      })
      .then((titles) => {
        if (titles) { map.titles = titles; canvas.dataset.titles = "1"; }
        return canvas.dataset.libraryUrl ? fetch(canvas.dataset.libraryUrl).then((r) => (r.ok ? r.json() : null)) : null;
      })
      .then((library) => { if (library && library.signed_in) map.overlay(library.ids); })
      .catch(() => map.say("The map could not be loaded."));
  });
})();
