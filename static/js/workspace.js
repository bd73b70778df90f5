/*
 * The annotation workspace: selecting text (mouse or keyboard), keyboard shortcuts, and keeping the
 * highlights and the side panel in step. Offsets come from AnnotatorOffsets (offsets.js); every rule
 * (what may be saved, by whom) is the server's: this file only gathers input and asks.
 */
(() => {
  "use strict";

  const workspace = document.getElementById("workspace");
  if (!workspace || !window.AnnotatorOffsets || !window.htmx || !window.AnnotatorEditor || !window.AnnotatorListFilter) {
    return;
  }
  const Offsets = window.AnnotatorOffsets;
  const Editor = window.AnnotatorEditor; // the editor region: forms opened, prefetched and brought into view (editor.js)
  const { activate } = Editor;
  const ListFilter = window.AnnotatorListFilter; // the list's filter and its entries (list_filter.js)
  mark("workspace:init-start");
  const TOAST_MS = 8000;
  const ARROWS = { ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"], End: ["forward", "lineboundary"] };

  let focusedId = null;
  let toastTimer = null;
  let nextSuggestionId = null; // where focus goes once the focused suggestion is accepted or dismissed
  let settledAnswer = null;

  const articleBody = () => document.getElementById("article-body");
  const editor = () => document.getElementById("editor");
  const form = () => document.getElementById("annotation-form");

  function say(message, isError = false) {
    const hint = document.getElementById("selection-status");
    hint.textContent = message;
    hint.classList.toggle("error", isError);
    delete hint.dataset.aboutForm;
  }

  /* The hint line: what the page said first, said again once the form a message was about has closed. */
  const restingHint = [...document.getElementById("selection-status").childNodes].map((node) => node.cloneNode(true));

  function sayAboutForm(message, isError = false) {
    say(message, isError);
    document.getElementById("selection-status").dataset.aboutForm = "true";
  }

  function restHint() {
    const hint = document.getElementById("selection-status");
    hint.replaceChildren(...restingHint.map((node) => node.cloneNode(true)));
    hint.classList.remove("error");
    delete hint.dataset.aboutForm;
  }

  new MutationObserver(() => {
    if (!form() && document.getElementById("selection-status").dataset.aboutForm) restHint();
  }).observe(editor(), { childList: true });

  /* Single-key shortcuts never act while focus is where one types. */
  const FIELDS = "input, textarea, select, [contenteditable]:not([contenteditable=false]), " +
    "[role=textbox], [role=combobox], [role=searchbox], [role=listbox], dialog";

  function inField(target) {
    return target instanceof Element && (target.isContentEditable || target.closest(FIELDS) != null);
  }

  function inside(node) {
    return node != null && articleBody().contains(node);
  }

  /* The current selection as a code-point span of the body, or {error}, or null if none is in the body. */
  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    if (!inside(selection.anchorNode) && !inside(selection.focusNode)) return null;
    return Offsets.spanFromSelection(articleBody(), selection);
  }

  document.addEventListener("selectionchange", () => {
    const span = selectedSpan();
    if (!span) return;
    if (span.error) return say(span.error, true);
    const quoteForm = form()?.dataset.kind === "quote";
    (quoteForm ? sayAboutForm : say)(`Selected ${span.end - span.start} characters. Press q, c or s to tag them` +
      (quoteForm ? ", or p / v to make them the speaker mention / the cue." : "."));
  });

  /* Keyboard selection in the text: Selection.modify moves by grapheme, word and line as the browser does. */
  function moveCaret(event) {
    const [direction, unit] = ARROWS[event.key];
    const selection = window.getSelection();
    if (!inside(selection.anchorNode)) {
      const first = Offsets.fromCodePoint(articleBody(), 0);
      selection.collapse(first.node, first.offset);
    }
    const granularity = !event.ctrlKey ? unit : { character: "word", lineboundary: "documentboundary" }[unit] ?? unit;
    selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
  }

  function openForm(kind) {
    const span = selectedSpan();
    if (span?.error) return say(span.error, true);
    if (!span && kind !== "stance") return say(`Select the text of the ${kind} first.`, true);
    const url = new URL(workspace.dataset.newUrl, window.location.href);
    url.searchParams.set("kind", kind);
    if (span) {
      url.searchParams.set("start", span.start);
      url.searchParams.set("end", span.end);
      url.searchParams.set("text", span.text);
    }
    htmx.ajax("GET", url.pathname + url.search, { target: "#editor", swap: "innerHTML" });
    sayAboutForm(span ? `New ${kind}: fill in the form, Enter saves, Esc cancels.`
      : "New document-level stance: it is about the whole article.");
  }

  /* In a form with span attributes (a quote's speaker mention and cue): the selection becomes that span. */
  function pick(name) {
    const group = form()?.querySelector(`[data-pick-group="${CSS.escape(name)}"]`);
    if (!group) return;
    const span = selectedSpan();
    if (!span) return say("Select the words in the text first.", true);
    if (span.error) return say(span.error, true);
    const fields = form().elements;
    fields[`${name}_start`].value = span.start;
    fields[`${name}_end`].value = span.end;
    group.querySelector(".picked").textContent = span.text;
    const fills = group.dataset.fills && fields[group.dataset.fills];
    if (fills && !fills.value.trim()) fills.value = span.text;
    sayAboutForm(`${group.querySelector(".label").textContent}: “${span.text}”.`);
  }

  function unpick(name) {
    const group = form()?.querySelector(`[data-pick-group="${CSS.escape(name)}"]`);
    if (!group) return;
    form().elements[`${name}_start`].value = "";
    form().elements[`${name}_end`].value = "";
    group.querySelector(".picked").textContent = "none";
  }

  function closeEditor() {
    editor().replaceChildren();
    articleBody().focus({ preventScroll: true });
    restHint();
  }

  function items() {
    return ListFilter.entries().filter((item) => !item.hidden);
  }

  // The elements focusAnnotation marked, so that unmarking them does not walk the whole document.
  let focusedElements = [];

  function focusAnnotation(id, { scrollText = true, scrollList = true, focusItem = true } = {}) {
    const same = id != null && String(id) === focusedId && focusedElements.length &&
      focusedElements.every((el) => el.isConnected);
    focusedId = id == null ? null : String(id);
    if (!same) markFocused();
    if (focusedId == null) return;
    const marks = focusedElements.filter((el) => el.matches("mark"));
    const item = document.getElementById(`item-${focusedId}`);
    if (scrollText && marks.length) scrollToMark(marks[0]);
    if (scrollList && item) item.scrollIntoView({ block: "nearest" });
    if (focusItem && item) item.focus({ preventScroll: true });
  }

  // A mark near the view glides to its middle; one further than a screen away jumps there: a smooth scroll across a
  // long article draws every paragraph on the way, frame after frame, and an e pressed meanwhile waited for them.
  function scrollToMark(mark) {
    const box = mark.getBoundingClientRect(); // the layout is clean when focus moves (a key, a click): read at no cost
    const far = Math.abs(box.top + box.height / 2 - window.innerHeight / 2) > window.innerHeight;
    mark.scrollIntoView({ block: "center", behavior: far ? "instant" : "smooth" });
  }

  /** Focus moved by the person (j / k, a click): their next key may well be e, so its edit form is asked for now. */
  function moveFocus(id, options) {
    focusAnnotation(id, options);
    Editor.prefetch(focusedItem());
  }

  // The focused annotation's marks in the text and its list entry get .focused (and the last ones lose it); marked again
  // only when they were drawn anew, not after every htmx answer (each change of class restyles the marks).
  function markFocused() {
    focusedElements.forEach((el) => el.classList.remove("focused"));
    focusedElements = [];
    if (focusedId == null) return;
    const marks = articleBody().querySelectorAll(`mark[data-ann="${CSS.escape(focusedId)}"]`);
    marks.forEach((mark) => mark.classList.add("focused"));
    const item = document.getElementById(`item-${focusedId}`);
    item?.classList.add("focused");
    focusedElements = item ? [...marks, item] : [...marks];
  }

  function step(delta) {
    const list = items();
    if (!list.length) return say("No annotations yet.");
    const index = list.findIndex((item) => item.dataset.ann === focusedId);
    const more = window.AnnotatorListChunks?.arriving();
    if (delta > 0 && more && index === list.length - 1) return stepIntoNextChunk(more, focusedId);
    const next = index < 0 ? (delta > 0 ? 0 : list.length - 1) : (index + delta + list.length) % list.length;
    moveFocus(list[next].dataset.ann);
  }

  // j on the last entry in while a long list still comes in chunks: the next entry is in the next chunk, not the
  // first of the list. (k on the first entry goes to the last one in so far.)
  function stepIntoNextChunk(more, from) {
    say("The rest of the list is on its way…");
    more.then(() => {
      if (focusedId === from) step(1);
    });
  }

  /* The review page: j / k go through the annotations that still wait for a decision, skipping decided ones. */
  const reviewing = () => workspace.classList.contains("review");

  function undecided(item) {
    return item.querySelector("button.approve") != null;
  }

  function reviewStep(delta) {
    const list = items();
    const waiting = list.filter(undecided);
    if (!waiting.length) return say("Nothing here waits for your decision.");
    const index = list.findIndex((item) => item.dataset.ann === focusedId);
    for (let n = 1; n <= list.length; n++) {
      const at = index < 0 ? (delta > 0 ? n - 1 : list.length - n) : index + delta * n;
      const item = list[(at % list.length + list.length) % list.length];
      if (undecided(item)) return moveFocus(item.dataset.ann);
    }
  }

  function afterReviewDecision() {
    // A quick reviewer may already be typing a rejection comment (r) on the item focus moved to: leave them there,
    // or the comment's letters would land as shortcuts (an `a` in it approving).
    if (inField(document.activeElement)) return;
    if (!items().some(undecided)) {
      focusAnnotation(focusedId, { scrollText: false, scrollList: false });
      return say("Decided. Nothing else here waits for your decision.");
    }
    reviewStep(1);
    say("Decided. On to the next one: a approves, r rejects with a comment, j / k move.");
  }

  // A decision made with the mouse: the next undecided item is the one after the item it was made on.
  document.addEventListener("submit", (event) => {
    const item = event.target.closest?.("#annotation-list .item");
    if (item && reviewing()) focusedId = item.dataset.ann;
  });

  /* A bulk action's confirmation (what it will do): the editor's first field takes focus as for any form (Enter
     there confirms); one without a field focuses its confirm button once that is done. */
  function showConfirmation() {
    const confirm = document.getElementById("bulk-confirm");
    if (!confirm) return;
    if (!confirm.querySelector("input:not([type=hidden])")) {
      setTimeout(() => confirm.querySelector("button[type=submit]:not([disabled])")?.focus(), 0);
    }
    say("Check what it will do: Enter confirms, Esc cancels.");
  }

  function focusedItem() {
    return focusedId ? document.getElementById(`item-${focusedId}`) : null;
  }

  function editFocused() {
    if (!Editor.edit(focusedItem()) && focusedId) say("You may not edit this annotation.", true);
  }

  function deleteFocused() {
    const button = focusedItem()?.querySelector("button.delete");
    if (button) activate(button);
    else if (focusedId) say("You may not delete this annotation.", true);
  }

  function approveFocused() {
    const button = focusedItem()?.querySelector("button.approve");
    if (button) activate(button);
    else if (focusedId) say("This annotation does not wait for your review.", true);
  }

  function rejectFocused() {
    const comment = focusedItem()?.querySelector(".reject-form input[name=comment]");
    if (!comment) return focusedId && say("This annotation does not wait for your review.", true);
    htmx.process(comment.form);
    comment.focus();
    say("Type what the author should fix, then press Enter to reject.");
  }

  /* Pending suggestions: Tab / Shift+Tab go through them, Enter or y accepts, x dismisses. */
  function suggestionItems() {
    return items().filter((item) => item.classList.contains("suggestion"));
  }

  function tabGoesThroughSuggestions(target) {
    if (form() || !suggestionItems().length) return false;
    // From the page's start Tab goes to the skip link first; from the text (where it leads) to the suggestions.
    return target === articleBody() || target.matches("#annotation-list .item.suggestion");
  }

  // Past the last suggestion (or before the first) the browser's own Tab order takes over again.
  function stepSuggestion(delta) {
    const list = suggestionItems();
    const index = list.findIndex((item) => item.dataset.ann === focusedId);
    const next = index < 0 ? (delta > 0 ? 0 : list.length - 1) : index + delta;
    if (next < 0 || next >= list.length) return false;
    focusAnnotation(list[next].dataset.ann);
    say(`Suggestion ${next + 1} of ${list.length}: Enter or y accepts it, x dismisses it, Tab goes on.`);
    return true;
  }

  function decideFocused(selector, quietly) {
    const item = focusedItem();
    const button = item?.classList.contains("suggestion") ? item.querySelector(selector) : null;
    if (!button) return quietly || !focusedId || say("This is not a suggestion; Tab goes to the next one.", true);
    const list = suggestionItems();
    const index = list.indexOf(item);
    nextSuggestionId = (list[index + 1] ?? list[index - 1])?.dataset.ann ?? null;
    activate(button);
  }

  function afterDecision(result) {
    const list = suggestionItems();
    const next = list.find((item) => item.dataset.ann === nextSuggestionId) ?? list[0];
    nextSuggestionId = null;
    if (next) {
      focusAnnotation(next.dataset.ann);
      say(`${list.length} suggestion${list.length === 1 ? "" : "s"} left: Enter or y accepts, x dismisses, Tab goes on.`);
    } else {
      focusAnnotation(result.id ?? null, { focusItem: false });
      articleBody().focus({ preventScroll: true });
      say("No suggestions left. Ctrl+Enter submits your drafts for review.");
    }
  }

  function submitArticle() {
    const button = document.getElementById("submit-article");
    if (button && !button.disabled) activate(button);
    else say("Nothing to submit: you have no drafts on this article.", true);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Escape" && (editor().childElementCount || Editor.opening())) {
      event.preventDefault();
      Editor.cancel(); // a form still on its way is not shown
      return closeEditor();
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !form()?.contains(target)) {
      event.preventDefault();
      return submitArticle();
    }
    if (inField(target)) return;
    if (Editor.opening() && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault(); // the form asked for is on its way: a key meant for its field must not act
      return;
    }
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey && tabGoesThroughSuggestions(target)) {
      if (stepSuggestion(event.shiftKey ? -1 : 1)) event.preventDefault();
      return;
    }
    if (target === articleBody() && event.key in ARROWS && !event.altKey && !event.metaKey) {
      event.preventDefault();
      return moveCaret(event);
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      q: () => openForm("quote"), c: () => openForm("claim"), s: () => openForm("stance"),
      j: () => (reviewing() ? reviewStep(1) : step(1)), k: () => (reviewing() ? reviewStep(-1) : step(-1)),
      e: editFocused, Delete: deleteFocused,
      a: approveFocused, r: rejectFocused,
      y: () => decideFocused("button.accept"), x: () => decideFocused("button.dismiss"),
      Enter: () => decideFocused("button.accept", true),
      n: () => document.getElementById("next-article")?.click(),
      "?": () => document.getElementById("shortcuts").showModal(),
    };
    const pickButton = form()?.querySelector(`[data-pick][aria-keyshortcuts="${CSS.escape(event.key)}"]`);
    const action = pickButton ? () => pick(pickButton.dataset.pick) : actions[event.key];
    if (action && !(target.closest("a, button") && event.key === "Enter")) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    const tag = target.closest("[data-tag]");
    if (tag) return openForm(tag.dataset.tag);
    const pickButton = target.closest("[data-pick]");
    if (pickButton) return pick(pickButton.dataset.pick);
    const unpickButton = target.closest("[data-unpick]");
    if (unpickButton) return unpick(unpickButton.dataset.unpick);
    if (target.closest("[data-close-editor]")) return closeEditor();
    if (target.closest("#show-shortcuts")) return document.getElementById("shortcuts").showModal();
    const mark = target.closest("#article-body mark.ann");
    if (mark && window.getSelection().isCollapsed) {
      return moveFocus(mark.dataset.ann, { scrollText: false, focusItem: false });
    }
    const item = target.closest("#annotation-list .item");
    if (item && !target.closest("a, button, form")) moveFocus(item.dataset.ann, { scrollList: false });
  });

  // The body is replaced after every save, so listen on the document.
  document.addEventListener("focusin", (event) => {
    const selection = window.getSelection();
    if (event.target === articleBody() && !inside(selection.anchorNode)) {
      // The body's first text, without the offsets' index of every span (rebuilt after each save otherwise).
      const first = articleBody().querySelector("span[data-o]")?.firstChild;
      if (first) selection.collapse(first, 0);
    }
  });

  // The form that asked is gone by the time htmx announces the result, so read the result's header
  // here, on the swap target, rather than listen for the events it names. htmx fires afterSettle once for every
  // element an answer swapped (the editor, the paragraphs, the entry, the counts, the toast) and settles them all
  // before the first event: the answer is acted on once, at the first (each pass forced a layout of the page).
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const answer = Editor.answerOf(event);
    if (answer && answer === settledAnswer) return;
    settledAnswer = answer;
    const header = event.detail.xhr?.getResponseHeader("HX-Trigger-After-Settle");
    const result = header ? JSON.parse(header) : {};
    if (result.suggestionDecided) {
      afterDecision(result.suggestionDecided);
    } else if (result.annotationSaved) {
      focusAnnotation(result.annotationSaved.id, { focusItem: false });
      articleBody().focus({ preventScroll: true });
    } else if (result.reviewDecided) {
      afterReviewDecision();
    } else if (document.getElementById("bulk-confirm")) {
      showConfirmation();
    } else if (result.annotationDeleted) {
      focusedId = null;
      articleBody().focus({ preventScroll: true });
    } else if (focusedId) {
      focusAnnotation(focusedId, { scrollText: false, scrollList: false, focusItem: false });
    }
    if (event.detail.target === editor()) Editor.bringIntoView();
    if (result.annotationSaved) markAfterPaint("workspace:save-drawn");
    else if (event.detail.target === editor() && form()) markAfterPaint("workspace:form-drawn");
    // A toast goes after a few seconds; one that offers Undo stays until the next action replaces it, since the
    // server keeps the undo open for minutes (and says so when it has closed).
    const toast = document.getElementById("toast");
    clearTimeout(toastTimer);
    if (toast.classList.contains("shown") && !toast.querySelector("#undo")) {
      toastTimer = setTimeout(() => toast.classList.remove("shown"), TOAST_MS);
    }
  });

  // The list's filter hid the focused entry: e or Delete must not act on an entry one cannot see.
  ListFilter.whenApplied(() => {
    if (focusedItem()?.hidden) focusAnnotation(null);
  });
  if (form()) Editor.bringIntoView(); // a page drawn with its form open (a link followed without htmx)

  /* Performance marks for bench/browser.py (nothing else reads them): `name` now, or once the next frame is drawn. */
  function mark(name) {
    if (window.performance?.mark) performance.mark(name);
  }

  function markAfterPaint(name) {
    requestAnimationFrame(() => setTimeout(() => mark(name)));
  }

  mark("workspace:init-end");
  if (window.performance?.measure) performance.measure("workspace:init", "workspace:init-start", "workspace:init-end");
  markAfterPaint("workspace:drawn");

  // What spans.js (changing the spans of the open form) builds on.
  window.AnnotatorWorkspace = Object.freeze({ sayAboutForm, selectedSpan, inField });
})();
