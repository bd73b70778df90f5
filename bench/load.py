"""Many annotators at once: latency and errors per request type under a mixed load, driven by locust.

The project: 10,000 news-like articles (about 3 KB each) and 1,000,000 annotations, 100 per article from 5 of
45 annotators (20 each; quotes, claims and stances). Per annotator and article, 10% of the work is in
progress (drafts), 30% submitted and waiting for review, 60% reviewed (85% approved, 15% rejected with a
comment) by one of 5 reviewers. It is written with COPY (as bench/dashboard.py and bench/export.py do) into a
scratch database (--database) on the PostgreSQL server of DATABASE_URL, or on the embedded server when
DATABASE_URL is unset, the first time, and reused by later runs (--rebuild builds it again, --drop drops it
at the end). The database DATABASE_URL names is never touched.

The server: gunicorn as `make run` serves it (gunicorn.conf.py, WORKERS of its environment, default 3), on a
free loopback port.

The load: --users simulated people (locust FastHttpUsers, headless, through locust's Python API in a child
process), one in ten a reviewer, started --spawn-rate a second, each waiting --wait seconds between requests
(people read and select text between two clicks; the default, 1 to 2 s, is a busier pace than a person's).
What they send, about 70% reads, 25% annotation writes and 5% reviews in all:
  annotators  project page (a random page of the article list, HTML), article page (one of their articles,
              HTML), annotation list (API), create an annotation on one of their articles in progress
              (API, with an Idempotency-Key), edit one of their drafts (API, PATCH with If-Match)
              with weights 20 / 25 / 20 / 20 / 5
  reviewers   project page, article page (every annotator's annotations), annotation list (API), review a
              submitted annotation (API, approve or reject with a comment), with weights 15 / 20 / 15 / 50
HTML pages use a session cookie, the API a token. Figures are the client's latency (request sent to
response read), counted from when every user has started, for --duration seconds; beside them, each request
type's server time when it is sent alone (--service-times: in-process through Django's test client, one at a
time, before the load starts: the latency with nothing in the queue, less the network). Also printed: the
CPU that the server, PostgreSQL, the load generator and other processes took (the machine may be shared),
the CPU per request, and each target (reads p95 < 150 ms, writes p95 < 250 ms, 0 errors) as met or NOT
met; the exit status is 1 when one is not met.

    .venv/bin/python bench/load.py                                # 50 users for 5 minutes
    .venv/bin/python bench/load.py --duration 60 --users 20
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py --database annotator_load
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import NAMES, REPO_ROOT, TARGETS

SLUG = "bench-load"
ANNOTATORS, REVIEWERS, PER_ARTICLE, ANNOTATORS_PER_ARTICLE = 45, 5, 20, 5
SEED = 4242
READS = ("project page", "article page", "annotation list (API)")
WRITES = ("create annotation (API)", "edit annotation (API)")
REVIEWS = ("review (API)",)
TARGET_READ_P95_MS, TARGET_WRITE_P95_MS = 150, 250
POOL = 400  # drafts to edit and annotations to create, per annotator and run
CATEGORIES = ("statistic", "event", "fact", "prediction", "causal", "other")


def seconds(text: str) -> float:
    """90, 90s, 5m or 1h → seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 300, 90s or 5m")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def wait_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        pair = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a range of seconds such as 1-2") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: the first number must be the smaller")
    return pair


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/load.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=seconds, default=300.0, help="how long the measured run lasts: 300 (default), 90s, 5m"
    )
    parser.add_argument(
        "--users",
        type=int,
        default=50,
        help="simulated people, one in ten a reviewer (default 50, at most 50: 45 annotators and 5 reviewers)",
    )
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started a second (default 10)")
    parser.add_argument(
        "--wait", type=wait_range, default=(1.0, 2.0), help="seconds each user waits between requests (default 1-2)"
    )
    parser.add_argument(
        "--database",
        default="annotator_bench_load",
        help="the scratch database: a name, made on the server of DATABASE_URL (or the embedded server when "
        "DATABASE_URL is unset), or a whole postgresql:// URL; built on first use, then reused "
        "(default annotator_bench_load)",
    )
    parser.add_argument("--rebuild", action="store_true", help="drop the scratch database and build it again")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in a new build (default 10,000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--service-times",
        type=int,
        default=20,
        metavar="N",
        help="first time each request type N times in-process, one at a time (server time without the load and "
        "the network; 0: skip; default 20)",
    )
    parser.add_argument("--run-users", type=Path, help=argparse.SUPPRESS)  # the locust child process
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the database ---------------------------------------------------------------------------------


