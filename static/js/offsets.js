/**
 * The one place where DOM boundary points (UTF-16) and code-point offsets over the article body meet.
 *
 * Every offset the product stores counts Unicode code points (Python str indices), half-open.
 * The server renders the body so that each text node is the only child of a <span data-o="N">,
 * N being the code-point offset of its first character; spans may sit inside nested <mark>s.
 */
(() => {
  "use strict";

  const SPAN = "span[data-o]";
  const NOTHING_SELECTED = "Select some text first.";
  const BEYOND_ARTICLE = "The selection goes beyond the article text: select within the article.";
  const ONLY_WHITESPACE = "The selection is only whitespace.";

  const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
  const isLowSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

  /** Whether a surrogate pair starts at UTF-16 index i of str. */
  const pairAt = (str, i) => isHighSurrogate(str.charCodeAt(i)) && isLowSurrogate(str.charCodeAt(i + 1));

  /** Number of code points in str; a lone surrogate counts as one, as in Python. */
  function codePointCount(str) {
    let count = 0;
    for (let i = 0; i < str.length; i += pairAt(str, i) ? 2 : 1) count += 1;
    return count;
  }

  /** The UTF-16 index reached by stepping `count` code points forward from index `from` (stops at the end). */
  function advance(str, count, from = 0) {
    let i = from;
    for (let step = 0; step < count && i < str.length; step += 1) i += pairAt(str, i) ? 2 : 1;
    return i;
  }

  /** str[start:end] counted in code points, as Python slices with non-negative indices. */
  function sliceCodePoints(str, start, end = Infinity) {
    const from = advance(str, start);
    return str.slice(from, advance(str, end - start, from));
  }

  /** The article body: the root's text, exactly as stored. */
  const bodyText = (root) => root.textContent;

  const indexes = new WeakMap();

  /** The spans under root and their offsets, rebuilt once the DOM under root has changed. */
  function spanIndex(root) {
    const cached = indexes.get(root);
    // takeRecords() sees mutations made in the current task, before the observer's callback has run.
    if (cached && !cached.stale && cached.observer.takeRecords().length === 0) return cached;
    cached?.observer.disconnect();
    const spans = Array.from(root.querySelectorAll(SPAN));
    if (spans.length === 0) throw new Error("The article body has no span[data-o].");
    const starts = spans.map((span) => Number(span.dataset.o));
    const last = spans.length - 1;
    const index = { spans, starts, length: starts[last] + codePointCount(spans[last].textContent), stale: false };
    index.observer = new MutationObserver(() => {
      index.stale = true;
    });
    index.observer.observe(root, { subtree: true, childList: true, characterData: true, attributeFilter: ["data-o"] });
    indexes.set(root, index);
    return index;
  }

  /** The code-point offset where a text node starts, read from its span. */
  function textStart(text) {
    const span = text.parentElement;
    if (!span?.matches(SPAN)) throw new Error("The article body has text outside a span[data-o].");
    return Number(span.dataset.o);
  }

  /** The first text node at or after the boundary point (node, offset) inside root; null at root's end. */
  function firstTextFrom(root, node, offset) {
    let start = node.childNodes[offset];
    if (!start) {
      let ancestor = node;
      while (ancestor !== root && !ancestor.nextSibling) ancestor = ancestor.parentNode;
      if (ancestor === root) return null;
      start = ancestor.nextSibling;
    }
    if (start.nodeType === Node.TEXT_NODE) return start;
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    walker.currentNode = start;
    return walker.nextNode();
  }

  /**
   * The code-point offset of the boundary point (node, offset), null when it is outside root.
   * An offset inside a surrogate pair counts as the start of that pair.
   */
  function toCodePoint(root, node, offset) {
    if (!node || !root.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const units = offset > 0 && pairAt(node.data, offset - 1) ? offset - 1 : offset;
      return textStart(node) + codePointCount(node.data.slice(0, units));
    }
    // Spans are contiguous, so a point between elements sits where the next text begins.
    const next = firstTextFrom(root, node, offset);
    return next ? textStart(next) : spanIndex(root).length;
  }

  /** The text node and UTF-16 offset of cp; on a span boundary, the later span unless `preferEarlier`. */
  function locate(root, cp, preferEarlier) {
    const { spans, starts, length } = spanIndex(root);
    if (!Number.isInteger(cp) || cp < 0 || cp > length) {
      throw new RangeError(`Offset ${cp} is outside the article body [0, ${length}].`);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= cp) low = middle;
      else high = middle - 1;
    }
    if (preferEarlier && low > 0 && starts[low] === cp) low -= 1;
    const node = spans[low].firstChild;
    return { node, offset: advance(node.data, cp - starts[low]) };
  }

  /** {node, offset} of code point cp (0 ≤ cp ≤ body length); a span boundary maps to the later span's start. */
  const fromCodePoint = (root, cp) => locate(root, cp, false);

  /** A Range over [start, end): it starts in the text holding its first character and ends in the one holding its last. */
  function rangeFromSpan(root, start, end) {
    if (end < start) throw new RangeError(`The span [${start}, ${end}) ends before it starts.`);
    const from = locate(root, start, false);
    const to = locate(root, end, end > start);
    const range = root.ownerDocument.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /** {start, end, text} of the selection inside root, whitespace trimmed, or {error} saying what to do. */
  function spanFromSelection(root, selection = root.ownerDocument.getSelection()) {
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return { error: NOTHING_SELECTED };
    // The range is in document order whichever way the selection was made.
    const range = selection.getRangeAt(0);
    const start = toCodePoint(root, range.startContainer, range.startOffset);
    const end = toCodePoint(root, range.endContainer, range.endOffset);
    if (start === null || end === null) return { error: BEYOND_ARTICLE };
    if (start === end) return { error: NOTHING_SELECTED };
    const text = rangeFromSpan(root, start, end).toString();
    // trim() strips exactly what /\s/u matches, all of it single UTF-16 units, so lengths count code points.
    const trimmed = text.trim();
    if (trimmed === "") return { error: ONLY_WHITESPACE };
    const leading = text.length - text.trimStart().length;
    const trailing = text.length - text.trimEnd().length;
    return { start: start + leading, end: end - trailing, text: trimmed };
  }

  window.AnnotatorOffsets = Object.freeze({
    codePointCount,
    toCodePoint,
    fromCodePoint,
    rangeFromSpan,
    spanFromSelection,
    bodyText,
    sliceCodePoints,
  });
})();
