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

  // --- saved papers: in the library on the server for a signed-in reader (or in local mode),
  // else in this browser
  let account = null; // { ids: Set of saved paper ids, csrf: token for X-CSRF-Token }
  function saved() {
    if (account) return account.ids;
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
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)));
  }
  function loadAccount() {
    const blank = document.querySelectorAll("input[name=csrf]:not([value]), input[name=csrf][value='']");
    if (!document.querySelector("[data-save]") && !blank.length) return;
    getJSON("/api/v1/library/ids")
      .then((library) => {
        if (!library.signed_in) return null;
        if (location.pathname === "/") {  // the daily list: papers read or dismissed are gone
          const hidden = new Set(library.hidden || []);
          document.querySelectorAll("article.card[data-paper-id]").forEach((card) => {
            if (hidden.has(card.dataset.paperId)) card.hidden = true;
          });
        }
        return getJSON("/api/v1/session").then((session) => {
          account = { ids: new Set(library.ids), csrf: session.csrf_token };
          blank.forEach((input) => { input.value = session.csrf_token; });  // forms of pages
          showSaved(document);  // that set no cookie: the token of the one just set
        });
      })
      .catch(() => { /* the browser's own list stays */ });
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-save]");
    if (!button) return;
    const id = button.dataset.save;
    if (account) {
      const on = account.ids.has(id);
      fetch("/api/v1/library/" + encodeURI(id), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": account.csrf },
        body: JSON.stringify({ saved: !on }),
      }).then((response) => {
        if (!response.ok) return;
        if (on) account.ids.delete(id); else account.ids.add(id);
        showSaved(document);
      });
      return;
    }
    const set = saved();
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

  // --- similar papers: fetched after the page shows (they may take a moment to find)
  function loadSimilar(section) {
    fetch(section.dataset.similar, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const heading = section.querySelector("h2");
        section.innerHTML = "";
        if (heading) section.appendChild(heading);
        section.insertAdjacentHTML("beforeend", html);
      })
      .catch(() => { /* the link to the full list stays */ });
  }

  document.addEventListener("DOMContentLoaded", () => {
    showSaved(document);
    document.querySelectorAll("[data-similar]").forEach(loadSimilar);
    loadAccount();
    const form = document.querySelector("[data-live-search]");
    if (form) liveSearch(form);
  });
})();