def annotation_row(rng: random.Random, body: str, slot: int) -> tuple[str, int, int, str, str]:
    """(kind, start, end, text, attributes) of one annotation, spread over the body by `slot` (0-19)."""
    segment = len(body) // PER_ARTICLE
    start = slot * segment + rng.randrange(0, max(1, segment - 60))
    end = min(len(body), start + rng.randint(20, 160))
    kind = ("quote", "claim", "stance")[slot % 3]
    if kind == "quote":
        attributes = {"speaker": rng.choice(NAMES), "speaker_span": None, "cue_span": None, "quote_type": "direct"}
    elif kind == "claim":
        attributes = {
            "checkworthy": rng.random() < 0.7,
            "category": rng.choice(CATEGORIES),
            "verdict": None,
            "verdict_note": "",
            "evidence_url": "",
        }
    else:
        attributes = {"holder": rng.choice(NAMES), "target": rng.choice(TARGETS), "polarity": "against"}
    return kind, start, end, body[start:end], json.dumps(attributes, ensure_ascii=False)


def build(articles: int) -> None:
    """The project, its people and its articles and annotations (COPY)."""
    from django.db import connection

    from annotator.accounts.models import Role, User
    from annotator.accounts.services import set_membership
    from annotator.articles.services import create_project

    started = time.perf_counter()
    rng = random.Random(SEED)
    project = create_project(actor=None, name="Load benchmark", slug=SLUG)
    project.annotators_per_article = ANNOTATORS_PER_ARTICLE
    project.save(update_fields=["annotators_per_article"])
    annotators, reviewers = [], []
    for number in range(ANNOTATORS):
        annotators.append(User.objects.create_user(username=f"load-annotator-{number:02d}", password=None))
        set_membership(actor=None, project=project, user=annotators[-1], role=Role.ANNOTATOR)
    for number in range(REVIEWERS):
        reviewers.append(User.objects.create_user(username=f"load-reviewer-{number}", password=None))
        set_membership(actor=None, project=project, user=reviewers[-1], role=Role.REVIEWER)
    at = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    bodies = [harness.news_body(rng) for _ in range(articles)]
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        ids = harness.copy_articles(cursor, project.pk, bodies, at=at, source="The Ledger")
        print(f"  {len(ids):,} articles stored ({time.perf_counter() - started:.0f} s)", flush=True)
        assignments = []
        with cursor.copy(harness.ANNOTATION_COPY) as copy:
            for article_id, body in zip(ids, bodies, strict=True):
                for person in rng.sample(annotators, ANNOTATORS_PER_ARTICLE):
                    roll = rng.random()
                    work = "in_progress" if roll < 0.1 else "submitted"
                    assignments.append((article_id, person.pk, work, at, None if work == "in_progress" else at))
                    for slot in range(PER_ARTICLE):
                        if roll < 0.1:
                            status, version = "draft", 1
                        elif roll < 0.4:
                            status, version = "submitted", 2
                        else:
                            status, version = ("approved" if rng.random() < 0.85 else "rejected"), 2
                        submitted = None if status == "draft" else at
                        row = (article_id, *annotation_row(rng, body, slot), status, "human", person.pk, "")
                        copy.write_row((*row, version, at, at, submitted))
        print(f"  annotations stored ({time.perf_counter() - started:.0f} s)", flush=True)
        with cursor.copy(
            "COPY annotations_assignment (article_id, user_id, status, started_at, submitted_at) FROM STDIN"
        ) as copy:
            for row in assignments:
                copy.write_row(row)
        cursor.execute(
            "INSERT INTO annotations_review (annotation_id, reviewer_id, decision, comment, annotation_version, "
            "created_at) SELECT n.id, (%s::bigint[])[1 + n.id %% %s], CASE n.status WHEN 'approved' THEN 'approve' "
            "ELSE 'reject' END, CASE n.status WHEN 'approved' THEN '' ELSE 'The span is too long.' END, n.version, %s "
            "FROM annotations_annotation n JOIN articles_article a ON a.id = n.article_id "
            "WHERE a.project_id = %s AND n.status IN ('approved', 'rejected')",
            [[r.pk for r in reviewers], REVIEWERS, at, project.pk],
        )
    raw.commit() if not raw.autocommit else None
    with connection.cursor() as cursor:
        for table in ("articles_article", "annotations_annotation", "annotations_assignment", "annotations_review"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def fixture(users: int, run_seed: int) -> dict:
    """Who the simulated people are: tokens, sessions, their articles, drafts to edit, spans to create, and
    annotations to review (distinct per reviewer, still submitted now)."""
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from annotator.accounts.models import User
    from annotator.articles.models import Article, Project

    rng = random.Random(run_seed)
    project = Project.objects.get(slug=SLUG)
    reviewers = max(1, users // 10)
    annotators = users - reviewers
    people = list(User.objects.filter(username__startswith="load-annotator-").order_by("username")[:annotators])
    people += list(User.objects.filter(username__startswith="load-reviewer-").order_by("username")[:reviewers])
    if len(people) < users:
        raise SystemExit(f"the project has {ANNOTATORS} annotators and {REVIEWERS} reviewers: --users at most 50")
    pages = max(1, -(-Article.objects.filter(project=project).count() // 50))
    result = {"slug": SLUG, "pages": pages, "annotators": [], "reviewers": []}

    with connection.cursor() as cursor:
        for user in people[:annotators]:
            cursor.execute(
                "SELECT article_id, status FROM annotations_assignment WHERE user_id = %s ORDER BY article_id",
                [user.pk],
            )
            work = cursor.fetchall()
            # New annotations go to articles in progress (any of theirs in a small build that has none).
            open_articles = [article for article, status in work if status == "in_progress"] or [a for a, _ in work]
            cursor.execute(
                "SELECT id, version, kind, attributes FROM annotations_annotation WHERE author_id = %s "
                "AND status = 'draft' AND kind IN ('quote', 'stance') ORDER BY random() LIMIT %s",
                [user.pk, POOL],
            )
            drafts = [
                {"id": i, "version": v, "kind": k, "attributes": json.loads(a)} for i, v, k, a in cursor.fetchall()
            ]
            cursor.execute(
                "SELECT id, body FROM articles_article WHERE id = ANY(%s)",
                [rng.sample(open_articles, min(40, len(open_articles)))],
            )
            bodies = cursor.fetchall()
            creates = []
            for _ in range(POOL):
                article_id, body = rng.choice(bodies)
                kind, start, end, text, attributes = annotation_row(rng, body, rng.randrange(PER_ARTICLE))
                creates.append(
                    (
                        article_id,
                        {"kind": kind, "start": start, "end": end, "text": text, "attributes": json.loads(attributes)},
                    )
                )
            result["annotators"].append(
                {
                    "token": Token.objects.get_or_create(user=user)[0].key,
                    "session": harness.session_key(user),
                    "articles": [article for article, _ in work],
                    "drafts": drafts,
                    "creates": creates,
                }
            )
        reviewer_ids = people[annotators:]
        cursor.execute(
            "SELECT n.id, n.article_id FROM annotations_annotation n JOIN articles_article a ON a.id = n.article_id "
            "WHERE a.project_id = %s AND n.status = 'submitted' ORDER BY random() LIMIT %s",
            [project.pk, 3000 * len(reviewer_ids)],
        )
        waiting = cursor.fetchall()
        for number, user in enumerate(reviewer_ids):
            pool = waiting[number :: len(reviewer_ids)]
            result["reviewers"].append(
                {
                    "token": Token.objects.get_or_create(user=user)[0].key,
                    "session": harness.session_key(user),
                    "articles": sorted({article for _, article in pool}),
                    "reviews": [pk for pk, _ in pool],
                }
            )
    return result


# --- the simulated people (in the locust child process) -------------------------------------------


def run_users(args: argparse.Namespace) -> None:
    """Runs in a child process: locust patches the standard library for gevent when it is imported."""
    import gevent
    from locust import FastHttpUser, between, events
    from locust.env import Environment

    world = json.loads(args.run_users.read_text())
    annotators, reviewers = iter(world["annotators"]), iter(world["reviewers"])
    low, high = args.wait
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    measuring = {"from": None}

    @events.spawning_complete.add_listener
    def everyone_started(user_count, **kwargs):
        measuring["from"] = time.monotonic()

    @events.request.add_listener
    def count(request_type, name, response_time, response_length, exception=None, **kwargs):
        if measuring["from"] is None:
            return
        samples[name].append(response_time)
        if exception is not None:
            errors[name].append(str(exception)[:300])

    class Person(FastHttpUser):
        abstract = True
        host = args.host
        wait_time = between(low, high)

        def checked(self, name: str, method: str, path: str, expected: int, json_body=None, headers=None):
            with self.client.request(
                method, path, name=name, json=json_body, headers=headers, catch_response=True
            ) as response:
                if response.status_code != expected:
                    response.failure(f"{response.status_code} {(response.text or '')[:200]}")
                return response

        def api(self, extra=None) -> dict:
            return {"Authorization": f"Token {self.me['token']}", **(extra or {})}

        def page(self) -> dict:
            return {"Cookie": f"sessionid={self.me['session']}"}

        def project_page(self):
            page = random.randint(1, world["pages"])
            self.checked("project page", "GET", f"/projects/{world['slug']}/?page={page}", 200, headers=self.page())

        def article_page(self):
            article = random.choice(self.me["articles"])
            self.checked("article page", "GET", f"/articles/{article}/", 200, headers=self.page())

        def annotation_list(self):
            article = random.choice(self.me["articles"])
            path = f"/api/v1/articles/{article}/annotations/?page_size=100"
            self.checked("annotation list (API)", "GET", path, 200, headers=self.api())

    class Annotator(Person):
        def on_start(self):
            self.me = next(annotators)

        def create(self):
            if not self.me["creates"]:
                return
            article, payload = self.me["creates"].pop()
            headers = self.api({"Idempotency-Key": os.urandom(16).hex()})
            path = f"/api/v1/articles/{article}/annotations/"
            self.checked("create annotation (API)", "POST", path, 201, payload, headers)

        def edit(self):
            if not self.me["drafts"]:
                return
            draft = random.choice(self.me["drafts"])
            field = "speaker" if draft["kind"] == "quote" else "holder"
            attributes = {**draft["attributes"], field: random.choice(NAMES)}
            headers = self.api({"If-Match": f'"{draft["version"]}"'})
            path = f"/api/v1/annotations/{draft['id']}/"
            response = self.checked("edit annotation (API)", "PATCH", path, 200, {"attributes": attributes}, headers)
            if response.status_code == 200:
                stored = response.json()
                draft.update(version=stored["version"], attributes=stored["attributes"])

        tasks = {
            Person.project_page: 20,
            Person.article_page: 25,
            Person.annotation_list: 20,
            create: 20,
            edit: 5,
        }

    class Reviewer(Person):
        fixed_count = len(world["reviewers"])

        def on_start(self):
            self.me = next(reviewers)

        def review(self):
            if not self.me["reviews"]:
                return
            pk = self.me["reviews"].pop()
            decision = {"decision": "approve"} if random.random() < 0.8 else {"decision": "reject", "comment": "Cut."}
            self.checked("review (API)", "POST", f"/api/v1/annotations/{pk}/review/", 200, decision, self.api())

        tasks = {Person.project_page: 15, Person.article_page: 20, Person.annotation_list: 15, review: 50}

    env = Environment(user_classes=[Annotator, Reviewer], events=events)
    runner = env.create_local_runner()
    runner.start(len(world["annotators"]) + len(world["reviewers"]), spawn_rate=args.spawn_rate)
    while measuring["from"] is None:
        gevent.sleep(0.1)
    gevent.sleep(args.duration)
    measured = time.monotonic() - measuring["from"]
    measuring["from"] = None  # what is still in flight when the run stops is not counted
    runner.quit()
    figures = {}
    for name, times in samples.items():
        ordered = sorted(times)

        def at(p: float, ordered=ordered) -> float:
            return ordered[max(0, -(-int(p * len(ordered)) // 100) - 1)] if ordered else 0.0

        figures[name] = {
            "requests": len(ordered),
            "errors": len(errors[name]),
            "p50": at(50),
            "p95": at(95),
            "p99": at(99),
            "max": ordered[-1],
            "error_samples": errors[name][:3],
        }
    args.out.write_text(json.dumps({"seconds": measured, "figures": figures}))


# --- one request at a time, in-process ------------------------------------------------------------


def service_times(world: dict, runs: int) -> dict[str, tuple[float, float]]:
    """Median and worst server time (ms) of each request type, sent one at a time through Django's test client
    by the first annotator and the first reviewer: what a request costs when nothing waits in front of it.
    The writes are real (they use the run's first spans, drafts and reviews, which the load then skips)."""
    from django.test import Client

    annotator, reviewer = world["annotators"][0], world["reviewers"][0]
    clients = {}
    for who, person in (("annotator", annotator), ("reviewer", reviewer)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = person["session"]
        clients[who] = client
    rng = random.Random(1)
    timings: dict[str, list[float]] = defaultdict(list)

    def timed(name: str, who: str, method: str, path: str, expected: int, body=None, headers=None):
        person = annotator if who == "annotator" else reviewer
        headers = {**(headers or {}), "Authorization": f"Token {person['token']}"} if "/api/" in path else headers
        send = getattr(clients[who], method)
        started = time.perf_counter()
        response = send(path, data=json.dumps(body) if body is not None else None,
                        content_type="application/json", headers=headers or {})  # fmt: skip
        timings[name].append((time.perf_counter() - started) * 1000)
        if response.status_code != expected:
            raise SystemExit(f"{name}: {response.status_code} {response.content[:300]!r}")
        return response

    for _ in range(runs):
        for who, person in (("annotator", annotator), ("reviewer", reviewer)):
            page = rng.randint(1, world["pages"])
            timed("project page", who, "get", f"/projects/{world['slug']}/?page={page}", 200)
            timed("article page", who, "get", f"/articles/{rng.choice(person['articles'])}/", 200)
            path = f"/api/v1/articles/{rng.choice(person['articles'])}/annotations/?page_size=100"
            timed("annotation list (API)", who, "get", path, 200)
        article, payload = annotator["creates"].pop()
        timed("create annotation (API)", "annotator", "post", f"/api/v1/articles/{article}/annotations/", 201, payload)
        draft = annotator["drafts"].pop()
        attributes = {**draft["attributes"], "speaker" if draft["kind"] == "quote" else "holder": rng.choice(NAMES)}
        headers = {"If-Match": f'"{draft["version"]}"'}
        path = f"/api/v1/annotations/{draft['id']}/"
        timed("edit annotation (API)", "annotator", "patch", path, 200, {"attributes": attributes}, headers)
        path = f"/api/v1/annotations/{reviewer['reviews'].pop()}/review/"
        timed("review (API)", "reviewer", "post", path, 200, {"decision": "approve"})
    return {name: (statistics.median(times), max(times)) for name, times in timings.items()}


# --- the run --------------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    if args.run_users:
        run_users(args)
        return 0
    url = harness.scratch_url(args.database)
    if args.rebuild or not harness.database_exists(url):
        print(f"building the project in the scratch database {harness.database_name(url)} (a few minutes)", flush=True)
    with harness.scratch_database(args.database, reuse=not args.rebuild, keep=not args.drop):
        from django.db import connection

        from annotator.articles.models import Project

        if not Project.objects.filter(slug=SLUG).exists():
            build(args.articles)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT a.id), count(n.id) FROM articles_article a JOIN articles_project p ON p.id = "
                "a.project_id LEFT JOIN annotations_annotation n ON n.article_id = a.id WHERE p.slug = %s",
                [SLUG],
            )
            articles, annotations = cursor.fetchone()
        pg_version = harness.postgres_version()
        world = fixture(args.users, int(time.time()))
        alone = service_times(world, args.service_times) if args.service_times else {}
        connection.close()
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, harness.serve(url) as server:
            world_file, result_file = Path(tmp) / "world.json", Path(tmp) / "result.json"
            world_file.write_text(json.dumps(world))
            print(f"Load benchmark, {harness.machine()}; PostgreSQL {pg_version}, {articles:,} articles, "
                  f"{annotations:,} annotations")  # fmt: skip
            print(
                f"server: {harness.gunicorn_setup()} on 127.0.0.1:{server.port}; {args.users} users "
                f"({len(world['reviewers'])} reviewers), {args.wait[0]:g}-{args.wait[1]:g} s between requests, "
                f"{args.duration:g} s measured",
                flush=True,
            )
            command = [
                sys.executable, __file__, "--run-users", str(world_file), "--host", f"http://127.0.0.1:{server.port}",
                "--out", str(result_file), "--duration", str(args.duration), "--spawn-rate", str(args.spawn_rate),
                "--wait", f"{args.wait[0]}-{args.wait[1]}",
            ]  # fmt: skip
            locust = subprocess.Popen(command, cwd=REPO_ROOT)
            try:
                meter = harness.CpuMeter(server.pid, url, {"load generator": [locust.pid]}, every=1.0)
                meter.start()
                code = locust.wait()
                spent = meter.stop()
                meter.close()
            finally:
                if locust.poll() is None:
                    locust.kill()
                    locust.wait()
            if code != 0 or not result_file.exists():
                raise SystemExit(f"the load generator failed ({code})")
            result = json.loads(result_file.read_text())
    groups = {"server": "server", "database": "PostgreSQL", "load generator": "load generator"}
    result["cpu_seconds"] = {name: spent[key] for key, name in groups.items()} | {"other processes": spent["other"]}
    result["alone"] = alone
    share = harness.CORES * meter.elapsed
    cpu = {name: seconds / share for name, seconds in result["cpu_seconds"].items()} | {
        "machine": spent["machine"] / share
    }
    return report(result, cpu, args)


def report(result: dict, cpu: dict[str, float], args: argparse.Namespace) -> int:
    figures, measured = result["figures"], result["seconds"]
    total = sum(f["requests"] for f in figures.values())
    print(f"\n{total:,} requests in {measured:.0f} s ({total / measured:.1f}/s)\n")
    alone = result.get("alone") or {}
    print("| request | share | requests | p50 | p95 | p99 | max | errors | alone: median / max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in (*READS, *WRITES, *REVIEWS):
        f = figures.get(name)
        if f is None:
            continue
        solo = f"{alone[name][0]:.0f} / {alone[name][1]:.0f} ms" if name in alone else "-"
        print(
            f"| {name} | {f['requests'] / total:.0%} | {f['requests']:,} | {f['p50']:.0f} ms | {f['p95']:.0f} ms "
            f"| {f['p99']:.0f} ms | {f['max']:.0f} ms | {f['errors']} | {solo} |"
        )
    others = cpu["other processes"]
    print(
        "\nCPU of the machine (2 cores = 100%): "
        + ", ".join(f"{group} {share:.0%}" for group, share in cpu.items() if group != "machine")
        + f"; busy {cpu['machine']:.0%}"
        + (" (DISTURBED: other processes took more than 10%)" if others > 0.10 else "")
    )
    # The whole run (the start of the users included) over the requests measured: close enough, and unlike the
    # latencies it hardly depends on what else the machine runs.
    spent = result["cpu_seconds"]
    print(
        f"CPU per request: server {spent['server'] / total * 1000:.1f} ms, "
        f"PostgreSQL {spent['PostgreSQL'] / total * 1000:.1f} ms, load generator "
        f"{spent['load generator'] / total * 1000:.1f} ms"
    )
    for name, f in figures.items():
        for sample in f["error_samples"]:
            print(f"  error, {name}: {sample}")

    def worst(names) -> float:
        return max((figures[n]["p95"] for n in names if n in figures), default=0.0)

    errors = sum(f["errors"] for f in figures.values())
    checks = [
        (
            f"reads p95 < {TARGET_READ_P95_MS} ms (worst read)",
            worst(READS) < TARGET_READ_P95_MS,
            f"{worst(READS):.0f} ms",
        ),
        (
            f"writes p95 < {TARGET_WRITE_P95_MS} ms (worst write or review)",
            worst(WRITES + REVIEWS) < TARGET_WRITE_P95_MS,
            f"{worst(WRITES + REVIEWS):.0f} ms",
        ),
        ("no errors", errors == 0, str(errors)),
    ]
    print("targets:")
    for name, met, value in checks:
        print(f"  {name:48} {value:>8}  {'met' if met else 'NOT met'}")
    if args.json:
        record = {
            "figures": figures,
            "seconds": measured,
            "cpu": cpu,
            "cpu_seconds": result["cpu_seconds"],
            "alone": alone,
        }
        args.json.write_text(json.dumps(record, indent=2))
    return 0 if all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
