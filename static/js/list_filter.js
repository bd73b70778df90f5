/*
 * The filter of the workspace's annotation list (kind, status, suggestions shown or hidden) and the list's entries:
 * workspace.js's j / k and Tab go through the entries it shows.
 */
(() => {
  "use strict";

  if (!document.getElementById("workspace") || !window.AnnotatorEditor) return;
  const applied = [];

  // The entries are the list's children: reading them does not walk the entries' own nodes (100,000 on a long list).
  function entries() {
    const list = document.getElementById("annotation-items");
    return list ? [...list.children].filter((child) => child.classList.contains("item")) : [];
  }

  /* The filter of the annotation list (kind, status, suggestions shown or hidden): hidden entries are skipped by
     j / k and Tab. A change of the filter applies it to every entry; an entry that comes in later (a save, a chunk
     of a long list, the list drawn anew) is filtered as it arrives, before it is drawn, and only it. */
  function filtered(filter) {
    const kind = filter.elements.kind.value;
    const status = filter.elements.status.value;
    const suggestions = filter.elements.suggestions.checked;
    return (item) => {
      const suggestion = item.classList.contains("suggestion");
      return (!kind || item.classList.contains(`k-${kind}`)) &&
        (suggestion ? suggestions : !status || item.classList.contains(`st-${status}`));
    };
  }

  function applyListFilter(arrived = null) {
    const filter = document.getElementById("list-filter");
    if (!filter) return;
    const visible = filtered(filter);
    for (const item of arrived ?? entries()) {
      if (item.hidden === visible(item)) item.hidden = !item.hidden; // a write only where it changes something
    }
    const all = entries();
    const shown = all.reduce((count, item) => count + (item.hidden ? 0 : 1), 0);
    const count = document.getElementById("filter-count");
    const text = `${shown} of ${all.length} shown`;
    if (count.textContent !== text) count.textContent = text;
    applied.forEach((callback) => callback());
  }

  // htmx puts an entry that replaces one of the same id in with the old one's classes and gives it its own when it
  // settles: the entries that arrived in an htmx answer are filtered again then, once an answer.
  let arrivedUnsettled = [];
  const sidePanel = document.getElementById("list-filter")?.closest("aside");
  if (sidePanel) {
    new MutationObserver((records) => {
      const arrived = new Set();
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.matches(".item")) arrived.add(node);
          else if (node.matches("#annotation-list, #annotation-items")) node.querySelectorAll(".item").forEach((item) => arrived.add(item));
        }
      }
      let removed = false;
      for (const record of records) removed ||= [...record.removedNodes].some((node) => node instanceof Element && node.matches(".item"));
      if (arrived.size || removed) applyListFilter([...arrived].filter((item) => item.isConnected));
      arrivedUnsettled.push(...arrived);
    }).observe(sidePanel, { childList: true, subtree: true });
  }

  document.getElementById("list-filter")?.addEventListener("change", () => applyListFilter());
  document.getElementById("list-filter")?.addEventListener("submit", (event) => event.preventDefault());
  applyListFilter();
  let settledAnswer = null;
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const answer = window.AnnotatorEditor.answerOf(event);
    if (answer && answer === settledAnswer) return;
    settledAnswer = answer;
    if (arrivedUnsettled.length) {
      applyListFilter(arrivedUnsettled.filter((item) => item.isConnected));
      arrivedUnsettled = [];
    }
  });

  window.AnnotatorListFilter = Object.freeze({ entries, whenApplied: (callback) => applied.push(callback) });
})();
