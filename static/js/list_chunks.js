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

  async function load(placeholder) {
    const response = await fetch(placeholder.dataset.moreUrl, { credentials: "same-origin" });
    if (!response.ok || !placeholder.isConnected) return;
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const entries = [...template.content.children];
    placeholder.replaceWith(template.content);
    if (window.htmx) entries.forEach((entry) => htmx.process(entry));
    // workspace.js applies the list's filter (and counts the entries) on a change of the filter's form.
    document.getElementById("list-filter")?.dispatchEvent(new Event("change"));
  }

  function loadRest() {
    const placeholder = document.querySelector("#annotation-list .more-items");
    if (!placeholder || placeholder === loading) return;
    loading = placeholder;
    load(placeholder).finally(() => {
      loading = null;
      loadRest();
    });
  }

  loadRest();
  // An htmx answer that draws the list anew brings its first entries and a placeholder again.
  document.body.addEventListener("htmx:afterSettle", loadRest);
})();
