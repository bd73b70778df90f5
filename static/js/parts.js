/*
 * A quote in parts in the open quote form (docs/quotes-in-parts.md): "+" (or Add a part) takes the selection in
 * the text as one more part of the quote, Remove drops a part. The form posts the parts as JSON with the span's
 * ends set to their first start and last end; the server checks them (annotations/parts.py: sorted, disjoint,
 * touching parts merged, one part an ordinary quote) and names a refused part above the form. This file only
 * gathers input. Offsets are code points (offsets.js).
 */
(() => {
  "use strict";

  if (!document.getElementById("workspace") || !window.AnnotatorOffsets || !window.AnnotatorWorkspace) return;
  const Offsets = window.AnnotatorOffsets;
  const { sayAboutForm: say, selectedSpan, inField } = window.AnnotatorWorkspace;
  const GAP = " … ";
  const MAX_SHOWN = 200; // as the template's truncatechars

  const quoteForm = () => {
    const f = document.getElementById("annotation-form");
    return f?.dataset.kind === "quote" && f.elements.namedItem("parts") ? f : null;
  };
  let bodyText = null; // the body never changes once annotated: read it once
  const slice = (start, end) => {
    bodyText ??= Offsets.bodyText(document.getElementById("article-body"));
    return Offsets.sliceCodePoints(bodyText, start, end);
  };
  const field = (f, name) => f.elements.namedItem(name);

  /** The quote's parts as the form holds them: its parts, or its span as the one part. */
  function partsOf(f) {
    let parts = null;
    try {
      parts = JSON.parse(field(f, "parts").value || "null");
    } catch {
      parts = null;
    }
    if (Array.isArray(parts) && parts.length) return parts;
    const start = field(f, "start").value;
    const end = field(f, "end").value;
    return start !== "" && end !== "" ? [[Number(start), Number(end)]] : [];
  }

  function shorten(value) {
    const points = [...value];
    return points.length > MAX_SHOWN ? `${points.slice(0, MAX_SHOWN - 1).join("")}…` : value;
  }

  /** The list of parts in the form, drawn again from the parts the form will post. */
  function show(f, parts) {
    const list = document.getElementById("part-list");
    if (!list) return;
    const language = document.getElementById("article-body").closest("[lang]")?.lang;
    list.replaceChildren(
      ...(parts.length > 1 ? parts : []).map(([start, end], index) => {
        const item = document.createElement("li");
        const words = document.createElement("span");
        words.className = "part-text";
        if (language) words.lang = language;
        words.textContent = shorten(slice(start, end));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.dataset.partRemove = String(index);
        remove.append("Remove");
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = ` part ${index + 1}`;
        remove.append(hidden);
        item.append(words, " ", remove);
        return item;
      }),
    );
    const shown = document.getElementById("span-text");
    if (shown && parts.length > 1) shown.textContent = shorten(parts.map(([s, e]) => slice(s, e)).join(GAP));
  }

  /** Keep the parts in the form: as JSON when there are two or more, with the span's ends at their hull. */
  function write(f, parts) {
    parts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    field(f, "parts").value = parts.length > 1 ? JSON.stringify(parts) : "";
    if (parts.length) {
      const start = parts[0][0];
      const end = Math.max(...parts.map((part) => part[1]));
      field(f, "start").value = start;
      field(f, "end").value = end;
      field(f, "text").value = slice(start, end);
    }
    show(f, parts);
  }

  function addPart(f) {
    const span = selectedSpan();
    if (!span) return say("Select the words of the quote's next part in the text first, then press +.", true);
    if (span.error) return say(span.error, true);
    const parts = partsOf(f);
    parts.push([span.start, span.end]);
    write(f, parts);
    window.getSelection().collapseToEnd();
    say(`Part added: “${span.text}”. The quote has ${parts.length} parts; save to keep them.`);
  }

  function removePart(f, index) {
    const parts = partsOf(f);
    const [removed] = parts.splice(index, 1);
    if (!removed) return;
    write(f, parts);
    say(`Part removed: “${slice(...removed)}”. ${parts.length > 1 ? `${parts.length} parts left.` : "An ordinary quote now."}`);
    (document.querySelector("[data-part-remove]") ?? document.querySelector("[data-part-add]"))?.focus();
  }

  // Captured, so that the span marks (spans.js, which redraws after every key and click) see the new ends.
  document.addEventListener(
    "keydown",
    (event) => {
      const f = quoteForm();
      if (!f || event.key !== "+" || event.ctrlKey || event.metaKey || event.altKey || inField(event.target)) return;
      event.preventDefault();
      addPart(f);
    },
    true,
  );

  document.addEventListener(
    "click",
    (event) => {
      const f = quoteForm();
      if (!f) return;
      if (event.target.closest("[data-part-add]")) return addPart(f);
      const remove = event.target.closest("[data-part-remove]");
      if (remove) removePart(f, Number(remove.dataset.partRemove));
    },
    true,
  );

  // A new selection taken as the whole span (u, in spans.js) makes the quote an ordinary one again.
  document.addEventListener("annotator:span-replaced", () => {
    const f = quoteForm();
    if (!f) return;
    field(f, "parts").value = "";
    show(f, []);
  });
})();
