"""The API's default paths side by side with doccano 1.8.4, on one workload, in one invocation (issue 16).

Both servers are started, then every step runs on ours, then on doccano's, in --rounds turns (2 by default: the
creates are split in halves, the reads too): the machine is shared and its load changes from minute to minute, so
each figure is compared with one measured beside it.

1. Ours: a scratch database `annotator_bench_peers` beside DATABASE_URL's (or on the embedded server) of realistic
   size, written with COPY: 20,000 news articles of 3,000-5,000 code points (emoji, CJK, curly quotes), 28
   pending suggestions on each and 20 annotations by each of two other annotators on one in ten, about 600,000
   annotations (bench/peers_ours.py), indexed for search. The server as `make run` starts it (`manage.py serve`:
   gunicorn with gunicorn.conf.py, every setting at its default, and one job worker), a fresh connection per
   request, as the project's annotator "reader" with a token.
2. doccano 1.8.4 from PyPI in its own venv (.data/bench/doccano-venv, made on first use), gunicorn with 5 sync
   workers and its Celery worker, on its own database of the same PostgreSQL server, 2,000 articles of the same
   workload imported through its API (bench/peers_doccano.py).

Workloads, the same on both sides:
- single creates: per article, 20 POSTs of one span (our quote/claim, doccano's span) and one of a document-level
  stance (doccano's category), from 4 client threads over --creates articles; rate, p50, p95.
- an article with its annotations, as a client gets all of them with the defaults: ours GET the article, which
  carries them (following `annotations_next` past 2,000); doccano the example, its spans and its categories. On
  the first article (21 by the reader; ours also returns the article's 47 pending suggestions) and on one with 200 more
  (ours one POST of a list; doccano 200 POSTs). --reads sequential reads each; p50.
- web workers' memory: PSS of the whole server tree (master and workers) after the creates and reads; doccano's
  web tree (its Celery worker is reported apart).
- W1 (issue 15, bench/w1.py): 2,000 new articles of the same generator, in each of --rounds turns, imported as
  users import: ours as two lists of 1,000 to `POST /api/v1/projects/{slug}/articles/` (default settings:
  suggestions on import), timed until answered, stored by the job worker and all suggestions made; doccano's as
  two JSONL files of 1,000 through its upload widget and one import (its Celery task), timed until the task is
  done. doccano makes no suggestions: the third row compares our import with its suggestions to its import.

Run from the repository root (or `make bench-peers`):

    .venv/bin/python bench/peers.py                  # the full size, both servers
    .venv/bin/python bench/peers.py --scale 0.1      # 2,000 articles on our side: a quick try
    .venv/bin/python bench/peers.py --only ours --keep   # keep the database; --reuse measures it again
    .venv/bin/python bench/peers.py --workloads w1   # only the import (W1), on both

The targets of issue 16 (ratios in one run): creates ≥ 2× doccano's rate with p95 ≤ 0.6× its p95; the article
with its 20 and with its 200 in ≤ 0.5× doccano's time; web memory ≤ 0.5× doccano's web tree. Issue 15's: W1
answered and stored at ≥ 5,000 articles a second.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness, w1
from bench import peers_workload as w
from bench.peers_ours import ARTICLES

SCRATCH_DATABASE = "annotator_bench_peers"
WORKLOADS = ("creates", "reads", "w1")
TARGETS = {  # row: (our figure ÷ doccano's must be, at least (True) or at most (False))
    "creates_rate": (2.0, True),
    "creates_p95": (0.6, False),
    "read_20": (0.5, False),
    "read_200": (0.5, False),
    "memory": (0.5, False),
}


def figures(result: dict) -> dict:
    out = {}
    if "creates" in result or "read_20" in result:  # else the server was only idle
        out["memory"] = result["pss_mib"]
    if "creates" in result:
        creates = result["creates"]
        out.update(creates_rate=creates["per_s"], creates_p50=creates["p50"], creates_p95=creates["p95"])
    if "read_20" in result:
        out.update(read_20=result["read_20"]["p50"], read_200=result["read_200"]["p50"])
    return out


ROWS = [
    ("creates_rate", "single creates, 4 clients: requests/s"),
    ("creates_p50", "  p50 ms"),
    ("creates_p95", "  p95 ms"),
    ("read_20", "an article with its 20 (+1): p50 ms"),
    ("read_200", "an article with its 200: p50 ms"),
    ("memory", "web workers' PSS after the creates and reads, MiB"),
]
W1_ROWS = [  # (our figure, doccano's, label)
    (
        "answered_s",
        "answered_s",
        "W1, 2,000 articles a turn as 2 lists of 1,000 (doccano: 2 files, 1 import), turns added: answered, s",
    ),
    ("stored_s", "stored_s", "  answered and stored (doccano: the import complete), s"),
    ("indexed_s", "stored_s", "  and indexed for search (doccano keeps no search index: its import complete), s"),
    ("suggested_s", "stored_s", "  and all suggestions made (doccano makes none: its import complete), s"),
]
W1_TARGET = 5_000  # articles a second, answered and stored (issue 15)


def table(ours: dict | None, doccano: dict | None) -> str:
    lines = ["| workload | ours | doccano 1.8.4 | ratio | target |", "|---|---|---|---|---|"]
    mine = figures(ours) if ours else {}
    theirs = figures(doccano) if doccano else {}
    for key, label in ROWS:
        a, b = mine.get(key), theirs.get(key)
        if a is None and b is None:
            continue
        ratio = f"{a / b:.2f}" if a is not None and b else ""
        target = ""
        if key in TARGETS and ratio:
            bound, at_least = TARGETS[key]
            met = a / b >= bound if at_least else a / b <= bound
            target = f"{'≥' if at_least else '≤'} {bound} {'met' if met else 'NOT met'}"
        lines.append(f"| {label} | {_fmt(a)} | {_fmt(b)} | {ratio} | {target} |")
    lines += w1_rows((ours or {}).get("w1"), (doccano or {}).get("w1"))
    if ours and "read_20" in ours:
        lines.append(
            f"| (ours returned {ours['read_20']['returned']} in {ours['read_20']['requests']} requests and "
            f"{ours['read_200']['returned']} in {ours['read_200']['requests']}; "
            f"idle PSS {ours['pss_idle_mib']:.0f} MiB) | | | | |"
        )
    if doccano and "read_20" in doccano:
        lines.append(
            f"| (doccano returned {doccano['read_20']['returned']} and {doccano['read_200']['returned']} in 3 "
            f"requests each; idle web PSS {doccano['pss_idle_mib']:.0f} MiB, Celery "
            f"{doccano['celery_pss_mib']:.0f} MiB) | | | | |"
        )
    return "\n".join(lines)


def w1_rows(ours: dict | None, doccano: dict | None) -> list[str]:
    """W1's rows: seconds (all turns added up) with articles a second, and ours ÷ doccano's time."""
    if not ours and not doccano:
        return []
    lines = []
    for mine, theirs, label in W1_ROWS:
        a, b = ours and ours[mine], doccano and doccano[theirs]
        ratio = f"{a / b:.2f}" if a and b else ""
        target = ""
        if ours and mine in ("answered_s", "stored_s"):
            met = ours["articles"] / a >= W1_TARGET
            target = f"ours ≥ {W1_TARGET:,}/s {'met' if met else 'NOT met'}"
        lines.append(f"| {label} | {_rate(ours, a)} | {_rate(doccano, b)} | {ratio} | {target} |")
    if ours:
        lines.append(
            f"| (ours: {ours['articles']:,} of {ours['sent']:,} articles stored, {ours['suggestion_jobs']} "
            f"suggestion jobs, {ours['failed_jobs']} failed; a job worker beside gunicorn, as `make run`) | | | | |"
        )
    return lines


def _rate(w1_result: dict | None, seconds: float | None) -> str:
    if not w1_result or not seconds:
        return ""
    return f"{seconds:.2f} ({w1_result['articles'] / seconds:,.0f}/s)"


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def measure(args, workload: list[dict]) -> dict:
    """Both servers up at once, each step run on one, then on the other, in `--rounds` turns: the machine is shared,
    and its load changes from minute to minute, so figures compared are measured minutes apart at most."""
    from bench.peers_doccano import Doccano
    from bench.peers_ours import Ours

    wanted = [Ours(args.database, args, workload), Doccano(args, workload)]
    wanted = [server for server in wanted if args.only in (None, server.name)]
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(server) for server in wanted]
        results = {server.name: {"pss_idle_mib": server.idle_mib} for server in servers}
        if "creates" in args.workloads:
            creates(args, servers, workload[:-1], results)
        if "reads" in args.workloads:
            reads(args, servers, workload, results)
        for server in servers:
            result = results[server.name]
            result["pss_mib"] = server.pss_mib()
            if server.name == "doccano":
                result["celery_pss_mib"] = server.celery_mib()
            else:
                result.update(
                    articles=server.fixture["articles"],
                    annotations=server.fixture["annotations"],
                    server=harness.gunicorn_setup(),
                )
        if "w1" in args.workloads:
            imports(args, servers, results)
        return results


def creates(args, servers, jobs: list[dict], results: dict) -> None:
    """Single creates from --clients threads, half of the articles on each server per turn."""
    rounds = args.rounds
    raw = {server.name: {"wall": 0.0, "latencies": [], "errors": 0} for server in servers}
    for turn in range(rounds):
        for server in servers:
            wall, latencies, errors, first = w.run_concurrent(jobs[turn::rounds], args.clients, server.create_job)
            if errors:
                print(f"  {server.name}: {errors} errors: {first}", flush=True)
            tally = raw[server.name]
            tally["wall"] += wall
            tally["latencies"] += latencies
            tally["errors"] += errors
    for server in servers:
        latencies = raw[server.name]["latencies"]
        results[server.name]["creates"] = {
            "n": len(latencies),
            "per_s": len(latencies) / raw[server.name]["wall"],
            "errors": raw[server.name]["errors"],
            "p50": w.percentile_ms(latencies, 50),
            "p95": w.percentile_ms(latencies, 95),
        }


def reads(args, servers, workload: list[dict], results: dict) -> None:
    """The first article and one with 200 more, each read --reads times, in turns."""
    rounds = args.rounds
    articles = {
        "read_20": {s.name: s.first_id() for s in servers},
        "read_200": {s.name: s.make_200() for s in servers},
    }
    times: dict = {}
    for key, ids in articles.items():
        for server in servers:
            _, count, requests = server.get_all(ids[server.name])
            results[server.name][key] = {"returned": count, "requests": requests}
        for _ in range(rounds):
            for server in servers:
                runs = times.setdefault((key, server.name), [])
                runs += [server.get_all(ids[server.name])[0] for _ in range(max(1, args.reads // rounds))]
    for server in servers:
        for key in articles:
            results[server.name][key]["p50"] = w.percentile_ms(times[(key, server.name)], 50)
            results[server.name][key]["p95"] = w.percentile_ms(times[(key, server.name)], 95)


def imports(args, servers, results: dict) -> None:
    """W1 (bench/w1.py): in each turn new articles, the same on both servers, imported on ours, then on doccano's;
    the times of the turns added up."""
    ours = next((server for server in servers if server.name == "ours"), None)
    # Article numbers after those our database holds (0 .. n - 1, and those an earlier W1 added when --reuse).
    first = ours.fixture["articles"] if ours else max(int(ARTICLES * args.scale), args.doccano_articles)
    for turn in range(args.rounds):
        batch = w1.articles(w1.ARTICLES, first + turn * w1.ARTICLES)
        for server in servers:
            figures = server.w1(batch)
            print(f"  W1 turn {turn + 1}, {server.name}: {w1.line(figures) if server is ours else _line(figures)}")
            total = results[server.name].setdefault("w1", dict.fromkeys(W1_SUMMED, 0))
            for key in W1_SUMMED:
                total[key] += figures.get(key, 0)


W1_SUMMED = ("articles", "sent", "answered_s", "stored_s", "indexed_s", "suggested_s", "suggestion_jobs", "failed_jobs")


def _line(figures: dict) -> str:
    n = figures["articles"]
    return (
        f"{n} of {figures['sent']} articles stored: answered in {figures['answered_s']:.2f} s, import complete in "
        f"{figures['stored_s']:.2f} s ({n / figures['stored_s']:,.0f}/s; doccano makes no suggestions)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="our database's size (1: 20,000 articles)")
    parser.add_argument("--creates", type=int, default=250, help="articles that get 21 single creates (default 250)")
    parser.add_argument("--reads", type=int, default=200, help="reads of each article with its annotations")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--doccano-articles", type=int, default=2_000)
    parser.add_argument("--only", choices=("ours", "doccano"))
    parser.add_argument(
        "--workloads", nargs="+", choices=WORKLOADS, default=list(WORKLOADS), help="the workloads to run (default all)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="turns each server takes at each step (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep our scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a database --keep left (kept again)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--database",
        default=SCRATCH_DATABASE,
        help=f"our scratch database's name (default {SCRATCH_DATABASE}); doccano's is this name + _doccano",
    )
    args = parser.parse_args()
    print(harness.machine(), flush=True)
    workload = w.articles(args.creates + 1)
    results = measure(args, workload)
    ours, doccano = results.get("ours"), results.get("doccano")
    print(table(ours, doccano))
    if args.json:
        args.json.write_text(json.dumps({"ours": ours, "doccano": doccano}, indent=1))


if __name__ == "__main__":
    main()
