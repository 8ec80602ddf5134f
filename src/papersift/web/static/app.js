// papersift: keyboard shortcuts, search as you type, save buttons. No dependencies.
"use strict";
(function () {
  const SAVED_KEY = "papersift.saved";

  function items() { return Array.from(document.querySelectorAll("[data-item]")); }

  function move(step) {
    const all = items();
    if (!all.length) return;
    let index = all.findIndex((el) => el.classList.contains("current"));
    if (index >= 0) all[index].classList.remove("current");
    index = Math.max(0, Math.min(all.length - 1, index + step));
    const el = all[index];
    el.classList.add("current");
    el.scrollIntoView({ block: "nearest" });
    const link = el.querySelector("[data-open]") || el.querySelector("a");
    if (link) link.focus({ preventScroll: true });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target)) return;
    if (event.key === "/") {
      const box = document.getElementById("q") || document.getElementById("nav-q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "j") { move(1); }
    else if (event.key === "k") { move(-1); }
    else if (event.key === "o") {
      const current = document.querySelector("[data-item].current [data-open]");
      if (current) current.click();
    }
  });

  // --- saved papers (kept in this browser until accounts keep them on the server)
  function saved() {
    try { return new Set(JSON.parse(localStorage.getItem(SAVED_KEY) || "[]")); }
    catch (e) { return new Set(); }
  }
  function showSaved(root) {
    const set = saved();
    root.querySelectorAll("[data-save]").forEach((button) => {
      const on = set.has(button.dataset.save);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "Saved" : "Save";
    });
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-save]");
    if (!button) return;
    const set = saved();
    const id = button.dataset.save;
    if (set.has(id)) set.delete(id); else set.add(id);
    try { localStorage.setItem(SAVED_KEY, JSON.stringify(Array.from(set))); } catch (e) { /* private mode */ }
    showSaved(document);
  });

  // --- search as you type: the server renders the results; the URL follows the query
  function liveSearch(form) {
    const results = document.getElementById("results");
    let timer = null;
    let controller = null;
    function run() {
      const params = new URLSearchParams(new FormData(form));
      for (const [key, value] of Array.from(params.entries())) { if (!value) params.delete(key); }
      const query = params.toString();
      history.replaceState(null, "", query ? "/search?" + query : "/search");
      params.set("fragment", "1");
      if (controller) controller.abort();
      controller = new AbortController();
      fetch("/search?" + params.toString(), { signal: controller.signal, headers: { Accept: "text/html" } })
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((html) => { results.innerHTML = html; showSaved(results); })
        .catch((reason) => { if (reason && reason.name === "AbortError") return; });
    }
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(run, 50); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    showSaved(document);
    const form = document.querySelector("[data-live-search]");
    if (form) liveSearch(form);
  });
})();
