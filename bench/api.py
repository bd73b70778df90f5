"""Throughput and latency of the REST API, against the production server (`make run`'s gunicorn) on loopback.

1. A scratch database `annotator_bench_api` on the PostgreSQL server of DATABASE_URL (or on the
   embedded server when DATABASE_URL is unset) is created and migrated. The database DATABASE_URL
   names is never touched: the scratch one sits beside it and is dropped at the end (the history
   table is append-only, so the rows the run writes cannot be deleted one by one).
2. Set-up through Django: a project, 4 annotators and a reviewer, each with a token, and 500
   news-like articles (about 3 KB each, non-ASCII text).
3. The server is started the way `make run` starts it (gunicorn with gunicorn.conf.py, HTTPS=false)
   on a free loopback port.
4. Single creates: 10,000 `POST /api/v1/articles/{id}/annotations/` (one annotation each) from 4
   concurrent clients (threads, one per annotator, each with its own HTTP/1.1 connection kept for as
   long as the server keeps it: gunicorn's sync worker closes it after every response, and the
   client then opens a new one, which the figures include), spread over the 500 articles (5 per
   annotator and article). --articles scales steps 2, 4 and 6 (20 creates and one list per article).
5. Reads: 200 `GET /api/v1/articles/{id}/annotations/?page_size=500` by the reviewer of an article
   with 20 annotations, then of one with 200.
6. Bulk creates: 500 `POST`s of a list of 20 annotations (one per article) from the 4 clients.

Prints throughput, p50/p95/p99 latency (client-side: request sent to response read), the CPU time per
request of the server, PostgreSQL and the client, and each target as met or NOT met. The machine is
shared: each phase first waits (up to 3 minutes) until it is idle, and a phase during which other
processes took more than 10% of the machine is marked DISTURBED. Run from the repository root:

    .venv/bin/python bench/api.py                  # or: make bench-api
    .venv/bin/python bench/api.py --articles 20    # a quick try: 400 creates, 20 lists
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api.py

WORKERS (default: gunicorn.conf.py's) sets the number of server processes, as for `make run`;
GUNICORN_CMD_ARGS (gunicorn's own variable) tries other settings, e.g. "-k gthread --threads 4".
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import news_annotation, news_body, percentile

SCRATCH_DATABASE = "annotator_bench_api"
ARTICLES = 500
CLIENTS = 4
CREATES_PER_ARTICLE = 20  # single creates: 10,000 over the default 500 articles; bulk: one list of 20 each
READS = 200
BULK_SIZE = 20
BIG_READ = 200
PAGE_SIZE = 500  # the largest page the API gives: one request reads all
QUIET_WAIT = 180  # a phase waits at most this many seconds for the machine to be idle (harness.QUIET)...
WARMUP = 50  # requests per client before the timed runs (not counted)
SEED = 2027
quiet_wait = QUIET_WAIT

TARGET_CREATES_PER_S = 360
TARGET_CREATE_P95_MS = 25
TARGET_BULK_PER_S = 3000
TARGET_READ20_P50_MS = 8
TARGET_READ200_P50_MS = 12


# --- set-up through Django ------------------------------------------------------------------------


@dataclass
class Fixture:
    annotator_tokens: list[str]
    reviewer_token: str
    articles: list[tuple[int, str]]  # (id, body)
    big_article: tuple[int, str]


def set_up(articles: int) -> Fixture:
    from annotator.accounts.models import Role
    from annotator.articles.services import create_project

    rng = random.Random(SEED)
    project = create_project(actor=None, name="API benchmark", slug="bench-api")
    tokens = [harness.member(project, f"bench-annotator-{n}", Role.ANNOTATOR)[1] for n in range(CLIENTS)]
    _, reviewer_token = harness.member(project, "bench-reviewer", Role.REVIEWER)
    stored = harness.store_articles(project, [news_body(rng) for _ in range(articles + 1)])
    return Fixture(tokens, reviewer_token, stored[:articles], stored[articles])


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    connections: int = 0
    cpu: dict[str, float] = field(default_factory=dict)


class Client:
    """One HTTP/1.1 connection, kept alive while the server keeps it (http.client reconnects otherwise)."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.connects = 0

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, float]:
        if self.connection.sock is None:
            self.connects += 1
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


Job = tuple[str, str, bytes | None, int]  # method, path, body, expected status


