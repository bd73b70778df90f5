/*
 * The editor: the region of the side panel where forms and panels open (#editor). Whatever opens there is brought
 * into view with focus in its first field, and an annotation's edit form is asked for as soon as the annotation has
 * focus (j / k, a click), so that `e` shows it without waiting for the server. The server renders every form, as it
 * does for the Edit link; this file keeps its answer for that entry only as it is: an entry drawn anew (after a
 * save, a decision) is another element and asks again, and a kept answer is dropped after PREFETCH_FOR_MS.
 */
(() => {
  "use strict";

  if (!document.getElementById("workspace") || !window.htmx) return;
  const PREFETCH_DELAY_MS = 80; // j held down goes through entries without asking for each one's form
  const PREFETCH_FOR_MS = 60_000; // an older answer is asked for again (someone may have changed the annotation)

  const editor = () => document.getElementById("editor");
  let opening = false; // a form asked for is on its way (keys meant for its field must not act meanwhile)
  let openings = 0; // each editor answer asked for; one that is overtaken by a later one is not shown
  let inViewBefore = null; // whether the editor was in view before an answer was swapped in (read with layout clean)
  let kept = null; // {item, url, at, answer: Promise<string | null>}
  let keepTimer = null;

  // A key can arrive before htmx has set up an entry that was just swapped in: set it up first, or the
  // browser would follow the plain link or post the plain form (which works, but reloads the page).
  function activate(control) {
    htmx.process(control.form ?? control);
    control.click();
  }

  const editLink = (item) => item?.querySelector("a.edit") ?? null;

  function fetchForm(item, link) {
    const url = link.getAttribute("hx-get");
    const headers = { "HX-Request": "true", "HX-Target": "editor", "HX-Current-URL": window.location.href };
    const answer = fetch(url, { headers, credentials: "same-origin", cache: "no-store" })
      .then((response) => {
        // Only a plain form is kept: a refusal, or an answer that asks htmx for more (HX-* headers), goes through htmx.
        const asksMore = [...response.headers.keys()].some((name) => name.toLowerCase().startsWith("hx-"));
        return response.status === 200 && !asksMore ? response.text() : null;
      })
      .catch(() => null);
    return { item, url, at: performance.now(), answer };
  }

  function usable(entry, item, link) {
    return entry != null && entry.item === item && item.isConnected && entry.url === link.getAttribute("hx-get") &&
      performance.now() - entry.at < PREFETCH_FOR_MS;
  }

  /** The entry that has focus: ask for its edit form (if one may edit it) once focus has stayed there a moment. */
  function prefetch(item) {
    clearTimeout(keepTimer);
    const link = editLink(item);
    if (!link || usable(kept, item, link)) return;
    keepTimer = setTimeout(() => {
      if (item.isConnected) kept = fetchForm(item, link);
    }, PREFETCH_DELAY_MS);
  }

  /** `e` on an entry: its edit form as fetched when it got focus (waiting for it if still on its way), or asked for. */
  function edit(item) {
    const link = editLink(item);
    if (!link) return false;
    clearTimeout(keepTimer);
    const entry = kept;
    kept = null; // shown once: after a save the entry is drawn anew, and Edit again asks for the new version
    if (!usable(entry, item, link)) {
      activate(link);
      return true;
    }
    const ticket = ++openings;
    opening = true;
    entry.answer.then((html) => {
      if (ticket !== openings) return; // another form or panel was asked for meanwhile
      opening = false;
      if (html == null || !link.isConnected) return activate(link);
      show(html);
    });
    return true;
  }

  function show(html) {
    const region = editor();
    inViewBefore = makeRoom();
    htmx.swap(region, html, { swapStyle: "innerHTML", swapDelay: 0, settleDelay: 0 },
      { eventInfo: { target: region, answer: {} } });
  }

  /* Before an answer is swapped into the editor (the first thing in the side panel), while the layout is still clean
     and reading or changing it costs nothing: if the panel is on the screen, scroll it back to its top, where the
     editor is; remember whether that put the editor in view. Scrolling after the swap lays the whole page out first. */
  function makeRoom() {
    const panel = editor()?.parentElement;
    if (!panel) return false;
    const top = panel.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) return false;
    if (panel.scrollTop > 0) panel.scrollTop = 0;
    return true;
  }

  function isEditorRequest(event) {
    return event.detail.target === editor() && event.detail.requestConfig?.verb === "get";
  }

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.target !== editor()) return;
    openings += 1; // a form on its way from `e` is not shown over this one
    if (isEditorRequest(event)) opening = true;
  });

  // An answer into the editor (a form or panel opened, a save, a decision) is settled at once, not after htmx's default
  // 20 ms: the delay put a frame of the whole page between the answer drawn and its focus. (Not for every htmx answer
  // of the site: the import page and the edit-save-history flow of the workspace broke when that was tried.)
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target !== editor()) return;
    if (isEditorRequest(event)) inViewBefore = makeRoom(); // a form or panel opened (a save's answer keeps the scroll)
    if (!event.detail.swapOverride) event.detail.swapOverride = "innerHTML settle:0ms";
  });

  for (const name of ["htmx:afterRequest", "htmx:sendError", "htmx:timeout"]) {
    document.body.addEventListener(name, (event) => {
      if (isEditorRequest(event)) opening = false; // answered, or never will be
    });
  }

  function firstField(region) {
    return region.querySelector("[aria-invalid=true]") ??
      region.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
  }

  /** Whatever was just put in the editor: in view, and focus in its first field (or the field a failed save names).
      Scrolled only if it was out of view before, so that a form opened in view costs no layout of the page here. */
  function bringIntoView() {
    const region = editor();
    const wasInView = inViewBefore;
    inViewBefore = null;
    opening = false;
    if (!region.childElementCount) return;
    let target = firstField(region);
    if (!target && !region.querySelector(":scope > .editor-message")) {
      target = region.querySelector("h2");
      target?.setAttribute("tabindex", "-1");
    }
    if (target?.getAttribute("aria-invalid") === "true") return target.focus(); // scrolled to, wherever it is
    if (!wasInView) region.scrollIntoView({ block: "nearest" });
    target?.focus({ preventScroll: true });
  }

  /** The answer an htmx event belongs to (a request's, or a form shown from what was fetched before). */
  const answerOf = (event) => event.detail.xhr ?? event.detail.answer ?? null;

  window.AnnotatorEditor = Object.freeze({
    activate, prefetch, edit, bringIntoView, answerOf, opening: () => opening,
    cancel: () => { openings += 1; opening = false; },
  });
})();
