"""What every benchmark shares: a scratch database, the production server, people and articles, CPU and timing.

A bench script starts with

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import harness  # noqa: E402

and then, for example:

    with harness.scratch_database("annotator_bench_x") as url:   # created beside DATABASE_URL's, migrated
        ...set-up through Django...
        with harness.serve(url) as server:                       # gunicorn as `make run` starts it
            ...requests to 127.0.0.1:server.port...

The scratch database sits on the PostgreSQL server of DATABASE_URL (or on the embedded server when it is unset)
and is dropped at the end: the database DATABASE_URL names is never touched, and the history table, which
refuses deletes, goes with it. Method and history of the benchmarks: bench/README.md.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import math
import os
import platform
import random
import resource
import runpy
import shlex
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = REPO_ROOT / "gunicorn.conf.py"
GUNICORN = [str(REPO_ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(GUNICORN_CONF)]
CORES = os.cpu_count() or 1
QUIET = 0.10  # a measurement waits until other processes use less than this share of the machine
ARTICLE_COLUMNS = "project_id, title, body, source, url, byline, language, metadata, content_hash, created_at"
ANNOTATION_COPY = (
    'COPY annotations_annotation (article_id, kind, start, "end", text, attributes, status, origin, '
    "author_id, suggester, version, created_at, updated_at, submitted_at) FROM STDIN"
)


def set_up_django() -> None:
    """Django on the database of DATABASE_URL (or the embedded server), with plain HTTP as `make run` serves."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("HTTPS", "false")
    import django

    django.setup()


# --- the scratch database -------------------------------------------------------------------------


def server_url() -> str:
    """A URL of the PostgreSQL server to use: DATABASE_URL's, or the embedded server's."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from annotator.database import embedded_server

    return embedded_server(REPO_ROOT).get_uri()


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def libpq_url(url: str) -> str:
    """psycopg wants `postgresql://`; dj-database-url also accepts `postgres://` and `pgsql://`."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme in {"postgres", "pgsql"} else url


def scratch_url(database: str) -> str:
    """A database name goes beside DATABASE_URL's; a whole URL is taken as it is."""
    return database if "://" in database else with_database(server_url(), database)


def _maintenance(url: str):
    import psycopg

    return psycopg.connect(libpq_url(with_database(url, "postgres")), autocommit=True)


def database_exists(url: str) -> bool:
    with _maintenance(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]).fetchone() is not None


def drop_database(url: str) -> None:
    from psycopg import sql

    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))


def create_database(url: str) -> None:
    """A new empty database at `url` (one left by an earlier run is dropped first)."""
    from psycopg import sql

    drop_database(url)
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def scratch_database(database: str, *, reuse: bool = False, keep: bool = False) -> Iterator[str]:
    """A migrated scratch database that Django is set up on, dropped at the end unless `keep`; `reuse` keeps one
    an earlier run left (built once, measured many times)."""
    url = scratch_url(database)
    if not (reuse and database_exists(url)):
        create_database(url)
    os.environ["DATABASE_URL"] = url
    set_up_django()
    try:
        migrate()
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            drop_database(url)


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- the production server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with gunicorn.conf.py, as `make run` starts it, on a free loopback port; its output in `log`. With
    `job_workers`, `manage.py serve --workers N`, which `make run` runs: gunicorn and N job workers beside it; `pid`
    is gunicorn's master all the same (the web server whose CPU and memory the benchmarks count)."""

    def __init__(self, database_url: str, log: Path, job_workers: int = 0):
        self.log, self.port, self.database_url = log, free_port(), database_url
        self.started = datetime.datetime.now(datetime.UTC)
        env = {**os.environ, "DATABASE_URL": database_url, "HTTPS": "false", "PORT": str(self.port)}
        command = GUNICORN
        if job_workers:
            command = [str(REPO_ROOT / ".venv" / "bin" / "python"), "manage.py", "serve", "--workers", str(job_workers)]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        self.job_workers = job_workers

    def wait_until_serving(self, limit: float = 60) -> None:
        deadline, answer = time.monotonic() + limit, "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/accounts/login/", timeout=2) as response:
                    if response.status == 200:
                        self._find_gunicorn()
                        return
            except OSError as error:  # HTTPError too: a 500 here is usually static files not collected (make setup)
                answer = str(error)
                time.sleep(0.2)
        self.process.kill()
        raise SystemExit(f"the server did not answer 200 within {limit:.0f} s ({answer}):\n{self.said()}")

    def _find_gunicorn(self) -> None:
        """Under `manage.py serve`: gunicorn's master (its first child) as `pid`, the job workers apart."""
        if not self.job_workers:
            return
        import psutil

        children = psutil.Process(self.process.pid).children()
        web = [child for child in children if "gunicorn" in " ".join(child.cmdline())]
        self.pid = web[0].pid
        self.job_worker_pids = [child.pid for child in children if child.pid != self.pid]
        self._wait_for_job_workers()

    def _wait_for_job_workers(self, limit: float = 60) -> None:
        """Until each job worker has registered in procrastinate's table (after its Django set-up): a job queued
        before would wait for the worker's start, which a measurement should not count."""
        import psycopg

        deadline = time.monotonic() + limit
        with psycopg.connect(libpq_url(self.database_url), autocommit=True) as conn:
            while time.monotonic() < deadline:
                count = conn.execute(
                    "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat >= %s", [self.started]
                ).fetchone()[0]
                if count >= self.job_workers:
                    return
                time.sleep(0.2)
        raise SystemExit(f"the job workers did not start within {limit:.0f} s:\n{self.said()}")

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM: workers finish their requests); kill it if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def said(self, lines: int = 40) -> str:
        """The end of the server's output without the access log: what it said about failed requests."""
        if not self.log.exists():
            return ""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not line.startswith("127.0.0.1 ")][-lines:])