def run_clients(port: int, tokens: list[str], jobs: list[list[Job]], meter: harness.CpuMeter | None = None) -> Result:
    """Client i sends jobs[i] in order with tokens[i], on its own connection; all start together."""
    result = Result()
    lock = threading.Lock()
    ready = threading.Barrier(len(jobs) + 1)
    go = threading.Event()

    def work(token: str, todo: list[Job]) -> None:
        client = Client(port, token)
        latencies, errors = [], []
        ready.wait()
        go.wait()
        for method, path, body, expected in todo:
            status, data, seconds = client.call(method, path, body)
            latencies.append(seconds)
            if status != expected:
                errors.append(f"{method} {path}: {status} {data[:300]!r}")
        client.close()
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.connections += client.connects

    threads = [threading.Thread(target=work, args=(tokens[i], jobs[i])) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    ready.wait()
    if meter:
        harness.wait_for_quiet(quiet_wait)
        meter.start()
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    if meter:
        result.cpu = meter.stop()
    return result


def report(name: str, result: Result, requests: int, rate: str, server: harness.Server) -> None:
    if result.errors:
        failed = f"{name}: {len(result.errors)} requests failed, e.g. {result.errors[0]}"
        raise SystemExit(f"{failed}\nthe server said:\n{server.said()}")
    lat = result.latencies
    print(
        f"{name}: {rate}; latency p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms, "
        f"p99 {percentile(lat, 99):.1f} ms; {result.connections:,} TCP connections"
    )
    cpu = result.cpu
    if cpu:
        other = cpu["other"] / result.elapsed / harness.CORES
        per = {k: v / requests * 1000 for k, v in cpu.items()}
        disturbed = " (DISTURBED: figures not representative)" if other > harness.QUIET else ""
        print(
            f"    CPU per request: server {per['server']:.2f} ms, PostgreSQL {per['database']:.2f} ms, "
            f"client {per['client']:.2f} ms; the machine {cpu['machine'] / result.elapsed / harness.CORES:.0%} busy, "
            f"{other:.0%} by other processes{disturbed}"
        )


def annotations_path(article_id: int, query: str = "") -> str:
    return f"/api/v1/articles/{article_id}/annotations/{query}"


def run(fixture: Fixture, server: harness.Server, meter: harness.CpuMeter) -> list[tuple[str, bool, str]]:
    rng = random.Random(SEED + 1)
    tokens, port = fixture.annotator_tokens, server.port
    articles = len(fixture.articles)
    creates, bulk_requests = CREATES_PER_ARTICLE * articles, articles

    def post(article: tuple[int, str], payload) -> Job:
        return ("POST", annotations_path(article[0]), json.dumps(payload, ensure_ascii=False).encode(), 201)

    # Warm-up, not counted: every worker loads the code and opens its database connection.
    warm = [("GET", annotations_path(fixture.articles[0][0]), None, 200)] * WARMUP
    run_clients(port, tokens, [warm] * CLIENTS)

    # Single creates: client c sends requests c, c + 4, c + 8, ... on article (request % 500).
    jobs: list[list[Job]] = [[] for _ in tokens]
    for number in range(creates):
        article = fixture.articles[number % articles]
        jobs[number % CLIENTS].append(post(article, news_annotation(rng, article[1], number)))
    singles = run_clients(port, tokens, jobs, meter)
    creates_per_s = creates / singles.elapsed
    report(
        f"single creates, {creates:,} from {CLIENTS} clients over {articles} articles",
        singles,
        creates,
        f"{singles.elapsed:.2f} s, {creates_per_s:,.0f} creates/s",
        server,
    )

    # The article with 200 annotations: 10 lists of 20 from the first annotator (not timed).
    big = fixture.big_article
    for batch in range(BIG_READ // BULK_SIZE):
        items = [news_annotation(rng, big[1], batch * BULK_SIZE + n) for n in range(BULK_SIZE)]
        setup = run_clients(port, tokens[:1], [[post(big, items)]])
        if setup.errors:
            raise SystemExit(f"the article with {BIG_READ} annotations: {setup.errors[0]}\n{server.said()}")

    # Reads by the reviewer (who sees every annotator's annotations): one client, one read after the other.
    reads = {}
    for count, article_id in ((CREATES_PER_ARTICLE, fixture.articles[0][0]), (BIG_READ, big[0])):
        path = annotations_path(article_id, f"?page_size={PAGE_SIZE}")
        client = Client(port, fixture.reviewer_token)
        _, data, _ = client.call("GET", path)
        client.close()
        shown = len(json.loads(data)["results"])
        if shown != count:
            raise SystemExit(f"the reviewer sees {shown} annotations on article {article_id}, not {count}")
        result = run_clients(port, [fixture.reviewer_token], [[("GET", path, None, 200)] * READS], meter)
        reads[count] = result
        report(
            f"reads of {count} annotations, {READS} by 1 client",
            result,
            READS,
            f"{READS / result.elapsed:,.0f} reads/s, {len(data):,} bytes each",
            server,
        )

    # Bulk creates: 500 lists of 20, one per article, from the 4 clients.
    jobs = [[] for _ in tokens]
    for number in range(bulk_requests):
        article = fixture.articles[number % articles]
        items = [news_annotation(rng, article[1], number * BULK_SIZE + n) for n in range(BULK_SIZE)]
        jobs[number % CLIENTS].append(post(article, items))
    bulk = run_clients(port, tokens, jobs, meter)
    bulk_per_s = bulk_requests * BULK_SIZE / bulk.elapsed
    report(
        f"bulk creates, {bulk_requests} lists of {BULK_SIZE} from {CLIENTS} clients",
        bulk,
        bulk_requests,
        f"{bulk.elapsed:.2f} s, {bulk_requests / bulk.elapsed:,.0f} requests/s, {bulk_per_s:,.0f} annotations/s",
        server,
    )

    from annotator.annotations.models import Annotation

    stored = Annotation.objects.count()
    expected = creates + BIG_READ + bulk_requests * BULK_SIZE
    if stored != expected:
        raise SystemExit(f"{stored:,} annotations stored, expected {expected:,}")

    create_p95 = percentile(singles.latencies, 95)
    read20, read200 = percentile(reads[20].latencies, 50), percentile(reads[BIG_READ].latencies, 50)
    return [
        (
            f"single creates ≥ {TARGET_CREATES_PER_S}/s",
            creates_per_s >= TARGET_CREATES_PER_S,
            f"{creates_per_s:,.0f}/s",
        ),
        (f"single creates p95 < {TARGET_CREATE_P95_MS} ms", create_p95 < TARGET_CREATE_P95_MS, f"{create_p95:.1f} ms"),
        (f"bulk ≥ {TARGET_BULK_PER_S:,} annotations/s", bulk_per_s >= TARGET_BULK_PER_S, f"{bulk_per_s:,.0f}/s"),
        (f"read of 20, p50 < {TARGET_READ20_P50_MS} ms", read20 < TARGET_READ20_P50_MS, f"{read20:.1f} ms"),
        (f"read of 200, p50 < {TARGET_READ200_P50_MS} ms", read200 < TARGET_READ200_P50_MS, f"{read200:.1f} ms"),
    ]


def main() -> None:
    global quiet_wait  # read by run_clients before each measured phase
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=ARTICLES,
        help=f"articles (default {ARTICLES}); {CREATES_PER_ARTICLE} single creates and one bulk list each",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=QUIET_WAIT,
        help=f"seconds a phase waits for an idle machine (default {QUIET_WAIT})",
    )
    parser.add_argument("--database", default=SCRATCH_DATABASE, help=f"scratch database (default {SCRATCH_DATABASE})")
    args = parser.parse_args()
    quiet_wait = args.quiet_wait
    with harness.scratch_database(args.database) as url:
        fixture = set_up(args.articles)
        pg_version = harness.postgres_version()
        with harness.serve(url) as server:
            meter = harness.CpuMeter(server.pid, url)
            where = urlsplit(url)
            host = where.hostname or dict(p.split("=", 1) for p in where.query.split("&") if "=" in p).get("host")
            print(f"API benchmark, {harness.machine()}; client and server on the machine")
            print(f"database: PostgreSQL {pg_version}, scratch database {harness.database_name(url)} at {host}")
            print(f"server: {harness.gunicorn_setup()}, on 127.0.0.1:{server.port}")
            try:
                targets = run(fixture, server, meter)
            finally:
                meter.close()
            print("targets:")
            for name, met, value in targets:
                print(f"  {name:32} {value:>9}  {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
