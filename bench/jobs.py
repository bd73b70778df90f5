"""W1 with jobs: 2,000 articles of 3-5 KB through the API as two lists of 1,000, with the default settings
(suggestions on import), against the server as `make run` starts it, on a scratch database that holds nothing else.

1. A scratch database `annotator_bench_jobs` beside DATABASE_URL's (or on the embedded server), migrated.
2. `manage.py serve --workers N` as `make run` runs it (gunicorn from gunicorn.conf.py and N job workers; N = 1
   then 2, each run on a fresh project, with new articles): the project and its admin (with a token).
3. W1 (bench/w1.py, which bench/peers.py measures on a database of realistic size beside doccano): the two lists
   sent one after the other; the time until both are answered (202: queued), until both import jobs have stored
   their articles, and until every suggestion job those imports queued is done.

Run from the repository root:  .venv/bin/python bench/jobs.py [--workers 1 2] [--articles 2000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness, w1

SCRATCH_DATABASE = "annotator_bench_jobs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--articles", type=int, default=w1.ARTICLES)
    args = parser.parse_args()
    with harness.scratch_database(SCRATCH_DATABASE) as url:
        from annotator.articles.services import create_project

        print(f"{harness.machine()}; {harness.gunicorn_setup()}", flush=True)
        for turn, workers in enumerate(args.workers):
            project = create_project(actor=None, name=f"W1 {workers}w", slug=f"w1-{workers}w")
            _, token = harness.member(project, f"admin-{workers}w", "admin")
            batch = w1.articles(args.articles, turn * args.articles)  # new articles each run
            with harness.serve(url, job_workers=workers) as server:
                figures = w1.run(server.port, project, token, batch)
            print(f"{workers} worker(s): {w1.line(figures)}", flush=True)


if __name__ == "__main__":
    main()
