"""W1 with jobs: 2,000 articles of 3-5 KB through the API as two lists of 1,000, with the default settings
(suggestions on import), against the production server with job workers beside it.

1. A scratch database `annotator_bench_jobs` beside DATABASE_URL's (or on the embedded server), migrated.
2. A project and its admin (with a token); 2,000 news-like bodies of 3-5 KB (non-ASCII text).
3. gunicorn as `make run` starts it, and N job workers (`manage.py procrastinate worker`, N = 1 then 2; each
   run on a fresh project).
4. The two lists are sent one after the other. Measured: the time until both are answered (202: queued), until
   both import jobs have stored their articles, and until every suggestion job those imports queued is done.

Run from the repository root:  .venv/bin/python bench/jobs.py [--workers 1 2] [--articles 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import news_body

SCRATCH_DATABASE = "annotator_bench_jobs"
LIST_SIZE = 1000
SEED = 2027


def bodies(n: int, rng: random.Random) -> list[str]:
    """News-like bodies of 3-5 KB each."""
    out = []
    for _ in range(n):
        target = rng.randint(3_000, 5_000)
        body = news_body(rng)
        while len(body.encode()) < target:
            body += "\n\n" + news_body(rng)
        out.append(body.encode()[:target].decode(errors="ignore").rstrip())
    return out


def post(port: int, path: str, token: str, payload) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 loopback
        return response.status, json.loads(response.read())


def wait_until(condition, limit: float = 1800, every: float = 0.05) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit:
            raise SystemExit("timed out")
        time.sleep(every)
    return time.monotonic()


def run(url: str, server, workers: int, texts: list[str], label: str) -> dict:
    from annotator.articles.models import Article
    from annotator.articles.services import create_project
    from annotator.jobs.models import ACTIVE_STATES, Job, JobKind

    project = create_project(actor=None, name=f"W1 {label}", slug=f"w1-{label}")
    _, token = harness.member(project, f"admin-{label}", "admin")
    env = {**os.environ, "DATABASE_URL": url}
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=harness.REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        time.sleep(3)  # the workers start (Django, the suggesters' spaCy)
        items = [{"title": f"Story {i}", "body": body, "source": "Ledger"} for i, body in enumerate(texts)]
        started = time.monotonic()
        answers = []
        for i in range(0, len(items), LIST_SIZE):
            status, body = post(
                server.port, f"/api/v1/projects/{project.slug}/articles/", token, items[i : i + LIST_SIZE]
            )
            answers.append((status, body["id"] if status == 202 else None))
        answered = time.monotonic()
        imports = [pk for _, pk in answers if pk]
        stored = wait_until(
            lambda: not Job.objects.filter(pk__in=imports, state__in=ACTIVE_STATES).exists(), every=0.02
        )
        suggested = wait_until(
            lambda: not Job.objects.filter(project=project, kind=JobKind.SUGGEST, state__in=ACTIVE_STATES).exists()
        )
        n = Article.objects.filter(project=project).count()
        suggestion_jobs = Job.objects.filter(project=project, kind=JobKind.SUGGEST).count()
        failed = Job.objects.filter(project=project, state="failed").count()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    return {
        "workers": workers,
        "articles": n,
        "statuses": [s for s, _ in answers],
        "answered_s": answered - started,
        "stored_s": stored - started,
        "suggested_s": suggested - started,
        "suggestion_jobs": suggestion_jobs,
        "failed_jobs": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    with harness.scratch_database(SCRATCH_DATABASE) as url:
        rng = random.Random(SEED)
        print(f"{harness.machine()}; {harness.gunicorn_setup()}")
        with harness.serve(url) as server:
            for workers in args.workers:
                texts = bodies(args.articles, rng)  # new bodies each run: no duplicates of the run before
                figures = run(url, server, workers, texts, f"{workers}w")
                n = figures["articles"]
                print(
                    f"{workers} worker(s): {n} articles, answers {figures['statuses']}: "
                    f"answered in {figures['answered_s']:.2f} s ({n / figures['answered_s']:,.0f}/s), "
                    f"stored in {figures['stored_s']:.2f} s ({n / figures['stored_s']:,.0f}/s), "
                    f"all suggestions in {figures['suggested_s']:.1f} s ({n / figures['suggested_s']:,.0f} articles/s; "
                    f"{figures['suggestion_jobs']} suggestion jobs, {figures['failed_jobs']} failed)"
                )


if __name__ == "__main__":
    main()
