"""The API's default paths side by side with doccano 1.8.4, on one workload, in one invocation (issue 16).

1. Ours: a scratch database `annotator_bench_peers` beside DATABASE_URL's (or on the embedded server) of realistic
   size, written with COPY: 20,000 news articles of 3,000-5,000 code points (emoji, CJK, curly quotes), 28
   pending suggestions on each and 20 annotations by each of two other annotators on one in ten, about 600,000
   annotations (bench/peers_ours.py). The server as `make run` starts it (gunicorn with gunicorn.conf.py, every
   setting at its default), a fresh connection per request, as the project's annotator "reader" with a token.
2. doccano 1.8.4 from PyPI in its own venv (.data/bench/doccano-venv, made on first use), gunicorn with 5 sync
   workers and its Celery worker, on its own database of the same PostgreSQL server, 2,000 articles of the same
   workload imported through its API (bench/peers_doccano.py).

Workloads, the same on both sides:
- single creates: per article, 20 POSTs of one span (our quote/claim, doccano's span) and one of a document-level
  stance (doccano's category), from 4 client threads over --creates articles; rate, p50, p95.
- an article with its annotations, as a client gets all of them with the defaults: ours GET the article and the
  annotation list, following `next` links; doccano the example, its spans and its categories. On the first
  article (21 by the reader; ours also returns the article's 47 pending suggestions) and on one with 200 more
  (ours one POST of a list; doccano 200 POSTs). --reads sequential reads each; p50.
- web workers' memory: PSS of the whole server tree (master and workers) after the workload; doccano's web tree
  (its Celery worker is reported apart).

Run from the repository root (or `make bench-peers`):

    .venv/bin/python bench/peers.py                  # the full size, both servers
    .venv/bin/python bench/peers.py --scale 0.1      # 2,000 articles on our side: a quick try
    .venv/bin/python bench/peers.py --only ours --keep   # keep the database; --reuse measures it again

The targets of issue 16 (ratios in one run): creates ≥ 2× doccano's rate with p95 ≤ 0.6× its p95; the article
with its 20 and with its 200 in ≤ 0.5× doccano's time; web memory ≤ 0.5× doccano's web tree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench import peers_workload as w

SCRATCH_DATABASE = "annotator_bench_peers"
TARGETS = {  # row: (our figure ÷ doccano's must be, at least (True) or at most (False))
    "creates_rate": (2.0, True),
    "creates_p95": (0.6, False),
    "read_20": (0.5, False),
    "read_200": (0.5, False),
    "memory": (0.5, False),
}


def figures(result: dict) -> dict:
    return {
        "creates_rate": result["creates"]["per_s"],
        "creates_p50": result["creates"]["p50"],
        "creates_p95": result["creates"]["p95"],
        "read_20": result["read_20"]["p50"],
        "read_200": result["read_200"]["p50"],
        "memory": result["pss_mib"],
    }


ROWS = [
    ("creates_rate", "single creates, 4 clients: requests/s"),
    ("creates_p50", "  p50 ms"),
    ("creates_p95", "  p95 ms"),
    ("read_20", "an article with its 20 (+1): p50 ms"),
    ("read_200", "an article with its 200: p50 ms"),
    ("memory", "web workers' PSS after the workload, MiB"),
]


def table(ours: dict | None, doccano: dict | None) -> str:
    lines = ["| workload | ours | doccano 1.8.4 | ratio | target |", "|---|---|---|---|---|"]
    mine = figures(ours) if ours else {}
    theirs = figures(doccano) if doccano else {}
    for key, label in ROWS:
        a, b = mine.get(key), theirs.get(key)
        ratio = f"{a / b:.2f}" if a is not None and b else ""
        target = ""
        if key in TARGETS and ratio:
            bound, at_least = TARGETS[key]
            met = a / b >= bound if at_least else a / b <= bound
            target = f"{'≥' if at_least else '≤'} {bound} {'met' if met else 'NOT met'}"
        lines.append(f"| {label} | {_fmt(a)} | {_fmt(b)} | {ratio} | {target} |")
    if ours:
        lines.append(
            f"| (ours returned {ours['read_20']['returned']} in {ours['read_20']['requests']} requests and "
            f"{ours['read_200']['returned']} in {ours['read_200']['requests']}; "
            f"idle PSS {ours['pss_idle_mib']:.0f} MiB) | | | | |"
        )
    if doccano:
        lines.append(
            f"| (doccano returned {doccano['read_20']['returned']} and {doccano['read_200']['returned']} in 3 "
            f"requests each; idle web PSS {doccano['pss_idle_mib']:.0f} MiB, Celery "
            f"{doccano['celery_pss_mib']:.0f} MiB) | | | | |"
        )
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def run_ours(args, workload: list[dict]) -> dict:
    from bench import peers_ours

    keep = args.keep or args.reuse
    with harness.scratch_database(SCRATCH_DATABASE, reuse=args.reuse, keep=keep) as url:
        fixture = peers_ours.fixture(args.scale, args.creates, reuse=args.reuse)
        print(f"  ours: {fixture['articles']:,} articles, {fixture['annotations']:,} annotations", flush=True)
        with harness.serve(url) as server:
            result = peers_ours.run(server.port, server.pid, fixture, workload, clients=args.clients, reads=args.reads)
            if result["creates"]["errors"]:
                print(f"  ours: {result['creates']['errors']} errors: {result['creates']['first_error']}")
        result.update(articles=fixture["articles"], annotations=fixture["annotations"], server=harness.gunicorn_setup())
        return result


def run_doccano(args, workload: list[dict]) -> dict:
    from bench import peers_doccano

    result = peers_doccano.run(workload, clients=args.clients, reads=args.reads, articles=args.doccano_articles)
    if result["creates"]["errors"]:
        print(f"  doccano: {result['creates']['errors']} errors: {result['creates']['first_error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="our database's size (1: 20,000 articles)")
    parser.add_argument("--creates", type=int, default=250, help="articles that get 21 single creates (default 250)")
    parser.add_argument("--reads", type=int, default=200, help="reads of each article with its annotations")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--doccano-articles", type=int, default=2_000)
    parser.add_argument("--only", choices=("ours", "doccano"))
    parser.add_argument("--keep", action="store_true", help="keep our scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a database --keep left (kept again)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    print(harness.machine(), flush=True)
    workload = w.articles(args.creates + 1)
    ours = doccano = None
    if args.only != "doccano":
        print("ours", flush=True)
        ours = run_ours(args, workload)
    if args.only != "ours":
        print(f"doccano {__import__('bench.peers_doccano').peers_doccano.VERSION}", flush=True)
        doccano = run_doccano(args, workload)
    print(table(ours, doccano))
    if args.json:
        args.json.write_text(json.dumps({"ours": ours, "doccano": doccano}, indent=1))


if __name__ == "__main__":
    main()
