/*
 * A long article's list of annotations comes in chunks (annotator/annotations/list_chunks.py): the page holds
 * its first entries and a placeholder, `.more-items`, which is replaced here by the entries it names (and the
 * next placeholder) as soon as the page is drawn, one chunk after the other until the list is whole. Fetched
 * here rather than swapped by htmx, whose swap settles every new element against the list around it: seconds
 * for a thousand entries.
 */
(() => {
  "use strict";

  let loading = null;
  let arriving = null; // the chunk on its way, as a promise: j at the end of the entries already in waits for it

  async function load(placeholder) {
    const response = await fetch(placeholder.dataset.moreUrl, { credentials: "same-origin" });
    if (!response.ok || !placeholder.isConnected) return;
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const entries = [...template.content.children];
    placeholder.replaceWith(template.content); // workspace.js filters (and counts) the entries as they arrive
    if (window.htmx) entries.forEach((entry) => htmx.process(entry));
  }

  // The placeholder ends the list, but for the entries of saves made while chunks arrive (put last when nothing
  // in yet comes after them): looked for among the last few entries, without walking the entries' nodes, as this
  // runs after every htmx answer.
  function placeholderOf(list) {
    let entry = list?.lastElementChild;
    for (let n = 0; entry && n < 20; n += 1, entry = entry.previousElementSibling) {
      if (entry.classList.contains("more-items")) return entry;
    }
    return null;
  }

  function loadRest() {
    const placeholder = placeholderOf(document.getElementById("annotation-items"));
    if (!placeholder || placeholder === loading) return;
    loading = placeholder;
    arriving = load(placeholder).finally(() => {
      loading = null;
      arriving = null;
      loadRest();
    });
  }

  // What workspace.js asks: whether more entries are on their way, and a promise of the next chunk in place.
  window.AnnotatorListChunks = Object.freeze({ arriving: () => arriving });

  loadRest();
  // An htmx answer that draws the list anew brings its first entries and a placeholder again.
  document.body.addEventListener("htmx:afterSettle", loadRest);
})();
