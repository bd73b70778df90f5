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
   annotator and article).
5. Reads: 200 `GET /api/v1/articles/{id}/annotations/?page_size=500` by the reviewer of an article
   with 20 annotations, then of one with 200.
6. Bulk creates: 500 `POST`s of a list of 20 annotations (one per article) from the 4 clients.

Prints throughput, p50/p95/p99 latency (client-side: request sent to response read), the CPU time per
request of the server, PostgreSQL and the client, and each target as met or NOT met. The machine is
shared: each phase first waits (up to 3 minutes) until it is idle, and a phase during which other
processes took more than 10% of the machine is marked DISTURBED. Run from the repository root:

    .venv/bin/python bench/api.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/annotator_bench_api .venv/bin/python bench/api.py

WORKERS (default: gunicorn.conf.py's) sets the number of server processes, as for `make run`;
GUNICORN_CMD_ARGS (gunicorn's own variable) tries other settings, e.g. "-k gthread --threads 4".
"""

from __future__ import annotations

import http.client
import json
import math
import os
import platform
import random
import runpy
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
os.environ["HTTPS"] = "false"

SCRATCH_DATABASE = "annotator_bench_api"
ARTICLES = 500
CLIENTS = 4
CREATES = 10_000
READS = 200
BULK_REQUESTS = 500
BULK_SIZE = 20
BIG_READ = 200
PAGE_SIZE = 500  # the largest page the API gives: one request reads all
CORES = os.cpu_count() or 1
QUIET = 0.10  # a phase waits until other processes use less than this share of the machine ...
QUIET_WAIT = 180  # ... for at most this many seconds, and says so when they used more while it ran
WARMUP = 50  # requests per client before the timed runs (not counted)
SEED = 2027
GUNICORN = [str(REPO_ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(REPO_ROOT / "gunicorn.conf.py")]

TARGET_CREATES_PER_S = 360
TARGET_CREATE_P95_MS = 25
TARGET_BULK_PER_S = 3000
TARGET_READ20_P50_MS = 8
TARGET_READ200_P50_MS = 12


# --- the scratch database -------------------------------------------------------------------------


def server_url() -> str:
    """A URL of the PostgreSQL server to use: DATABASE_URL's, or the embedded server's."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from annotator.database import embedded_server

    return embedded_server(REPO_ROOT).get_uri()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def libpq_url(url: str) -> str:
    """psycopg wants `postgresql://`; dj-database-url also accepts `postgres://` and `pgsql://`."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme in {"postgres", "pgsql"} else url


def recreate_database(url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(libpq_url(with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- synthetic articles and annotations -----------------------------------------------------------

WORD_TEXT = """
    the a of to in and on for with as at by from that this its their after before over under government minister
    council parliament election voters campaign coalition opposition budget deficit inflation prices wages workers
    union strike talks agreement court ruling judge appeal reform tax spending economy growth market investors
    bank rates energy climate emissions flood harvest hospital doctors school teachers city mayor residents police
    inquiry officials statement plan figures survey analysts week month year Tuesday region border trade exports
    company profit jobs housing rent transport rail airport rose fell doubled slowed
"""
WORDS = WORD_TEXT.split()
NAMES = ("José Álvarez", "Jürgen Weiß", "Ana Kovač", "Łukasz Wróbel", "Zoë Brontë", "Nguyễn Văn An", "Søren Kjærgaard")
PLACES = ("São Paulo", "Zürich", "Kraków", "Reykjavík", "Montréal", "İstanbul", "Tromsø", "Hà Nội")
CUES = ("said", "told", "warned", "argued", "insisted")
TARGETS = ("the budget", "the strike", "the new airport", "the tax reform", "the coalition")


def sentence(rng: random.Random) -> str:
    words = " ".join(rng.choices(WORDS, k=rng.randint(6, 16)))
    roll = rng.random()
    if roll < 0.3:
        return f"“{words.capitalize()},” {rng.choice(CUES)} {rng.choice(NAMES)} in {rng.choice(PLACES)}."
    if roll < 0.45:
        figure = f"{rng.randint(1, 40)}.{rng.randint(0, 9)}% to €{rng.randint(1, 999)}"
        return f"In {rng.choice(PLACES)}, {words} rose {figure}."
    return f"{words.capitalize()} — {' '.join(rng.choices(WORDS, k=rng.randint(3, 8)))} 📈."


def article_body(rng: random.Random) -> str:
    paragraphs, size = [], 0
    target = rng.randint(2_800, 3_400)
    while size < target:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def annotation(rng: random.Random, body: str, number: int) -> dict:
    """One valid annotation on the body: quotes, claims and stances in turn, spans of 20-200 code points."""
    start = rng.randrange(0, len(body) - 220)
    while start and body[start - 1] != " ":  # start on a word, as people select
        start -= 1
    end = start + rng.randint(20, 200)
    kind = ("quote", "claim", "stance")[number % 3]
    if kind == "quote":
        attributes = {
            "speaker": rng.choice(NAMES),
            "speaker_span": None,
            "cue_span": [end, end + 4] if end + 4 <= len(body) else None,
            "quote_type": "direct",
        }
    elif kind == "claim":
        attributes = {"checkworthy": True, "category": rng.choice(["statistic", "event", "fact"])}
    else:
        attributes = {"holder": rng.choice(NAMES), "target": rng.choice(TARGETS), "polarity": "against"}
    return {"kind": kind, "start": start, "end": end, "text": body[start:end], "attributes": attributes}


# --- set-up through Django ------------------------------------------------------------------------


@dataclass
class Fixture:
    annotator_tokens: list[str]
    reviewer_token: str
    articles: list[tuple[int, str]]  # (id, body)
    big_article: tuple[int, str]


def set_up() -> Fixture:
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from annotator.accounts.models import Role, User
    from annotator.accounts.services import set_membership
    from annotator.articles.ingestion import content_hash
    from annotator.articles.models import Article
    from annotator.articles.services import create_project

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(SEED)
    project = create_project(actor=None, name="API benchmark", slug="bench-api")
    tokens = []
    for number in range(CLIENTS):
        user = User.objects.create_user(username=f"bench-annotator-{number}", password=None)
        set_membership(actor=None, project=project, user=user, role=Role.ANNOTATOR)
        tokens.append(Token.objects.create(user=user).key)
    reviewer = User.objects.create_user(username="bench-reviewer", password=None)
    set_membership(actor=None, project=project, user=reviewer, role=Role.REVIEWER)
    bodies = [article_body(rng) for _ in range(ARTICLES + 1)]
    rows = Article.objects.bulk_create(
        Article(project=project, title=f"Story {n}", body=body, content_hash=content_hash(body), language="en")
        for n, body in enumerate(bodies)
    )
    articles = [(row.pk, row.body) for row in rows]
    return Fixture(tokens, Token.objects.create(user=reviewer).key, articles[:ARTICLES], articles[ARTICLES])


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER_LOG: Path | None = None


def start_server(database_url: str, log: Path) -> tuple[subprocess.Popen, int]:
    global SERVER_LOG
    SERVER_LOG = log
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "HTTPS": "false", "PORT": str(port)}
    with log.open("wb") as out:
        process = subprocess.Popen(GUNICORN, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer within 60 s")


def server_setup() -> str:
    """What gunicorn serves with: gunicorn.conf.py, then GUNICORN_CMD_ARGS, read as gunicorn reads them."""
    from gunicorn import __version__
    from gunicorn.config import Config

    config = Config()
    for key, value in runpy.run_path(GUNICORN[-1]).items():
        if key in config.settings:
            config.set(key, value)
    args = config.parser().parse_args(shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")))
    for key, value in vars(args).items():
        if value is not None and key in config.settings:
            config.set(key, value)
    worker = config.worker_class_str
    threads = f" × {config.threads} threads" if worker == "gthread" else ""
    keepalive = f", keep-alive {config.keepalive} s" if worker != "sync" else ", no keep-alive"
    return f"gunicorn {__version__}, {config.workers} {worker} workers{threads}{keepalive}"


class CpuMeter:
    """CPU seconds spent during a phase by the client (this process), the server (gunicorn and its workers),
    PostgreSQL (the backends of the scratch database and the server's background processes) and the rest of
    the machine. Processes are sampled twice a second, so that a backend that ends (CONN_MAX_AGE) still counts."""

    def __init__(self, server_pid: int, admin_url: str):
        import psycopg

        self.server = psutil.Process(server_pid)
        self.database = psycopg.connect(admin_url, autocommit=True)
        self.processes: dict[int, psutil.Process] = {}
        self.stopping = threading.Event()

    def close(self) -> None:
        self.database.close()

    def _cpu(self, pids) -> dict[int, float]:
        times = {}
        for pid in pids:
            try:
                process = self.processes.setdefault(pid, psutil.Process(pid))
                cpu = process.cpu_times()
                times[pid] = cpu.user + cpu.system
            except psutil.Error:
                pass
        return times

    def sample(self) -> dict[str, dict[int, float]]:
        backends = self.database.execute(
            "SELECT pid FROM pg_stat_activity WHERE (datname = %s OR datname IS NULL) AND pid <> pg_backend_pid()",
            [SCRATCH_DATABASE],
        )
        return {
            "client": self._cpu([os.getpid()]),
            "server": self._cpu([self.server.pid, *(child.pid for child in self.server.children(recursive=True))]),
            "database": self._cpu([row[0] for row in backends]),
        }

    @staticmethod
    def wait_for_quiet(limit: float) -> float:
        """Wait (at most `limit` seconds) until the machine is idle for a second: on a shared machine other
        people's work would otherwise be measured too. Returns the busy share of the last second."""
        deadline = time.monotonic() + limit
        while True:
            busy = psutil.cpu_percent(interval=1.0) / 100
            if busy < QUIET or time.monotonic() > deadline:
                return busy

    def start(self) -> None:
        self.first, self.last = self.sample(), {}
        self.machine = psutil.cpu_times()
        self.stopping.clear()
        self.sampler = threading.Thread(target=self._run, daemon=True)
        self.sampler.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._merge(self.sample())

    def _merge(self, sample) -> None:
        for group, times in sample.items():
            self.last.setdefault(group, {}).update(times)

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.sampler.join()
        self._merge(self.sample())
        machine = psutil.cpu_times()
        busy = ("user", "nice", "system", "irq", "softirq")
        spent = {"machine": sum(getattr(machine, k) - getattr(self.machine, k) for k in busy)}
        for group, times in self.last.items():
            spent[group] = sum(cpu - self.first[group].get(pid, 0.0) for pid, cpu in times.items())
        spent["other"] = max(0.0, spent["machine"] - spent["client"] - spent["server"] - spent["database"])
        return spent


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


def run_clients(port: int, tokens: list[str], jobs: list[list[Job]], meter: CpuMeter | None = None) -> Result:
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
        meter.wait_for_quiet(QUIET_WAIT)
        meter.start()
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    if meter:
        result.cpu = meter.stop()
    return result


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def server_errors(lines: int = 40) -> str:
    """The end of the server's output without the access log: what it said about failed requests."""
    if SERVER_LOG is None or not SERVER_LOG.exists():
        return ""
    said = [line for line in SERVER_LOG.read_text(errors="replace").splitlines() if not line.startswith("127.0.0.1 ")]
    return "\n".join(said[-lines:])


def report(name: str, result: Result, requests: int, rate: str) -> None:
    if result.errors:
        failed = f"{name}: {len(result.errors)} requests failed, e.g. {result.errors[0]}"
        raise SystemExit(f"{failed}\nthe server said:\n{server_errors()}")
    lat = result.latencies
    print(
        f"{name}: {rate}; latency p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms, "
        f"p99 {percentile(lat, 99):.1f} ms; {result.connections:,} TCP connections"
    )
    cpu = result.cpu
    if cpu:
        other = cpu["other"] / result.elapsed / CORES
        per = {k: v / requests * 1000 for k, v in cpu.items()}
        print(
            f"    CPU per request: server {per['server']:.2f} ms, PostgreSQL {per['database']:.2f} ms, "
            f"client {per['client']:.2f} ms; the machine {cpu['machine'] / result.elapsed / CORES:.0%} busy, "
            f"{other:.0%} by other processes{' (DISTURBED: figures not representative)' if other > QUIET else ''}"
        )


def annotations_path(article_id: int, query: str = "") -> str:
    return f"/api/v1/articles/{article_id}/annotations/{query}"


def run(fixture: Fixture, port: int, meter: CpuMeter) -> list[tuple[str, bool, str]]:
    rng = random.Random(SEED + 1)
    tokens = fixture.annotator_tokens

    def post(article: tuple[int, str], payload) -> Job:
        return ("POST", annotations_path(article[0]), json.dumps(payload, ensure_ascii=False).encode(), 201)

    # Warm-up, not counted: every worker loads the code and opens its database connection.
    warm = [("GET", annotations_path(fixture.articles[0][0]), None, 200)] * WARMUP
    run_clients(port, tokens, [warm] * CLIENTS)

    # Single creates: client c sends requests c, c + 4, c + 8, ... on article (request % 500).
    jobs: list[list[Job]] = [[] for _ in tokens]
    for number in range(CREATES):
        article = fixture.articles[number % ARTICLES]
        jobs[number % CLIENTS].append(post(article, annotation(rng, article[1], number)))
    creates = run_clients(port, tokens, jobs, meter)
    creates_per_s = CREATES / creates.elapsed
    report(
        f"single creates, {CREATES:,} from {CLIENTS} clients over {ARTICLES} articles",
        creates,
        CREATES,
        f"{creates.elapsed:.2f} s, {creates_per_s:,.0f} creates/s",
    )

    # The article with 200 annotations: 10 lists of 20 from the first annotator (not timed).
    big = fixture.big_article
    for batch in range(BIG_READ // BULK_SIZE):
        items = [annotation(rng, big[1], batch * BULK_SIZE + n) for n in range(BULK_SIZE)]
        setup = run_clients(port, tokens[:1], [[post(big, items)]])
        if setup.errors:
            raise SystemExit(f"the article with {BIG_READ} annotations: {setup.errors[0]}\n{server_errors()}")

    # Reads by the reviewer (who sees every annotator's annotations): one client, one read after the other.
    reads = {}
    for count, article_id in ((CREATES // ARTICLES, fixture.articles[0][0]), (BIG_READ, big[0])):
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
        )

    # Bulk creates: 500 lists of 20, one per article, from the 4 clients.
    jobs = [[] for _ in tokens]
    for number in range(BULK_REQUESTS):
        article = fixture.articles[number % ARTICLES]
        items = [annotation(rng, article[1], number * BULK_SIZE + n) for n in range(BULK_SIZE)]
        jobs[number % CLIENTS].append(post(article, items))
    bulk = run_clients(port, tokens, jobs, meter)
    bulk_per_s = BULK_REQUESTS * BULK_SIZE / bulk.elapsed
    report(
        f"bulk creates, {BULK_REQUESTS} lists of {BULK_SIZE} from {CLIENTS} clients",
        bulk,
        BULK_REQUESTS,
        f"{bulk.elapsed:.2f} s, {BULK_REQUESTS / bulk.elapsed:,.0f} requests/s, {bulk_per_s:,.0f} annotations/s",
    )

    from annotator.annotations.models import Annotation

    stored = Annotation.objects.count()
    expected = CREATES + BIG_READ + BULK_REQUESTS * BULK_SIZE
    if stored != expected:
        raise SystemExit(f"{stored:,} annotations stored, expected {expected:,}")

    create_p95 = percentile(creates.latencies, 95)
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
    base_url = server_url()
    scratch_url = with_database(base_url, SCRATCH_DATABASE)
    recreate_database(base_url, SCRATCH_DATABASE)
    os.environ["DATABASE_URL"] = scratch_url
    process = None
    try:
        import django

        django.setup()
        from django.db import connection

        fixture = set_up()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(" on ")[0]
        with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
            process, port = start_server(scratch_url, Path(tmp) / "server.log")
            meter = CpuMeter(process.pid, libpq_url(with_database(base_url, "postgres")))
            load = os.getloadavg()[0]
            where = urlsplit(scratch_url)
            host = where.hostname or dict(p.split("=", 1) for p in where.query.split("&") if "=" in p).get("host")
            print(f"API benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
            print(
                f"machine: {CORES} cores, {platform.machine()}, Linux {platform.release()}, Python "
                f"{platform.python_version()}; client and server on it; load average {load:.2f} before the run"
            )
            print(f"database: {pg_version}, scratch database {SCRATCH_DATABASE} at {host}")
            print(f"server: {server_setup()}, on 127.0.0.1:{port}")
            try:
                targets = run(fixture, port, meter)
            finally:
                meter.close()
            print("targets:")
            for name, met, value in targets:
                print(f"  {name:32} {value:>9}  {'met' if met else 'NOT met'}")
            process.terminate()
            process.wait(30)
            process = None
    finally:
        if process is not None:
            process.kill()
            process.wait()
        from django.db import connections

        connections.close_all()
        recreate_database(base_url, SCRATCH_DATABASE, drop_only=True)


if __name__ == "__main__":
    main()
