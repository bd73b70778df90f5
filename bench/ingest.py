"""Ingestion throughput against a raw PostgreSQL COPY of the same text.

Generates 10,000 news-like articles (3-5 KB of UTF-8 each, curly quotes, dashes, accented names,
emoji, CJK) into one JSONL file, then, three times each and interleaved:

* ingestion: a new empty project, then `import_articles(items=read_paths([file]))`, the code that
  `load_articles` runs: read the file, normalise every record, store it (timed as a whole);
* raw COPY: a new TEMP table (title text, body text), then the same file read and parsed with
  `json.loads` and written row by row through psycopg's `cursor.copy()` (timed as a whole).

It prints the medians, articles/s and MB/s (MB of the JSONL file read, 10^6 bytes), and the ratio of
the medians against the target (ingestion at least 50% of raw COPY throughput). Run from the repository
root:

    .venv/bin/python bench/ingest.py                    # or: make bench
    .venv/bin/python bench/ingest.py --articles 200     # a quick try

The ingestion above runs without suggestions. `--suggest` adds, in each round, an ingestion with the
suggesters of SUGGESTERS (settings.SUGGESTERS; SUGGESTERS=tests.suggesters.FixedSuggester for a trivial one,
which isolates the cost of checking and storing suggestions from that of finding them). Those rounds run
in a transaction that is rolled back (suggestions have history entries, which are never deleted), and so
does the ingestion without suggestions they are compared with.

It runs in a scratch database (--database) on the server the settings resolve (DATABASE_URL's when set, else
the embedded server), dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

ARTICLES = 10_000
SEED = 2026
RUNS = 3
TARGET_RATIO = 0.50
MIN_BODY_BYTES = 3 * 1024
MAX_BODY_BYTES = 5 * 1024

# --- synthetic articles ---------------------------------------------------------------------------

WORD_TEXT = (
    "the a of to in and on for with as at by from that this its their after before over under "
    "government minister ministry council parliament election vote voters campaign party coalition "
    "opposition budget deficit inflation prices wages workers union strike talks agreement deal "
    "court ruling judge appeal law bill reform tax spending economy growth market shares investors "
    "bank rate rates energy gas electricity climate emissions flood drought heat storm harvest "
    "hospital doctors patients health school teachers students city mayor residents police report "
    "inquiry officials spokesperson statement plan proposal figures data survey poll analysts "
    "week month year Tuesday Monday Friday morning evening region border trade exports imports "
    "company chief executive board profit losses jobs housing rent transport rail airport port "
    "said told warned argued insisted announced confirmed denied rejected approved expected "
    "rose fell doubled slowed recovered remained reached cut raised signed launched delayed "
    "new early late local national regional public private higher lower fragile strong weak "
    "sharp modest record first last several many most some few significant uncertain"
)
WORDS = WORD_TEXT.split()
NAMES = (
    "José Álvarez",
    "Jürgen Weiß",
    "Ana María Núñez",
    "François Lefèvre",
    "Zoë Brontë",
    "Łukasz Wróbel",
    "Björn Ångström",
    "Chloé Dubois",
    "Małgorzata Kowalczyk",
    "Nguyễn Văn An",
    "Çağla Yılmaz",
    "Søren Kjærgaard",
    "Ana Kovač",
    "Dvořák Tomáš",
    "Renée O’Connor",
    "Íñigo Martínez",
    "Grégoire Bézier",
    "Þóra Sigurðardóttir",
)
ROLES = (
    "the finance minister",
    "a spokesperson for the ministry",
    "the mayor",
    "chief economist",
    "a union leader",
    "the central bank’s governor",
    "an opposition lawmaker",
    "a senior analyst",
    "the company’s chief executive",
)
PLACES = (
    "São Paulo",
    "Zürich",
    "Kraków",
    "Reykjavík",
    "Montréal",
    "Düsseldorf",
    "Málaga",
    "İstanbul",
    "Besançon",
    "Tromsø",
    "Łódź",
    "Hà Nội",
)
CJK = ("東京", "北京", "経済", "新聞", "人工知能", "選挙", "서울", "市场", "台風", "株価")
EMOJI = ("📈", "📉", "🌍", "⚽", "🔥", "🗳️", "👩‍💻", "🌧️", "💶", "😐")
OUTLETS = (
    "The Daily Ledger",
    "Süddeutsche Rundschau",
    "El País Semanal",
    "Le Courrier du Léman",
    "Dagens Økonomi",
    "The Morning Herald",
    "朝日デイリー",
    "Gazeta Łódzka",
)
SECTIONS = ("politics", "economy", "world", "climate", "health", "business", "culture")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"“{_capitalised(_words(rng, 6, 14))},” said {rng.choice(NAMES)}, {rng.choice(ROLES)}."
    if kind < 0.40:
        return f"{_capitalised(_words(rng, 5, 10))} — {_words(rng, 4, 9)} — {_words(rng, 3, 8)}."
    if kind < 0.50:
        return (
            f"{rng.choice(NAMES)} called the {_words(rng, 1, 3)} ‘{_words(rng, 1, 3)}’ "
            f"in {rng.choice(PLACES)}, {_words(rng, 4, 10)}."
        )
    if kind < 0.58:
        return (
            f"In {rng.choice(PLACES)}, {_words(rng, 5, 12)} rose {rng.randint(1, 40)}.{rng.randint(0, 9)}% "
            f"to €{rng.randint(1, 999)},{rng.randint(100, 999)} {rng.choice(EMOJI)}."
        )
    if kind < 0.64:
        return f"{_capitalised(_words(rng, 4, 10))} ({rng.choice(CJK)}, {rng.choice(CJK)}) {_words(rng, 3, 8)}."
    return f"{_capitalised(_words(rng, 8, 20))}."


def _body(rng: random.Random) -> str:
    target = rng.randint(MIN_BODY_BYTES, MAX_BODY_BYTES - 400)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    body = "\n\n".join(paragraphs)
    while len(body.encode("utf-8")) > MAX_BODY_BYTES:  # never in practice; keeps the stated range exact
        body = body[:-100].rstrip()
    return body


def write_articles(path: Path, count: int, seed: int) -> tuple[int, int]:
    """Write `count` articles as JSONL; the file's size and the bodies' total UTF-8 size."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    body_bytes = 0
    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for number in range(1, count + 1):
            body = _body(rng)
            size = len(body.encode("utf-8"))
            assert MIN_BODY_BYTES <= size <= MAX_BODY_BYTES, size
            assert unicodedata.is_normalized("NFC", body)  # both sides then store the same text
            assert body not in seen
            seen.add(body)
            body_bytes += size
            title = f"{rng.choice(NAMES)} on {_words(rng, 2, 5)} in {rng.choice(PLACES)} — ‘{_words(rng, 1, 3)}’"
            moment = start + dt.timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
            offset = dt.timezone(dt.timedelta(hours=rng.choice((-5, 0, 1, 2, 9))))
            section = rng.choice(SECTIONS)
            record = {
                "title": title,
                "source": rng.choice(OUTLETS),
                "url": f"https://news.example.org/{section}/{moment:%Y/%m/%d}/story-{number}",
                "published_at": moment.astimezone(offset).isoformat(),
                "body": body,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size, body_bytes


# --- the two sides --------------------------------------------------------------------------------


def run_ingestion(path: Path, project, *, suggest: bool = False) -> float:
    from annotator.articles.ingestion import read_paths
    from annotator.articles.services import import_articles

    started = time.perf_counter()
    summary = import_articles(project=project, actor=None, items=read_paths([path]), suggest=suggest)
    elapsed = time.perf_counter() - started
    if summary.added != ARTICLES or summary.duplicates or summary.rejected:
        reasons = "; ".join(str(r) for r in summary.rejected[:3])
        raise SystemExit(f"ingestion into {project.slug}: {summary.line()}, expected added {ARTICLES:,} {reasons}")
    if suggest:
        print(f"             {summary.suggestions.line()}")
    return elapsed


@contextlib.contextmanager
def rolled_back():
    """A transaction that is rolled back at the end: what it stored is gone, history entries included."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def run_suggest_rounds(path: Path, base: str, file_bytes: int) -> None:
    """Ingestion without and with suggestions, interleaved, each rolled back."""
    from django.conf import settings

    from annotator.articles.services import create_project

    print(f"with suggestions: SUGGESTERS = {', '.join(settings.SUGGESTERS) or '(none)'}; each run rolled back")
    plain: list[float] = []
    suggested: list[float] = []
    for run in range(1, RUNS + 1):
        for suggest, times in ((False, plain), (True, suggested)):
            with rolled_back():
                slug = f"{base}-{'s' if suggest else 'p'}{run}"
                project = create_project(actor=None, name=f"Benchmark {slug}", slug=slug)
                times.append(run_ingestion(path, project, suggest=suggest))
            label = f"{'suggest' if suggest else 'plain'} #{run}"
            print(figures(label, times[-1], file_bytes), flush=True)
    print("medians:")
    print(figures("plain", statistics.median(plain), file_bytes))
    print(figures("suggest", statistics.median(suggested), file_bytes))
    extra = statistics.median(suggested) - statistics.median(plain)
    print(f"suggestions cost {extra:.2f} s more, {extra / ARTICLES * 1000:.2f} ms an article")


def run_indexing(project) -> float:
    """The search indexing that load_articles and the upload run right after storing."""
    from annotator.articles.services import index_for_search

    started = time.perf_counter()
    indexed = index_for_search(project=project)
    elapsed = time.perf_counter() - started
    if indexed != ARTICLES:
        raise SystemExit(f"indexing {project.slug}: {indexed:,} articles, expected {ARTICLES:,}")
    return elapsed


def run_copy(path: Path, table: str) -> float:
    import psycopg
    from django.db import connection, transaction
    from psycopg import sql

    connection.ensure_connection()
    conn: psycopg.Connection = connection.connection
    name = sql.Identifier(table)
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} (title text, body text)").format(name))
    started = time.perf_counter()
    data = path.read_bytes()
    statement = sql.SQL("COPY {} (title, body) FROM STDIN").format(name)
    with transaction.atomic(), conn.cursor() as cursor:
        with cursor.copy(statement) as copy:
            for line in data.split(b"\n"):
                if line.strip():
                    obj = json.loads(line.decode("utf-8"))
                    copy.write_row((obj["title"], obj["body"]))
        copied = cursor.rowcount
    elapsed = time.perf_counter() - started
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE {}").format(name))
    if copied != ARTICLES:
        raise SystemExit(f"COPY run {table}: {copied:,} rows copied, expected {ARTICLES:,}")
    return elapsed


# --- the machine ----------------------------------------------------------------------------------


def database_description(origin: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_database()")
        version, database = cursor.fetchone()
    settings = connection.settings_dict
    where = settings["HOST"] or "local socket"
    if settings["PORT"]:
        where += f":{settings['PORT']}"
    return f"PostgreSQL {version} (scratch database {database!r} on {where}, the server of {origin})"


# --- main -----------------------------------------------------------------------------------------


def figures(label: str, seconds: float, file_bytes: int) -> str:
    return (
        f"  {label:<10} {seconds:7.2f} s  {ARTICLES / seconds:9,.0f} articles/s  {file_bytes / 1e6 / seconds:7.2f} MB/s"
    )


def main() -> int:
    global ARTICLES  # the size every step checks its count against
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggest", action="store_true", help="also measure ingestion with suggestions")
    parser.add_argument("--articles", type=int, default=ARTICLES, help=f"articles (default {ARTICLES:,})")
    parser.add_argument("--database", default="annotator_bench_ingest", help="the scratch database (name or URL)")
    args = parser.parse_args()
    ARTICLES = args.articles
    origin = "DATABASE_URL" if os.environ.get("DATABASE_URL", "").strip() else "embedded server"
    with harness.scratch_database(args.database):
        return measure(args.suggest, origin)


def measure(suggest: bool, origin: str) -> int:
    import django
    import psycopg

    from annotator.articles.services import create_project

    stamp = dt.datetime.now(dt.UTC)
    print(f"Ingestion vs raw COPY — {stamp:%Y-%m-%d %H:%M:%S} UTC")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: nproc {cpus}, {harness.cpu_model()}, {platform.system()} {platform.release()}")
    print(f"software: Python {platform.python_version()}, psycopg {psycopg.__version__}, Django {django.__version__}")
    print(f"database: {database_description(origin)}")
    projects = []
    ingestion: list[float] = []
    indexing: list[float] = []
    copies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        path = Path(folder) / "articles.jsonl"
        started = time.perf_counter()
        file_bytes, body_bytes = write_articles(path, ARTICLES, SEED)
        print(
            f"data: {ARTICLES:,} articles (seed {SEED}), JSONL {file_bytes / 1e6:.1f} MB, "
            f"bodies {body_bytes / 1e6:.1f} MB UTF-8 ({MIN_BODY_BYTES:,}-{MAX_BODY_BYTES:,} bytes each); "
            f"generated in {time.perf_counter() - started:.1f} s"
        )
        print(
            f"runs: {RUNS} of each, interleaved. ingestion: import_articles(read_paths([file])) into a new "
            "project; COPY: the file read, json.loads, write_row(title, body) into a new TEMP table. "
            "MB/s counts the JSONL file."
        )
        base = f"bench-ingest-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}"
        if suggest:
            run_suggest_rounds(path, base, file_bytes)
            return 0
        for run in range(1, RUNS + 1):
            slug = f"{base}-{run}"
            projects.append(create_project(actor=None, name=f"Benchmark {slug}", slug=slug))
            seconds = run_ingestion(path, projects[-1])
            ingestion.append(seconds)
            print(figures(f"ingest #{run}", seconds, file_bytes), flush=True)
            indexing.append(run_indexing(projects[-1]))
            print(
                f"  index #{run}    {indexing[-1]:5.2f} s   search documents of the {ARTICLES:,} articles",
                flush=True,
            )
            seconds = run_copy(path, f"bench_copy_{os.getpid()}_{run}")
            copies.append(seconds)
            print(figures(f"COPY #{run}", seconds, file_bytes), flush=True)
    ingest_median = statistics.median(ingestion)
    copy_median = statistics.median(copies)
    ratio = copy_median / ingest_median  # throughput ratio: same work, so the inverse of the time ratio
    print("medians:")
    print(figures("ingestion", ingest_median, file_bytes))
    print(figures("raw COPY", copy_median, file_bytes))
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"ratio ingestion/COPY throughput (medians): {ratio:.1%}; target ≥ {TARGET_RATIO:.0%}: {verdict}")
    index_median = statistics.median(indexing)
    with_index = copy_median / (ingest_median + index_median)
    print(
        f"search indexing after the import (median): {index_median:.2f} s; "
        f"ingestion and indexing together: {with_index:.1%} of raw COPY throughput"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
