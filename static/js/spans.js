/*
 * Changing spans in the open annotation form: the annotation's own span and its span attributes (a quote's
 * speaker mention and cue). While the form is open they are marked in the text (CSS custom highlights) with a
 * handle at each end; a handle is dragged with the mouse, and keys move the ends of the span being adjusted a
 * grapheme or a word at a time ([ ] its start, , . its end, Shift for a word); u takes the selection as the span.
 * Offsets are code points (offsets.js) and every step lands between grapheme clusters (Intl.Segmenter). The form
 * posts the offsets and their text, and the server checks them against the body: this file only gathers input.
 */
(() => {
  "use strict";

  const workspace = document.getElementById("workspace");
  if (!workspace || !window.AnnotatorOffsets || !window.AnnotatorWorkspace) return;
  const Offsets = window.AnnotatorOffsets;
  // What is said here is about the form: the hint rests once the form has closed.
  const { sayAboutForm: say, selectedSpan, inField } = window.AnnotatorWorkspace;
  const MAIN = "span"; // the annotation's own span; the others are named by their attribute
  const KEYS = {
    "[": ["start", -1, "grapheme"], "]": ["start", 1, "grapheme"], "{": ["start", -1, "word"], "}": ["start", 1, "word"],
    ",": ["end", -1, "grapheme"], ".": ["end", 1, "grapheme"], "<": ["end", -1, "word"], ">": ["end", 1, "word"],
  };
  // The same keys by position, for layouts whose brackets or Shift+comma give other characters.
  const CODES = { BracketLeft: ["start", -1], BracketRight: ["start", 1], Comma: ["end", -1], Period: ["end", 1] };
  const MAX_SHOWN = 400; // as the form's truncatechars

  const articleBody = () => document.getElementById("article-body");
  const form = () => document.getElementById("annotation-form");
  const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let words = null;
  let bodyText = null; // the body never changes once annotated: read it once
  let layer = null;
  const handles = new Map();
  const highlighted = new Set();
  let drawn = new Map(); // span name → the span drawn, as JSON
  let drawnForm = null; // the form whose spans are drawn
  let dragging = null;

  function text() {
    if (bodyText === null) bodyText = Offsets.bodyText(articleBody());
    return bodyText;
  }

  function wordSegmenter() {
    words ??= new Intl.Segmenter(articleBody().closest("[lang]")?.lang || undefined, { granularity: "word" });
    return words;
  }

  let tables = null; // units[cp]: the UTF-16 index of code point cp of the body; points[unit]: the code point there

  function table(name) {
    if (!tables) {
      const body = text();
      const units = new Uint32Array(body.length + 1);
      const points = new Uint32Array(body.length + 1);
      let cp = 0;
      // A lone surrogate counts as one code point, as in Python (codePointAt gives it back unpaired).
      for (let i = 0; i < body.length; cp += 1) {
        const size = body.codePointAt(i) > 0xffff ? 2 : 1;
        units[cp] = i;
        points.fill(cp, i, i + size); // inside a surrogate pair: the pair's code point
        i += size;
      }
      units[cp] = body.length;
      points[body.length] = cp;
      tables = { units: units.subarray(0, cp + 1), points };
    }
    return tables[name];
  }

  const toUnit = (cp) => table("units")[cp];
  const toCodePoint = (unit) => table("points")[unit];
  const slice = (start, end) => text().slice(toUnit(start), toUnit(end));

  /** The UTF-16 index one grapheme cluster before or after `unit`. */
  function graphemeStep(unit, delta) {
    const body = text();
    if (delta > 0) {
      if (unit >= body.length) return body.length;
      const cluster = graphemes.segment(body).containing(unit);
      return cluster.index + cluster.segment.length;
    }
    return unit <= 0 ? 0 : graphemes.segment(body).containing(unit - 1).index;
  }

  /** A start goes to the start of the word before (or after) it, an end to the end of the word before (or after). */
  function wordStep(unit, delta, edge) {
    const body = text();
    const segments = wordSegmenter().segment(body);
    const bound = (s) => (edge === "start" ? s.index : s.index + s.segment.length);
    let s = delta < 0 ? (unit > 0 ? segments.containing(unit - 1) : undefined) : segments.containing(unit);
    while (s) {
      if (s.isWordLike && (delta < 0 ? bound(s) < unit : bound(s) > unit)) return bound(s);
      const next = delta < 0 ? s.index - 1 : s.index + s.segment.length;
      s = next >= 0 && next < body.length ? segments.containing(next) : undefined;
    }
    return delta < 0 ? 0 : body.length;
  }

  /** A point between clusters: the nearer boundary of the cluster that `unit` falls inside. */
  function snap(unit) {
    const cluster = unit < text().length ? graphemes.segment(text()).containing(unit) : null;
    if (!cluster || cluster.index === unit) return unit;
    const after = cluster.index + cluster.segment.length;
    return unit - cluster.index <= after - unit ? cluster.index : after;
  }

  // --- the spans of the form ------------------------------------------------------------------------

  function fieldsOf(f, name) {
    const prefix = name === MAIN ? "" : `${name}_`;
    const start = f.elements.namedItem(`${prefix}start`);
    const end = f.elements.namedItem(`${prefix}end`);
    if (!start || !end) return null;
    return {
      start,
      end,
      text: name === MAIN ? f.elements.namedItem("text") : null,
      shown: document.getElementById(name === MAIN ? "span-text" : `${name}-text`),
    };
  }

  function names(f) {
    return [MAIN, ...[...f.querySelectorAll("[data-pick-group]")].map((group) => group.dataset.pickGroup)];
  }

  /** {start, end} of the span `name` as the form will post it, or null when it has none in the body. */
  function read(f, name) {
    const fields = fieldsOf(f, name);
    if (!fields || fields.start.value === "" || fields.end.value === "") return null;
    const start = Number(fields.start.value);
    const end = Number(fields.end.value);
    const length = Number(articleBody().dataset.length);
    return Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= length
      ? { start, end }
      : null;
  }

  function label(f, name) {
    if (name === MAIN) return `The ${f.dataset.kind}’s span`;
    return f.querySelector(`[data-pick-group="${CSS.escape(name)}"] .label`)?.textContent ?? name;
  }

  function shorten(value) {
    const points = [...value];
    return points.length > MAX_SHOWN ? `${points.slice(0, MAX_SHOWN - 1).join("")}…` : value;
  }

  function briefly(value) {
    const points = [...value];
    return points.length > 60 ? `${points.slice(0, 28).join("")} … ${points.slice(-28).join("")}` : value;
  }

  function write(f, name, start, end) {
    const fields = fieldsOf(f, name);
    const covered = slice(start, end);
    fields.start.value = start;
    fields.end.value = end;
    if (fields.text) fields.text.value = covered;
    if (fields.shown) {
      fields.shown.textContent = shorten(covered);
      fields.shown.classList.remove("doc", "error");
    }
    draw();
  }

  function adjusting(f) {
    if (!f.dataset.adjusting) f.dataset.adjusting = names(f).find((name) => read(f, name)) ?? MAIN;
    return f.dataset.adjusting;
  }

  function adjust(f, name) {
    f.dataset.adjusting = name;
    draw();
  }

  // --- marking the spans in the text ------------------------------------------------------------------

  // The handles live in a layer of no height just after the body, outside it: moving one lays out the layer
  // alone, not the body's text (tens of milliseconds on a long article), and the body's DOM stays the server's.
  function handle(name, edge) {
    const root = articleBody();
    if (!layer || layer.previousElementSibling !== root) {
      layer?.remove();
      layer = document.createElement("div");
      layer.className = "span-handles";
      layer.setAttribute("aria-hidden", "true");
      root.after(layer);
      handles.clear();
    }
    const key = `${name} ${edge}`;
    if (!handles.has(key)) {
      const element = document.createElement("span");
      element.className = "span-handle";
      element.dataset.span = name;
      element.dataset.edge = edge;
      element.title = `Drag to move the ${edge} of this span`;
      layer.append(element);
      handles.set(key, element);
    }
    return handles.get(key);
  }

  /** The box of the grapheme cluster just after (edge "start") or just before (edge "end") code point `cp`. */
  function edgeBox(root, cp, edge) {
    const unit = toUnit(cp);
    const other = toCodePoint(graphemeStep(unit, edge === "start" ? 1 : -1));
    const range = edge === "start" ? Offsets.rangeFromSpan(root, cp, other) : Offsets.rangeFromSpan(root, other, cp);
    const rects = [...range.getClientRects()].filter((rect) => rect.height > 0);
    const rect = edge === "start" ? rects[0] : rects[rects.length - 1];
    return rect ?? range.getBoundingClientRect();
  }

  function setHighlight(key, range, priority) {
    const highlight = new Highlight(range);
    highlight.priority = priority;
    CSS.highlights.set(key, highlight);
    highlighted.add(key);
  }

  /** Mark the form's spans in the text and put the handles at their ends; with no form, unmark. */
  function draw() {
    textChanged = false;
    const root = articleBody();
    const f = form();
    const spans = f ? names(f).map((name) => [name, read(f, name)]).filter(([, span]) => span) : [];
    const active = f ? adjusting(f) : null;
    drawn = current(f);
    drawnForm = f;
    f?.querySelectorAll("[data-span-adjust]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.spanAdjust === active));
    });
    if (window.CSS?.highlights && window.Highlight) {
      highlighted.forEach((key) => CSS.highlights.delete(key));
      highlighted.clear();
      spans.forEach(([name, span], index) => {
        const range = Offsets.rangeFromSpan(root, span.start, span.end);
        setHighlight(`annotator-${name}`, range, index);
        if (name === active) setHighlight("annotator-adjusting", range, spans.length);
      });
    }
    // The handles are added and removed first, then measured, then moved: the layout is computed once.
    const wanted = new Map();
    for (const [name, span] of spans) {
      for (const edge of ["start", "end"]) wanted.set(handle(name, edge), { cp: span[edge], edge, on: name === active });
    }
    for (const [key, element] of handles) {
      if (!wanted.has(element)) {
        element.remove();
        handles.delete(key);
      }
    }
    if (!spans.length && layer) {
      layer.remove();
      layer = null;
    }
    if (!wanted.size) return;
    const origin = layer.getBoundingClientRect();
    const places = [...wanted].map(([element, { cp, edge, on }]) => [element, edgeBox(root, cp, edge), edge, on]);
    for (const [element, rect, edge, on] of places) {
      element.classList.toggle("adjusting", on);
      element.style.left = `${(edge === "start" ? rect.left : rect.right) - origin.left}px`;
      element.style.top = `${rect.top - origin.top}px`;
      element.style.height = `${rect.height}px`;
    }
  }

  const same = (spans, other) => spans.size === other.size && [...spans].every(([name, span]) => other.get(name) === span);

  function current(f) {
    return new Map(f ? names(f).map((name) => [name, JSON.stringify(read(f, name))]) : []);
  }

  /** After workspace.js changed a span attribute (p / v picked, Clear): mark it, and adjust the one picked. */
  function redrawIfChanged() {
    const f = form();
    const now = current(f);
    const changed = [...now].filter(([name, span]) => drawn.get(name) !== span);
    if (!changed.length && now.size === drawn.size) return;
    const picked = changed.find(([, span]) => span !== "null");
    if (picked) f.dataset.adjusting = picked[0];
    draw();
  }

  // --- changing a span ---------------------------------------------------------------------------------

  function announce(f, name) {
    const span = read(f, name);
    say(`${label(f, name)}: “${briefly(slice(span.start, span.end))}”. Enter saves.`);
  }

  function moveEdge(f, edge, delta, unit) {
    const name = adjusting(f);
    const span = read(f, name);
    if (!span) {
      const key = f.querySelector(`[data-pick="${CSS.escape(name)}"]`)?.getAttribute("aria-keyshortcuts") ?? "u";
      return say(`${label(f, name)}: none yet. Select its words in the text and press ${key}.`, true);
    }
    const from = toUnit(span[edge]);
    let to = unit === "word" ? wordStep(from, delta, edge) : graphemeStep(from, delta);
    to = edge === "start" ? Math.min(to, graphemeStep(toUnit(span.end), -1)) : Math.max(to, graphemeStep(toUnit(span.start), 1));
    const cp = toCodePoint(to);
    if (cp === span[edge]) {
      if (edge === "start" && delta < 0) return say("The span already starts at the beginning of the article.", true);
      if (edge === "end" && delta > 0) return say("The span already ends at the end of the article.", true);
      return say("A span keeps at least one character: move its other end first.", true);
    }
    write(f, name, edge === "start" ? cp : span.start, edge === "end" ? cp : span.end);
    handle(name, edge).scrollIntoView({ block: "nearest" });
    announce(f, name);
  }

  function useSelection(f) {
    const span = selectedSpan();
    if (!span) return say(`Select the new text of the ${f.dataset.kind} in the article first, then press u.`, true);
    if (span.error) return say(span.error, true);
    f.dataset.adjusting = MAIN;
    write(f, MAIN, span.start, span.end);
    document.dispatchEvent(new CustomEvent("annotator:span-replaced")); // a quote in parts: one part now (parts.js)
    window.getSelection().collapseToEnd(); // the mark shows through once the selection is gone
    announce(f, MAIN);
  }

  // A stance's span dropped: the form posts no offsets, and the server's update makes it a document-level stance.
  function wholeArticle(f) {
    const fields = fieldsOf(f, MAIN);
    fields.start.value = "";
    fields.end.value = "";
    if (fields.text) fields.text.value = "";
    if (fields.shown) {
      fields.shown.textContent = "A document-level stance: about the whole article.";
      fields.shown.classList.remove("error");
      fields.shown.classList.add("doc");
    }
    draw();
    say("About the whole article now, without a span: Enter saves.");
  }

  function keyStep(event) {
    if (event.metaKey || event.ctrlKey !== event.altKey) return null; // Ctrl+Alt: AltGr on Windows
    if (KEYS[event.key]) return KEYS[event.key];
    const byPosition = CODES[event.code];
    if (!byPosition || /^[\p{L}\p{N}?]$/u.test(event.key)) return null;
    return [...byPosition, event.shiftKey ? "word" : "grapheme"];
  }

  document.addEventListener("keydown", (event) => {
    const f = form();
    if (!f || event.defaultPrevented || inField(event.target)) return;
    if (event.key === "u" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      return useSelection(f);
    }
    const step = keyStep(event);
    if (!step) return queueMicrotask(redrawIfChanged);
    event.preventDefault();
    moveEdge(f, ...step);
  });

  document.addEventListener("click", (event) => {
    const f = form();
    if (!f) return;
    const target = event.target;
    if (target.closest("[data-span-use]")) return useSelection(f);
    if (target.closest("[data-span-whole]")) return wholeArticle(f);
    const toggle = target.closest("[data-span-adjust]");
    if (toggle) {
      adjust(f, toggle.dataset.spanAdjust);
      return say(`Adjusting ${label(f, toggle.dataset.spanAdjust).toLowerCase()}: [ ] move its start, , . its end (Shift: a word), or drag its ends.`);
    }
    queueMicrotask(redrawIfChanged);
  });

  // While an edit form is open, a selection may become its span (u) rather than a new annotation.
  document.addEventListener("selectionchange", () => {
    const f = form();
    const span = f && selectedSpan();
    if (!span || span.error) return;
    const quote = f.dataset.kind === "quote" ? ", + one more part of it, p / v the speaker mention / the cue" : "";
    say(`Selected ${span.end - span.start} characters: u makes them this ${f.dataset.kind}’s span${quote}; q, c or s tags them as a new annotation.`);
  });

  // --- dragging a handle ---------------------------------------------------------------------------------

  function caretAt(x, y) {
    let node = null;
    let offset = 0;
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      if (position) [node, offset] = [position.offsetNode, position.offset];
    } else if (document.caretRangeFromPoint) {
      const range = document.caretRangeFromPoint(x, y);
      if (range) [node, offset] = [range.startContainer, range.startOffset];
    }
    const cp = node && Offsets.toCodePoint(articleBody(), node, offset);
    return cp == null ? null : toCodePoint(snap(toUnit(cp)));
  }

  function dragTo(event) {
    const f = form();
    const cp = f && caretAt(event.clientX, event.clientY);
    const span = f && read(f, dragging.name);
    if (cp == null || !span) return;
    const { edge } = dragging;
    const bounded = edge === "start"
      ? Math.min(cp, toCodePoint(graphemeStep(toUnit(span.end), -1)))
      : Math.max(cp, toCodePoint(graphemeStep(toUnit(span.start), 1)));
    if (bounded !== span[edge]) write(f, dragging.name, edge === "start" ? bounded : span.start, edge === "end" ? bounded : span.end);
  }

  function endDrag() {
    document.removeEventListener("pointermove", dragTo);
    layer?.classList.remove("dragging");
    const f = form();
    if (f && read(f, dragging.name)) announce(f, dragging.name);
    dragging = null;
  }

  document.addEventListener("pointerdown", (event) => {
    const grabbed = event.target.closest?.(".span-handle");
    const f = form();
    if (!grabbed || !f || event.button !== 0) return;
    event.preventDefault();
    dragging = { name: grabbed.dataset.span, edge: grabbed.dataset.edge };
    adjust(f, dragging.name);
    layer.classList.add("dragging");
    document.addEventListener("pointermove", dragTo);
    document.addEventListener("pointerup", endDrag, { once: true });
  });

  // A drag from a handle moves the handle; it does not select text.
  document.addEventListener("selectstart", (event) => {
    if (dragging) event.preventDefault();
  });

  // The form comes and goes in #editor; the body may be swapped for a new one after a decision.
  const editor = document.getElementById("editor");
  // (Drawn once: an htmx answer into the editor is drawn as it settles, below, before this observer hears of it.)
  const drawnNow = () => form() === drawnForm && same(current(form()), drawn);
  if (editor) new MutationObserver(() => drawnNow() || draw()).observe(editor, { childList: true });
  // After an htmx answer the marks are drawn again if it changed the text under them (a paragraph or the whole body
  // swapped: the ranges marked are gone) or the form's spans; an answer that only opened the form (drawn above, as it
  // came) draws nothing more. htmx fires afterSettle for every element it swapped, all in place by the first: once.
  let textChanged = true;
  let watched = null;
  const textWatch = new MutationObserver(() => {
    textChanged = true;
  });
  let settledAnswer = null;
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const answer = window.AnnotatorEditor.answerOf(event);
    if (answer && answer === settledAnswer) return;
    settledAnswer = answer;
    if (articleBody() !== watched) {
      watched = articleBody();
      textWatch.disconnect();
      if (watched) textWatch.observe(watched, { childList: true });
      textChanged = true;
    }
    if (textChanged || !drawnNow()) draw();
  });
  window.addEventListener("resize", () => form() && draw());
  draw();
})();
