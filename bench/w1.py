"""W1 (issue 15), the client bench/jobs.py and bench/peers.py both measure our import with: 2,000 news articles of
3,000-5,000 code points (bench/peers_workload.py's generator) sent to `POST /api/v1/projects/{slug}/articles/` as
two lists of 1,000, one after the other, with the default settings (suggestions on import).

Measured from the first request: *answered* (both requests answered 202, the job queued), *stored* (both import
jobs done: the articles stored, listed and found by search), *indexed* (their search documents computed by the
indexing job the imports queued; until then search matches them on the fly) and *suggested* (every suggestion
job those imports queued done). The jobs are watched in the database (as the jobs API reads them), every 20 ms,
so that watching costs the web server nothing.
"""

from __future__ import annotations

import time

from bench import peers_workload as w

ARTICLES = 2_000
LIST_SIZE = 1_000


def articles(count: int, first: int) -> list[dict]:
    """Workload articles first .. first + count - 1; a database that holds articles 0 .. first - 1 of the same
    generator (bench/peers_ours.py) holds none of them, so that none is a duplicate."""
    return w.articles(count, first)


def items(batch: list[dict]) -> list[dict]:
    """The articles as the API takes them."""
    return [{"title": a["title"], "body": a["text"], "source": "The Wire"} for a in batch]


def wait_until(condition, limit: float = 1800, every: float = 0.05) -> float:
    """Poll until `condition()`; the monotonic time it held."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit:
            raise SystemExit(f"W1: not done after {limit:.0f} s")
        time.sleep(every)
    return time.monotonic()


def run(port: int, project, token: str, batch: list[dict]) -> dict:
    """Send the articles as lists of LIST_SIZE and time them until stored and suggested (see the module's text)."""
    from annotator.articles.models import Article
    from annotator.jobs.models import ACTIVE_STATES, Job, JobKind

    api = w.Api(port, {"Authorization": f"Token {token}"})
    path = f"/api/v1/projects/{project.slug}/articles/"
    before = Article.objects.filter(project=project).count()
    since = Job.objects.filter(project=project).order_by("-pk").values_list("pk", flat=True).first() or 0
    payloads = [items(batch[i : i + LIST_SIZE]) for i in range(0, len(batch), LIST_SIZE)]
    started = time.monotonic()
    answers = [api.request("POST", path, payload)[:2] for payload in payloads]
    answered = time.monotonic()
    imports = [body["id"] for status, body in answers if status == 202]
    if len(imports) < len(answers):
        raise SystemExit(f"W1: a list was not queued: {[(s, str(b)[:300]) for s, b in answers]}")
    stored = wait_until(lambda: not Job.objects.filter(pk__in=imports, state__in=ACTIVE_STATES).exists(), every=0.02)
    unindexed = Article.objects.filter(project=project).unindexed()
    indexed = wait_until(lambda: not unindexed.exists(), every=0.02)
    mine = Job.objects.filter(project=project, pk__gt=since)
    suggestions = mine.filter(kind=JobKind.SUGGEST)
    suggested = wait_until(lambda: not suggestions.filter(state__in=ACTIVE_STATES).exists(), every=0.02)
    return {
        "articles": Article.objects.filter(project=project).count() - before,
        "sent": len(batch),
        "statuses": [status for status, _ in answers],
        "answered_s": answered - started,
        "stored_s": stored - started,
        "indexed_s": indexed - started,
        "suggested_s": suggested - started,
        "suggestion_jobs": suggestions.count(),
        "failed_jobs": mine.filter(state="failed").count(),
    }


def line(figures: dict) -> str:
    """One run's figures as a line of text."""
    n = figures["articles"]
    return (
        f"{n} of {figures['sent']} articles stored, answers {figures['statuses']}: "
        f"answered in {figures['answered_s']:.2f} s ({n / figures['answered_s']:,.0f}/s), "
        f"stored in {figures['stored_s']:.2f} s ({n / figures['stored_s']:,.0f}/s), "
        f"indexed for search in {figures['indexed_s']:.2f} s, "
        f"all suggestions in {figures['suggested_s']:.1f} s ({n / figures['suggested_s']:,.0f} articles/s; "
        f"{figures['suggestion_jobs']} suggestion jobs, {figures['failed_jobs']} failed)"
    )