@contextlib.contextmanager
def serve(database_url: str, *, job_workers: int = 0) -> Iterator[Server]:
    """The production server on `database_url` while the block runs; with `job_workers`, as `make run` serves
    (`manage.py serve`: the job workers beside it)."""
    with tempfile.TemporaryDirectory(prefix="bench-server-") as folder:
        server = Server(database_url, Path(folder) / "server.log", job_workers)
        try:
            server.wait_until_serving()
            yield server
        finally:
            server.stop()


def gunicorn_setup() -> str:
    """What gunicorn serves with: gunicorn.conf.py, then GUNICORN_CMD_ARGS, read as gunicorn reads them."""
    from gunicorn import __version__
    from gunicorn.config import Config

    config = Config()
    for key, value in runpy.run_path(str(GUNICORN_CONF)).items():
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


# --- people and articles --------------------------------------------------------------------------


def member(project, username: str, role: str):
    """A new user with a role in the project, and their API token."""
    from rest_framework.authtoken.models import Token

    from annotator.accounts.models import User
    from annotator.accounts.services import set_membership

    user = User.objects.create_user(username=username, password=None)
    set_membership(actor=None, project=project, user=user, role=role)
    return user, Token.objects.create(user=user).key


def session_key(user) -> str:
    """A logged-in session of `user`, for a client that loads the HTML pages with its cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def store_articles(project, bodies: Iterable[str]) -> list[tuple[int, str]]:
    """Articles titled "Story n" with these bodies, stored in one statement: (id, body) each."""
    from annotator.articles.ingestion import content_hash
    from annotator.articles.models import Article

    rows = Article.objects.bulk_create(
        Article(project=project, title=f"Story {n}", body=body, content_hash=content_hash(body), language="en")
        for n, body in enumerate(bodies)
    )
    return [(row.pk, row.body) for row in rows]


def copy_articles(
    cursor, project_id: int, bodies: list[str], *, at, source: str, title="Story {}", url=""
) -> list[int]:
    """Articles written with COPY on a raw psycopg cursor (title and url `.format(n)`ed); their ids in order."""
    with cursor.copy(f"COPY articles_article ({ARTICLE_COLUMNS}) FROM STDIN") as copy:
        for n, body in enumerate(bodies):
            digest = hashlib.sha256(body.encode()).hexdigest()
            copy.write_row((project_id, title.format(n), body, source, url.format(n), "", "en", "{}", digest, at))
    cursor.execute("SELECT id FROM articles_article WHERE project_id = %s ORDER BY id", [project_id])
    return [row[0] for row in cursor.fetchall()]


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


def _sentence(rng: random.Random) -> str:
    words = " ".join(rng.choices(WORDS, k=rng.randint(6, 16)))
    roll = rng.random()
    if roll < 0.3:
        return f"“{words.capitalize()},” {rng.choice(CUES)} {rng.choice(NAMES)} in {rng.choice(PLACES)}."
    if roll < 0.45:
        figure = f"{rng.randint(1, 40)}.{rng.randint(0, 9)}% to €{rng.randint(1, 999)}"
        return f"In {rng.choice(PLACES)}, {words} rose {figure}."
    return f"{words.capitalize()} — {' '.join(rng.choices(WORDS, k=rng.randint(3, 8)))} 📈."


def news_body(rng: random.Random) -> str:
    """A news-like body of about 3 KB of non-ASCII text: quotes, figures, names, an emoji."""
    paragraphs, size = [], 0
    target = rng.randint(2_800, 3_400)
    while size < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def news_annotation(rng: random.Random, body: str, number: int) -> dict:
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


# --- CPU and timing -------------------------------------------------------------------------------


def wait_for_quiet(limit: float) -> float:
    """Wait (at most `limit` seconds) until the machine is idle for a second: on a shared machine other
    people's work would otherwise be measured too. Returns the busy share of the last second."""
    import psutil

    deadline = time.monotonic() + limit
    while True:
        busy = psutil.cpu_percent(interval=1.0) / 100
        if busy < QUIET or time.monotonic() > deadline:
            return busy


