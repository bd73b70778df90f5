"""The annotation workspace in a real browser: a long article with thousands of annotations, timed by Chromium.

Two articles of news-like text (fixed seed): 10,000 words with 2,000 annotations and 2,000 words with 200.
The annotations are quotes, claims and stances in turn, by four annotators and the reviewer who opens the
page, 10% of them pending suggestions; a fifth of them copy another one's span (the same unit tagged by
two people), a fifth sit inside another one (nested), the rest start anywhere at a word and run 20-300
code points, so that they cross each other. Statuses are mixed (draft, submitted, approved, rejected).

The production server (gunicorn with gunicorn.conf.py, as `make run` serves, DEBUG off) serves a scratch
database; Playwright drives Debian's Chromium (/usr/bin/chromium, headless, 1366×900) logged in as the
reviewer. Every time is the browser's own (Performance API), median of RUNS runs:

  drawn         navigation start → the first frame after DOMContentLoaded (the text, the list and
                workspace.js all in place: the page could not answer a key before)
  key           a `j` keydown's timestamp → the frame after the workspace moved the focus to the next item
  interactive   drawn + key: the earliest a press of `j` can be seen answered
  list whole    navigation start → the last chunk of a long list in place (the page carries the first
                entries of the list, the rest follows in chunks)
  save          the Enter keydown in a new quote's form → the frame after its highlight and list entry
                are drawn (workspace.js marks `workspace:save-drawn` after htmx settles the answer)
  edit          the `e` keydown on a focused annotation of the reviewer's → the frame after the edit form
                is drawn (`workspace:form-drawn`); `e` is pressed READ_S after the click that focused the
                annotation, as a person reads the entry first (the workspace asks for the form on focus); the
                same with `e` pressed at once after the click is printed beside it
  heap          the JS heap used after a garbage collection (CDP Performance.getMetrics), and the DOM nodes

A baseline in the same run: the same text as a static HTML page without annotations, served by the same
server (a file put in STATIC_ROOT before it starts), timed the same way (drawn, key); the ratio of the
workspace's interactive time to the baseline's is printed. The server time and SQL queries of the page
are measured too, in-process through Django's test client. Targets (issue 14): the 2,000-annotation page
interactive in under 1.5 s, a save drawn in under 150 ms, an edit form open in under 100 ms.

The scratch database sits beside DATABASE_URL's (or on the PostgreSQL service at 127.0.0.1:5432, or on
the embedded server) and is dropped at the end. With `--articles N` it first gets N other articles of the
same project with `--per-article` annotations each (written with COPY: a database of realistic size, as a
team's after months of work; the default, 5,000 × 40 = 200,000 annotations, takes about half a minute to
build); `--articles 0` measures on the two articles alone. Method and figures: bench/README.md.

    .venv/bin/python bench/browser.py          # or: make bench-browser
    .venv/bin/python bench/browser.py --articles 0
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

VIEWPORT = {"width": 1366, "height": 900}
RUNS = 5
SEED = 14
ARTICLES = ((10_000, 2_000), (2_000, 200))  # (words, annotations)
TARGETS = {"interactive": 1500, "save": 150, "edit": 100}  # ms, for the 2,000-annotation page
ANNOTATORS = ("ana", "bo", "cleo", "dev")
STATUSES = ("draft", "submitted", "approved", "rejected")
READ_S = 0.3  # between focusing an annotation and pressing e: a person reads the entry first

# Added to every page before its own scripts (Playwright's init script is not subject to the page's CSP):
# each keydown's timestamp, and when the frame after its handlers was drawn; the first frame after
# DOMContentLoaded.
PROBE = """
window.__bench = {keys: [], drawn: null};
const afterPaint = (done) => requestAnimationFrame(() => setTimeout(() => done(performance.now())));
window.addEventListener("keydown", (event) => {
  const entry = {key: event.key, at: event.timeStamp, painted: null};
  window.__bench.keys.push(entry);
  afterPaint((now) => { entry.painted = now; });
}, true);
document.addEventListener("DOMContentLoaded", () => afterPaint((now) => { window.__bench.drawn = now; }));
"""


def local_postgres() -> None:
    """Without DATABASE_URL, the PostgreSQL service on 127.0.0.1:5432 if one answers (else the embedded one)."""
    if os.environ.get("DATABASE_URL", "").strip():
        return
    with socket.socket() as sock:
        sock.settimeout(0.5)
        if sock.connect_ex(("127.0.0.1", 5432)) == 0:
            os.environ["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/postgres"


# --- the articles -------------------------------------------------------------------------------------


def article_body(rng: random.Random, words: int) -> str:
    """News-like paragraphs (bench/harness.py's), cut at a paragraph end once `words` are reached."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for paragraph in harness.news_body(rng).split("\n\n"):
            if count >= words:
                break
            paragraphs.append(paragraph)
            count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def spans(rng: random.Random, body: str, count: int) -> list[tuple[int, int]]:
    """Identical (a fifth), nested (a fifth) and crossing spans, each starting on a word."""
    starts = [0] + [i + 1 for i, char in enumerate(body) if char in " \n" and i + 1 < len(body)]
    result: list[tuple[int, int]] = []
    while len(result) < count:
        roll = rng.random()
        if result and roll < 0.2:
            result.append(rng.choice(result))
            continue
        if result and roll < 0.4:
            outer_start, outer_end = rng.choice(result)
            inside = [s for s in starts if outer_start < s < outer_end - 5]
            if inside:
                start = rng.choice(inside)
                result.append((start, rng.randint(start + 3, outer_end)))
                continue
        start = rng.choice(starts[:-20])
        result.append((start, min(len(body), start + rng.randint(20, 300))))
    return result


def build(rng: random.Random, project, reviewer, annotators, words: int, count: int):
    from django.utils import timezone

    from annotator.annotations.models import Annotation
    from annotator.articles.ingestion import content_hash
    from annotator.articles.models import Article

    body = article_body(rng, words)
    article = Article.objects.create(
        project=project, title=f"{words:,} words, {count:,} annotations", body=body, content_hash=content_hash(body)
    )
    now = timezone.now()
    authors = [reviewer, *annotators]
    rows = []
    for number, (start, end) in enumerate(spans(rng, body, count)):
        attributes = harness.news_annotation(rng, body, number)
        kind = attributes["kind"]
        if kind == "quote":
            attributes["attributes"]["cue_span"] = None
        common = dict(article=article, kind=kind, start=start, end=end, text=body[start:end], created_at=now)
        if number % 10 == 9:  # a pending suggestion
            rows.append(Annotation(**common, attributes=attributes["attributes"], origin="suggested",
                                   suggester="bench", confidence=0.8))  # fmt: skip
            continue
        author = authors[number % len(authors)]
        status = "draft" if author == reviewer else STATUSES[rng.randrange(3)]
        rows.append(Annotation(**common, attributes=attributes["attributes"], author=author, status=status))
    Annotation.objects.bulk_create(rows)
    mine = [a.pk for a in Annotation.objects.filter(article=article, author=reviewer).order_by("start", "pk")]
    return article, mine


def add_background(project, people, articles: int, per_article: int, rng: random.Random) -> int:
    """`articles` other news-like articles of the project with `per_article` annotations each (COPY), by the same
    people, statuses mixed, the rejected ones with their review; the annotations written."""
    from django.db import connection

    if not articles:
        return 0
    at = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    bodies = [harness.news_body(rng) for _ in range(articles)]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        ids = harness.copy_articles(cursor, project.pk, bodies, at=at, source="The Ledger")
        with cursor.copy(harness.ANNOTATION_COPY) as copy:
            for article_id, body in zip(ids, bodies, strict=True):
                for number in range(per_article):
                    a = harness.news_annotation(rng, body, number)
                    author = people[number % len(people)]
                    status = STATUSES[rng.randrange(len(STATUSES))]
                    submitted = None if status == "draft" else at
                    attributes = json.dumps(a["attributes"], ensure_ascii=False)
                    row = (article_id, a["kind"], a["start"], a["end"], a["text"], attributes, status, "human")
                    copy.write_row((*row, author.pk, "", 1 if status == "draft" else 2, at, at, submitted))
        cursor.execute(
            "INSERT INTO annotations_review (annotation_id, reviewer_id, decision, comment, annotation_version, "
            "created_at) SELECT n.id, %s, CASE n.status WHEN 'approved' THEN 'approve' ELSE 'reject' END, "
            "CASE n.status WHEN 'approved' THEN '' ELSE 'The span is too long.' END, n.version, %s "
            "FROM annotations_annotation n WHERE n.article_id = ANY(%s) AND n.status IN ('approved', 'rejected')",
            [people[0].pk, at, ids],
        )
    with connection.cursor() as cursor:
        for table in ("articles_article", "annotations_annotation", "annotations_review"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return articles * per_article


def write_baseline(body: str, name: str) -> Path:
    """The text alone as a static page, in STATIC_ROOT (whitenoise serves what it finds there at start)."""
    from django.conf import settings

    paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in body.split("\n\n"))
    path = Path(settings.STATIC_ROOT) / name
    head = '<meta charset="utf-8"><link rel="icon" href="data:,"><title>Baseline</title>'
    path.write_text(f'<!doctype html>\n<html lang="en"><head>{head}</head>'
                    f"<body><main><h1>Baseline</h1>\n{paragraphs}</main></body></html>\n")  # fmt: skip
    return path


# --- the browser --------------------------------------------------------------------------------------


def heap(page) -> tuple[float, int]:
    """MB of JS heap in use after a garbage collection, and the DOM nodes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.detach()
    return metrics["JSHeapUsedSize"] / 2**20, int(metrics["Nodes"])


def key_answered(page, key: str) -> float:
    """ms from the last `key` keydown to the frame after it was handled."""
    page.wait_for_function(
        "key => { const k = window.__bench.keys.filter(e => e.key === key).pop(); return k && k.painted; }", arg=key
    )
    return page.evaluate(
        "key => { const k = window.__bench.keys.filter(e => e.key === key).pop(); return k.painted - k.at; }", key
    )


def since_key(page, key: str, mark: str) -> float:
    """ms from the last `key` keydown to the latest `mark` after it (waiting for one)."""
    script = """([key, mark]) => {
        const k = window.__bench.keys.filter(e => e.key === key).pop();
        const m = performance.getEntriesByName(mark).filter(e => e.startTime > k.at).pop();
        return m ? m.startTime - k.at : null;
    }"""
    page.wait_for_function(script, arg=[key, mark])
    time.sleep(0.1)  # later swaps of the same answer settle and mark again
    return page.evaluate(script, [key, mark])


def load(page, url: str, *, workspace: bool) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__bench.drawn")
    drawn = page.evaluate("window.__bench.drawn")
    init = page.evaluate("(performance.getEntriesByName('workspace:init')[0] || {}).duration ?? null")
    page.keyboard.press("j")
    if workspace:
        page.wait_for_selector("#annotation-list .item.focused")
    key = key_answered(page, "j")
    whole = drawn
    if workspace:  # a long list comes in chunks after the page is drawn: until the last one is in
        page.wait_for_selector("#annotation-list .more-items", state="detached")
        whole = page.evaluate("performance.now()")
    return {"drawn": drawn, "key": key, "interactive": drawn + key, "init": init, "whole": whole}


def select_words(page, start: int, end: int) -> None:
    page.evaluate(
        """([start, end]) => {
            const root = document.getElementById("article-body");
            const range = AnnotatorOffsets.rangeFromSpan(root, start, end);
            range.startContainer.parentElement.scrollIntoView({block: "center"});
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [start, end],
    )


def save(page, body: str, rng: random.Random) -> float:
    start = rng.randrange(0, len(body) - 100)
    while body[start - 1] != " ":
        start += 1
    select_words(page, start, start + 40)
    page.keyboard.press("q")
    speaker = page.locator("#annotation-form input[name=speaker]")
    speaker.fill("Bench Speaker")
    speaker.press("Enter")
    took = since_key(page, "Enter", "workspace:save-drawn")
    page.wait_for_selector("#annotation-form", state="detached")
    return took


def edit(page, annotation_id: int, pause: float = READ_S) -> float:
    page.locator(f"#item-{annotation_id} .item-head").click()
    time.sleep(pause)
    page.keyboard.press("e")
    took = since_key(page, "e", "workspace:form-drawn")
    page.wait_for_selector("#annotation-form")
    page.keyboard.press("Escape")
    page.wait_for_selector("#annotation-form", state="detached")
    return took


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def measure_article(chromium, base: str, cookie: dict, article, mine: list[int], baseline: str, rng) -> dict:
    context = chromium.new_context(base_url=base, viewport=VIEWPORT)
    context.add_cookies([cookie])
    context.add_init_script(PROBE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    url = f"/articles/{article.pk}/"
    load(page, url, workspace=True)  # warm: the browser's cache, the server's workers
    load(page, baseline, workspace=False)
    harness.wait_for_quiet(20)
    loads, bases = [], []
    for _ in range(RUNS):
        loads.append(load(page, url, workspace=True))
        bases.append(load(page, baseline, workspace=False))
    load(page, url, workspace=True)
    heap_loaded, nodes = heap(page)
    saves = [save(page, article.body, rng) for _ in range(RUNS + 1)][1:]  # the first is warm-up
    edits = [edit(page, annotation_id) for annotation_id in mine[len(mine) // 2 :][: RUNS + 1]][1:]
    at_once = [edit(page, annotation_id, 0) for annotation_id in mine[len(mine) // 3 :][: RUNS + 1]][1:]
    heap_after, _ = heap(page)
    context.close()
    if errors:
        print("console errors:", *errors[:5], sep="\n  ")
    return {
        "drawn": median(loads, "drawn"),
        "key": median(loads, "key"),
        "interactive": median(loads, "interactive"),
        "init": median(loads, "init"),
        "whole": median(loads, "whole"),
        "base_drawn": median(bases, "drawn"),
        "base_key": median(bases, "key"),
        "base_interactive": median(bases, "interactive"),
        "save": statistics.median(saves),
        "edit": statistics.median(edits),
        "edit_at_once": statistics.median(at_once),
        "heap": heap_loaded,
        "heap_after": heap_after,
        "nodes": nodes,
        "all_interactive": [round(run["interactive"]) for run in loads],
        "all_save": [round(s) for s in saves],
        "all_edit": [round(e) for e in edits],
        "all_edit_at_once": [round(e) for e in at_once],
    }


def server_side(user, article, mine: list[int]) -> dict:
    """In-process (Django's test client: server time, no network), median of RUNS: the page (ms, SQL queries,
    bytes), render_body alone, the htmx answer to a save and the edit form."""
    from django.test import Client
    from django.urls import reverse

    from annotator.annotations.models import Annotation
    from annotator.annotations.rendering import render_body
    from annotator.annotations.workspace import highlights_of

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("article_detail", args=[article.pk])
    client.get(url)
    page_ms, page_queries = harness.median_ms(lambda: client.get(url), RUNS)
    size = len(client.get(url).content)
    highlights = highlights_of(Annotation.objects.filter(article=article))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        render_body(article.body, highlights)
        times.append((time.perf_counter() - started) * 1000)
    rng = random.Random(SEED)
    save_url = reverse("annotation_create", args=[article.pk])

    def save():
        start = rng.randrange(0, len(article.body) - 50)
        fields = {"kind": "claim", "start": start, "end": start + 30, "checkworthy": "on"}
        return client.post(save_url, fields, headers={"HX-Request": "true"})

    save_ms, save_queries = harness.median_ms(save, RUNS)
    edit_url = reverse("annotation_edit", args=[mine[len(mine) // 2]])
    edit_ms, edit_queries = harness.median_ms(lambda: client.get(edit_url, headers={"HX-Request": "true"}), RUNS)
    return {"page": page_ms, "queries": page_queries, "size": size, "render_body": statistics.median(times),
            "save": save_ms, "save_queries": save_queries, "edit": edit_ms, "edit_queries": edit_queries}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5_000, help="other articles in the database (default 5000)")
    parser.add_argument("--per-article", type=int, default=40, help="annotations on each of them (default 40)")
    parser.add_argument("--database", default="annotator_bench_browser", help="the scratch database's name (dropped "
                        "at the start and the end: two runs at once need two names)")  # fmt: skip
    args = parser.parse_args()
    local_postgres()
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    print(f"Workspace in Chromium — {harness.machine()}")
    with harness.scratch_database(args.database) as url:
        from annotator.accounts.models import Role
        from annotator.articles.services import create_project

        rng = random.Random(SEED)
        project = create_project(actor=None, name="bench browser", slug="bench-browser")
        reviewer, _ = harness.member(project, "rita", Role.REVIEWER)
        annotators = [harness.member(project, name, Role.ANNOTATOR)[0] for name in ANNOTATORS]
        started = time.perf_counter()
        others = add_background(project, [reviewer, *annotators], args.articles, args.per_article, random.Random(SEED))
        built = [(w, n, *build(rng, project, reviewer, annotators, w, n)) for w, n in ARTICLES]
        print(f"database: {args.articles + len(ARTICLES):,} articles, {others + sum(n for _, n in ARTICLES):,} "
              f"annotations (built in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        baselines = [
            write_baseline(article.body, f"bench-baseline-{os.getpid()}-{w}.html") for w, _, article, _ in built
        ]
        cookie = {"name": "sessionid", "value": harness.session_key(reviewer), "domain": "127.0.0.1", "path": "/"}
        results = []
        try:
            with harness.serve(url) as server, sync_playwright() as playwright:
                print(f"server: {harness.gunicorn_setup()}; PostgreSQL {harness.postgres_version()}")
                from tests.browser import CHROMIUM, CHROMIUM_ARGS  # after Django is set up: it reads settings

                chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                print(f"browser: Chromium {chromium.version}, headless, {VIEWPORT['width']}×{VIEWPORT['height']}")
                base = f"http://127.0.0.1:{server.port}"
                for (words, count, article, mine), baseline in zip(built, baselines, strict=True):
                    figures = measure_article(
                        chromium, base, cookie, article, mine, f"/static/{baseline.name}", random.Random(SEED)
                    )
                    results.append((words, count, article, mine, figures))
                chromium.close()
        finally:
            for path in baselines:
                path.unlink(missing_ok=True)
        for words, count, article, mine, f in results:
            server = server_side(reviewer, article, mine)
            print(f"\n{words:,} words ({len(article.body):,} code points), {count:,} annotations "
                  f"(median of {RUNS}; ms from navigation start or from the key's timestamp)")  # fmt: skip
            print(f"  drawn        {f['drawn']:7.0f} ms   (workspace.js init {f['init']:.1f} ms)")
            print(f"  key j        {f['key']:7.0f} ms")
            target = f"  (target < {TARGETS['interactive']})" if count == ARTICLES[0][1] else ""
            print(f"  interactive  {f['interactive']:7.0f} ms{target}   runs {f['all_interactive']}")
            print(f"  list whole   {f['whole']:7.0f} ms   (the last chunk of the list drawn, from navigation start)")
            ratio = f["interactive"] / f["base_interactive"]
            print(f"  baseline     {f['base_interactive']:7.0f} ms   (static page of the same text: drawn "
                  f"{f['base_drawn']:.0f}, key {f['base_key']:.0f}); ratio {ratio:.1f}×")  # fmt: skip
            target = f"  (target < {TARGETS['save']})" if count == ARTICLES[0][1] else ""
            print(f"  save drawn   {f['save']:7.0f} ms{target}   runs {f['all_save']}")
            target = f"  (target < {TARGETS['edit']})" if count == ARTICLES[0][1] else ""
            print(f"  edit form    {f['edit']:7.0f} ms{target}   runs {f['all_edit']} (e {READ_S} s after focus)")
            print(f"  e at once    {f['edit_at_once']:7.0f} ms   runs {f['all_edit_at_once']} (e at the click)")
            print(f"  JS heap      {f['heap']:7.1f} MB after load, {f['heap_after']:.1f} MB after the saves and edits; "
                  f"{f['nodes']:,} DOM nodes")  # fmt: skip
            print(f"  server: page {server['page']:.1f} ms, {server['queries']} SQL queries, {server['size']:,} bytes "
                  f"(render_body {server['render_body']:.1f} ms)")  # fmt: skip
            print(f"          save {server['save']:.1f} ms, {server['save_queries']} SQL queries; "
                  f"edit form {server['edit']:.1f} ms, {server['edit_queries']} SQL queries")  # fmt: skip


if __name__ == "__main__":
    main()
