"""Export throughput and memory against a raw PostgreSQL COPY of the same rows.

Builds three projects of approved annotations with COPY (fixed seed; 20 annotations per article: 8
quotes with speaker and cue spans, 8 claims, 4 stances, each with its reviewer's decision; bodies of
2-3 KB of news-like UTF-8 text): 10,000 annotations over 500 articles, 100,000 over 5,000, and
1,000,000 over 50,000. Then, each in a fresh process so that its peak memory is its own, and
interleaved, three times each:

* ours: `export_dataset(format=jsonl|csv)` streamed to a file, the code the command, the page and the
  API run (timed from the call to the last byte written);
* raw COPY: `COPY (SELECT ...) TO STDOUT` of the same two queries our row source runs (the articles
  and the annotations, with the same joins and order), read through psycopg's `cursor.copy()` and
  written to a file.

It prints medians of wall time, rows (annotations) per second, peak RSS of the exporting process
(`VmHWM`), and the ratio to COPY; the targets are within 3x the COPY time, peak memory under
300 MB whatever the size, and 10,000 annotations in under 0.2 s. The projects live in a scratch database
(--database, beside the one DATABASE_URL names, or on the embedded server), dropped at the end unless --keep.

    .venv/bin/python bench/export.py [--sizes 10000,100000,1000000] [--formats jsonl,csv]
    .venv/bin/python bench/export.py --sizes 1000      # a quick try
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

SEED = 2026
RUNS = 3
PER_ARTICLE = 20
SLUG = "bench-export-{}"
WORD_TEXT = (
    "the a of to in and on for with as at by from that this its their after before over under minister "
    "government council market prices inflation rates growth election vote party border trade exports "
    "imports energy climate court ruling report police city region week month year Tuesday Monday said "
    "told added warned claimed argued economy budget deficit jobs wages strike union talks deal crisis "
    "Zürich Kraków São Paulo Ærø Straße café naïve résumé coöperation façade "
)
WORDS = WORD_TEXT.split()
EXTRA = ("“", "”", "—", "–", "€", "東京", "経済", "서울", "📈", "🌍", "👩‍💻", "😐", "Ελλάδα", "Київ", "مرحبا")
NAMES = ("Ana Kovač", "Jürgen Weiß", "Zoë Ngata", "Søren Kierkegaard", "Li Wei", "Amira Haddad", "Olu Adeyemi")


def body_text(rng: random.Random) -> str:
    sentences, size = [], 0
    target = rng.randint(2000, 3000)
    while size < target:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), rng.choice(EXTRA))
        if rng.random() < 0.4:
            words.insert(0, f"{rng.choice(NAMES)} said “")
        sentence = " ".join(words)
        sentence = sentence[0].upper() + sentence[1:] + "."
        sentences.append(sentence)
        size += len(sentence.encode()) + 1
    return " ".join(sentences)


def annotation_rows(rng: random.Random, body: str):
    """(kind, start, end, text, attributes) of the 20 annotations of one article."""
    length = len(body)
    for i in range(PER_ARTICLE):
        kind = "quote" if i < 8 else "claim" if i < 16 else "stance"
        start = rng.randrange(0, length - 150)
        end = start + rng.randint(20, 120)
        if kind == "quote":
            s = rng.randrange(0, length - 20)
            c = rng.randrange(0, length - 10)
            attributes = {
                "speaker": rng.choice(NAMES),
                "speaker_span": [s, s + rng.randint(5, 15)],
                "cue_span": [c, c + 4],
                "quote_type": rng.choice(("direct", "indirect", "mixed")),
            }
        elif kind == "claim":
            attributes = {
                "checkworthy": True,
                "category": rng.choice(("statistic", "event", "fact", None)),
                "verdict": rng.choice(("true", "false", "misleading", None)),
                "verdict_note": "",
                "evidence_url": "",
            }
        else:
            attributes = {"holder": rng.choice(NAMES), "target": "the budget", "polarity": "against"}
        yield kind, start, end, body[start:end], attributes


def build(size: int, author, reviewer):
    """A project of `size` approved annotations, written with COPY."""
    from django.db import connection

    from annotator.articles.models import Project

    slug = SLUG.format(size)
    existing = Project.objects.filter(slug=slug).first()
    if existing is not None:  # kept from a run with --keep
        return existing
    project = Project.objects.create(name=f"Export benchmark {size:,}", slug=slug)
    rng = random.Random(SEED + size)
    articles = size // PER_ARTICLE
    now = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
    connection.ensure_connection()
    conn = connection.connection
    bodies = [body_text(rng) for _ in range(articles)]
    with conn.cursor() as cursor:
        url = f"https://news.example.com/{size}/{{}}"
        ids = harness.copy_articles(cursor, project.pk, bodies, at=now, source="Bench Ledger", url=url)
        with cursor.copy(harness.ANNOTATION_COPY) as copy:
            for article_id, body in zip(ids, bodies, strict=True):
                for kind, start, end, text, attributes in annotation_rows(rng, body):
                    row = (article_id, kind, start, end, text, json.dumps(attributes), "approved", "human")
                    copy.write_row((*row, author.pk, "", 3, now, now, now))
        cursor.execute(
            "INSERT INTO annotations_review (annotation_id, reviewer_id, decision, comment, annotation_version, "
            "created_at) SELECT n.id, %s, 'approve', '', 2, %s FROM annotations_annotation n "
            "JOIN articles_article a ON a.id = n.article_id WHERE a.project_id = %s",
            [reviewer.pk, now, project.pk],
        )
        cursor.execute("ANALYZE articles_article; ANALYZE annotations_annotation; ANALYZE annotations_review")
    conn.commit() if not conn.autocommit else None
    return project


# --- one measurement, in a child process ------------------------------------------------------------


def child(kind: str, slug: str, fmt: str, out: str) -> dict:
    harness.set_up_django()
    from django.db import connection

    from annotator.articles.models import Project
    from annotator.exports.rows import _annotations_query, _articles_query
    from annotator.exports.services import export_dataset

    project = Project.objects.get(slug=slug)
    if kind == "job":
        return child_job(project, fmt, out)
    started = time.perf_counter()
    written = 0
    with open(out, "wb") as file:
        if kind == "ours":
            export = export_dataset(project=project, format=fmt, actor=None)
            for chunk in export.chunks:
                file.write(chunk)
                written += len(chunk)
            rows = export.chunks.streamed.annotations
        else:
            selection = export_dataset(project=project, format=fmt, actor=None).chunks.selection
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                for query, params in (_articles_query(selection), _annotations_query(selection)):
                    statement = b"COPY (" + query.as_bytes(connection.connection) + b") TO STDOUT"
                    with cursor.copy(statement, params) as copy:
                        for block in copy:
                            file.write(block)
                            written += len(block)
            rows = project.articles.count() * PER_ARTICLE
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "bytes": written, "peak_mb": harness.peak_rss_mb()}


def child_job(project, fmt: str, out: str) -> dict:
    """The export as a job (POST /api/v1/projects/{slug}/exports/): queued by start_export, then done by the task a
    worker runs (`run_job`, called here in this process), which writes the file beside `out` and renames it when
    whole; timed from the job queued to the job succeeded."""
    from django.test import override_settings

    from annotator.accounts.models import Membership, Role, User
    from annotator.exports.jobs import start_export
    from annotator.jobs.models import Job
    from annotator.jobs.tasks import run_job

    reviewer = User.objects.get(username="bench_export_reviewer")
    Membership.objects.get_or_create(user=reviewer, project=project, defaults={"role": Role.REVIEWER})
    with override_settings(EXPORT_DIR=str(Path(out).parent / f"jobs-{Path(out).stem}")):
        started = time.perf_counter()
        job = start_export(actor=reviewer, project=project, format=fmt, status="approved")
        run_job(job.pk)
        seconds = time.perf_counter() - started
        job = Job.objects.get(pk=job.pk)
        assert job.state == "succeeded", job.error
        path = Path(out).parent / f"jobs-{Path(out).stem}" / str(job.pk) / job.result["filename"]
        size = path.stat().st_size
        path.unlink()
    return {"seconds": seconds, "rows": job.result["counts"]["annotations"], "bytes": size,
            "peak_mb": harness.peak_rss_mb()}  # fmt: skip


def measure(kind: str, slug: str, fmt: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as out:
        result = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--slug", slug, "--format", fmt, "--out", out.name],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def idle_peak() -> float:
    """The peak RSS of a child that sets Django up and exports nothing: the floor under every figure."""
    code = "from bench import harness; harness.set_up_django(); print(harness.peak_rss_mb())"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=harness.REPO_ROOT
    )
    return float(result.stdout.strip().splitlines()[-1])


def describe() -> str:
    import django
    import psycopg

    return (
        f"{harness.machine()}, PostgreSQL {harness.postgres_version()}, psycopg {psycopg.__version__}, "
        f"Django {django.__version__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--formats", default="jsonl,csv")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and its projects")
    parser.add_argument("--database", default="annotator_bench_export", help="the scratch database (name or URL)")
    parser.add_argument("--jobs", action="store_true", help="also the export as a job, against the same COPY")
    parser.add_argument("--child")
    parser.add_argument("--slug")
    parser.add_argument("--format")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.slug, args.format, args.out)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    with harness.scratch_database(args.database, reuse=args.keep, keep=args.keep):
        return measure_all(sizes, args.formats.split(","), jobs=args.jobs)


def interleaved(kind: str, slug: str, fmt: str) -> tuple[dict, dict]:
    """`kind` and the raw COPY, RUNS times each in turn: median seconds, peak RSS (the highest) and the first run's
    bytes of each."""
    runs = {kind: [], "copy": []}
    for _ in range(RUNS):
        for name in runs:
            runs[name].append(measure(name, slug, fmt))
    return tuple(
        {
            "seconds": statistics.median(r["seconds"] for r in measured),
            "peak_mb": max(r["peak_mb"] for r in measured),
            "bytes": measured[0]["bytes"],
        }
        for measured in runs.values()
    )


def missed(what: str, ours: dict, raw: dict) -> list[str]:
    """The targets every export is held to: within 3x the COPY time, peak memory under 300 MB."""
    failures = []
    if ours["seconds"] > 3 * raw["seconds"]:
        failures.append(f"{what}: {ours['seconds'] / raw['seconds']:.2f}x the COPY time")
    if ours["peak_mb"] > 300:
        failures.append(f"{what}: peak {ours['peak_mb']:.0f} MB")
    return failures


def measure_all(sizes: list[int], formats: list[str], jobs: bool = False) -> int:
    from annotator.accounts.models import User

    author, _ = User.objects.get_or_create(username="bench_export_annotator")
    reviewer, _ = User.objects.get_or_create(username="bench_export_reviewer")
    print(describe())
    failures = []
    for size in sizes:
        started = time.perf_counter()
        build(size, author, reviewer)
        print(f"built {size:,} annotations in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    floor = idle_peak()
    print(f"peak RSS of a process that only sets Django up: {floor:.0f} MB")
    print("| annotations | format | ours | raw COPY | ratio | ours, rows/s | peak RSS ours | peak RSS COPY |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for fmt in formats:
            ours, raw = interleaved("ours", SLUG.format(size), fmt)
            took, copied = ours["seconds"], raw["seconds"]
            print(
                f"| {size:,} | {fmt} | {took:.2f} s ({ours['bytes'] / 1e6:.0f} MB) | {copied:.2f} s | "
                f"{took / copied:.2f}x | {size / took:,.0f} | {ours['peak_mb']:.0f} MB | {raw['peak_mb']:.0f} MB |"
            )
            failures += missed(f"{size} {fmt}", ours, raw)
            if size <= 10_000 and ours["seconds"] > 0.2:
                failures.append(f"{size} {fmt}: {ours['seconds']:.2f} s for 10,000 annotations")
    if jobs:
        print("\nThe export as a job (queued, run by the worker's task, the file renamed when whole), beside COPY:")
        print("| annotations | format | job | raw COPY | ratio | peak RSS job |")
        print("|---|---|---|---|---|---|")
        for size in sizes:
            for fmt in formats:
                job, raw = interleaved("job", SLUG.format(size), fmt)
                ratio = job["seconds"] / raw["seconds"]
                print(f"| {size:,} | {fmt} | {job['seconds']:.2f} s | {raw['seconds']:.2f} s | {ratio:.2f}x | "
                      f"{job['peak_mb']:.0f} MB |")  # fmt: skip
                failures += missed(f"{size} {fmt} as a job", job, raw)
    for failure in failures:
        print("MISSED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
