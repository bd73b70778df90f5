/*
 * Placing an annotation that a correction orphaned on the text selected in the article: the selection's offsets
 * (AnnotatorOffsets, code points) go to the server in the form's hidden fields; the server checks them against
 * the current body like any span change. Pressing the button may move focus, so the last selection made in the
 * article is remembered.
 */
(() => {
  "use strict";

  const Offsets = window.AnnotatorOffsets;
  const body = () => document.getElementById("article-body");
  if (!Offsets || !body()) return;
  let lastSpan = null;

  document.addEventListener("selectionchange", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !body().contains(selection.anchorNode)) return;
    const span = Offsets.spanFromSelection(body(), selection);
    lastSpan = span && !span.error ? span : null;
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-place-selection]");
    if (!form) return;
    if (!lastSpan) {
      event.preventDefault();
      form.querySelector(".place-status").textContent = "Select the text in the article first.";
      return;
    }
    form.elements.start.value = String(lastSpan.start);
    form.elements.end.value = String(lastSpan.end);
  });
})();