class CpuMeter:
    """CPU seconds spent between start() and stop() by the server (gunicorn and its workers), PostgreSQL (the
    backends of `database` and the server's background processes), each of `others` (name: pids; by default
    this process as "client") and, as "other", the rest of the machine. Processes are sampled every `every`
    seconds, so that a backend that ends in between (CONN_MAX_AGE) still counts."""

    def __init__(self, server_pid: int, database_url: str, others: dict[str, list[int]] | None = None, every=0.5):
        import psutil

        self.psutil, self.every = psutil, every
        self.server = psutil.Process(server_pid)
        self.database = _maintenance(database_url)
        self.name = database_name(database_url)
        self.others = others if others is not None else {"client": [os.getpid()]}
        self.processes: dict[int, object] = {}
        self.stopping = threading.Event()

    def close(self) -> None:
        self.database.close()

    def _cpu(self, pids) -> dict[int, float]:
        times = {}
        for pid in pids:
            try:
                process = self.processes.setdefault(pid, self.psutil.Process(pid))
                cpu = process.cpu_times()
                times[pid] = cpu.user + cpu.system
            except self.psutil.Error:
                pass
        return times

    def sample(self) -> dict[str, dict[int, float]]:
        backends = self.database.execute(
            "SELECT pid FROM pg_stat_activity WHERE (datname = %s OR datname IS NULL) AND pid <> pg_backend_pid()",
            [self.name],
        )
        server = [self.server.pid, *(child.pid for child in self.server.children(recursive=True))]
        sample = {"server": self._cpu(server), "database": self._cpu([row[0] for row in backends])}
        return sample | {name: self._cpu(pids) for name, pids in self.others.items()}

    def start(self) -> None:
        self.first, self.last = self.sample(), {}
        self.machine = self.psutil.cpu_times()
        self.started = time.monotonic()
        self.stopping.clear()
        self.sampler = threading.Thread(target=self._run, daemon=True)
        self.sampler.start()

    def _run(self) -> None:
        while not self.stopping.wait(self.every):
            self._merge(self.sample())

    def _merge(self, sample) -> None:
        for group, times in sample.items():
            self.last.setdefault(group, {}).update(times)

    def stop(self) -> dict[str, float]:
        """CPU seconds per group, "machine" (all of it) and "other"; `elapsed` holds the wall-clock seconds."""
        self.stopping.set()
        self.sampler.join()
        self._merge(self.sample())
        self.elapsed = time.monotonic() - self.started
        machine = self.psutil.cpu_times()
        busy = ("user", "nice", "system", "irq", "softirq")
        spent = {"machine": sum(getattr(machine, k) - getattr(self.machine, k) for k in busy)}
        for group, times in self.last.items():
            spent[group] = sum(cpu - self.first[group].get(pid, 0.0) for pid, cpu in times.items())
        spent["other"] = max(0.0, spent["machine"] - sum(v for k, v in spent.items() if k != "machine"))
        return spent


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of seconds, in milliseconds."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000 if ordered else float("nan")


def median_ms(request: Callable, runs: int, *, before: Callable | None = None, savepoints=True) -> tuple[float, int]:
    """Median milliseconds of `request()` (a test-client call answering 200) and the SQL queries of one; `before`
    runs ahead of each, untimed. Without `savepoints`, SAVEPOINTs (from an enclosing transaction) are not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len([q for q in captured.captured_queries if savepoints or "SAVEPOINT" not in q["sql"]])
    return statistics.median(times), queries


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> str:
    """The line every benchmark prints first: when, on what, how busy the machine was before it started."""
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {CORES} cores of {cpu_model()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f} before the run"
    )
