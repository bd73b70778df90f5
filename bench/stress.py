"""Lost updates under load: many clients change the same annotations at once through the REST API, and
what the server acknowledged must be exactly what the database holds afterwards.

1. A scratch database `annotator_bench_stress` beside the one DATABASE_URL names (or on the embedded
   server), migrated and dropped at the end, as bench/api.py does; a project with 200 articles, 6
   annotators and 2 reviewers, each with a token.
2. The production server, started as `make run` starts it (gunicorn with gunicorn.conf.py) on loopback.
3. 16 clients (threads, each on its own connections): 12 annotator clients, two per annotator (the same
   person in two tabs or scripts, so that they collide on the same annotations), and 4 reviewer clients,
   two per reviewer. Together they perform 10,000 writes, mixed: create (with an Idempotency-Key; some
   sent twice, as a client does after a timeout), edit with If-Match (some deliberately stale: a version
   older than one the client has seen), delete with If-Match (some stale too), submit, and review with
   If-Match; and the reads the clients need to learn what others did (not counted in the 10,000). Most
   work goes to 20 hot articles, the rest anywhere.
4. Every acknowledged write (a 2xx answer) goes to a log, which is replayed into an oracle: each
   annotation's expected final state (present or deleted, version, span, attributes, status). The oracle
   is compared with the database, and the acknowledged writes with the history table.

Pass: 0 lost updates, 0 duplicates, 0 answers 5xx, and every deliberately stale If-Match answered 412.
Prints ops/s and the latency p50/p95/p99 per operation type. Run from the repository root:

    .venv/bin/python bench/stress.py                                   # or: make bench-stress
    .venv/bin/python bench/stress.py --clients 4 --operations 200 --articles 20   # a quick try
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/stress.py

tests/test_stress.py runs the same workload, smaller, against the test server.

What counts as what:
- lost: an acknowledged create that is not in the database (and was not deleted by an acknowledged
  delete), an acknowledged delete whose annotation is still there, or an annotation whose stored state is
  not the one the last acknowledged write gave it (a submit, whose answer is only a count, may have moved
  a draft one version further, to submitted);
- duplicated: two acknowledged writes that both produced the same version of one annotation (one of them
  was overwritten without a 412), a create sent again with its Idempotency-Key that made a second
  annotation, or an annotation in the database that no acknowledged create made;
- the history (AnnotationEvent) must hold as many created, edited, deleted, submitted and reviewed events
  as were acknowledged.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import percentile

SCRATCH_DATABASE = "annotator_bench_stress"
CLIENTS = 16
OPERATIONS = 10_000
ARTICLES = 200
HOT_ARTICLES = 20
HOT_SHARE = 0.6
SEED = 2029
TIMEOUT = 60  # seconds a client waits for an answer; a create that times out is sent again with its key
STALE_SHARE = 0.1  # of edits and deletes
RESEND_SHARE = 0.03  # of creates, sent a second time with the same Idempotency-Key
MAX_READS_IN_A_ROW = 20  # a reviewer who found nothing to review in this many reads edits something instead
NOTE = {"quote": "speaker", "claim": "verdict_note", "stance": "holder"}  # the free-text attribute edits change


# --- the world: a project, its people and articles --------------------------------------------------------


@dataclass
class Person:
    username: str
    token: str
    reviewer: bool


@dataclass
class World:
    project_id: int
    people: list[Person]
    articles: list[tuple[int, str]]  # (id, body)


def set_up(*, articles: int = ARTICLES, annotators: int = 6, reviewers: int = 2, seed: int = SEED) -> World:
    """The project, with tokens for its people and news-like articles (Django must be set up)."""
    from annotator.accounts.models import Role
    from annotator.articles.services import create_project

    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:8]
    project = create_project(actor=None, name=f"Stress {tag}", slug=f"stress-{tag}")
    people = []
    for role, count in ((Role.ANNOTATOR, annotators), (Role.REVIEWER, reviewers)):
        for number in range(count):
            user, token = harness.member(project, f"stress-{tag}-{role}-{number}", role)
            people.append(Person(user.username, token, role == Role.REVIEWER))
    stored = harness.store_articles(project, [article_body(rng, n) for n in range(articles)])
    return World(project.pk, people, stored)


WORD_TEXT = """
    the minister said prices would fall council budget vote strike talks court ruling mayor residents police
    inquiry officials statement figures survey analysts week region border trade exports company jobs housing
    rail airport rose fell doubled Zürich São Paulo Kraków Tromsø élection coalition
"""
WORDS = WORD_TEXT.split()


def article_body(rng: random.Random, number: int) -> str:
    sentences = []
    for _ in range(rng.randint(18, 26)):
        words = " ".join(rng.choices(WORDS, k=rng.randint(6, 14)))
        sentences.append(
            f"“{words.capitalize()},” said Ana Kovač 📈." if rng.random() < 0.3 else f"{words.capitalize()}."
        )
    return f"Story {number}. " + " ".join(sentences)


# --- the clients ------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One answered request: what was sent and what came back (the oracle reads the 2xx ones)."""

    client: int
    op: str  # create, resend, edit, delete, submit, review, read
    status: int
    seconds: float
    annotation: int | None = None
    article: int | None = None
    base: int | None = None  # the version sent as If-Match
    state: dict | None = None  # the annotation as the answer gave it
    count: int | None = None  # a submit's count
    stale: bool = False  # If-Match deliberately older than a version the client has seen
    first: int | None = None  # for a resend: the id the first answer gave


class Http:
    """One client's HTTP/1.1 connection (the sync workers close it after each answer; it reconnects)."""

    def __init__(self, host: str, port: int, token: str):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict, object, float]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers={**self.headers, **(headers or {})})
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        seconds = time.perf_counter() - started
        answer = (
            json.loads(raw) if raw and response.getheader("Content-Type", "").startswith("application/json") else raw
        )
        return response.status, dict(response.getheaders()), answer, seconds

    def close(self) -> None:
        self.connection.close()


class Client(threading.Thread):
    """One client: `writes` writes, and the reads it needs to know what to write."""

    def __init__(self, number: int, person: Person, world: World, writes: int, address, start: threading.Barrier):
        super().__init__(name=f"stress-client-{number}")
        self.number, self.person, self.world, self.writes = number, person, world, writes
        self.http = Http(*address, person.token)
        self.start_together = start
        self.rng = random.Random(SEED * 1000 + number)
        self.known: dict[int, dict] = {}  # annotation id: its state as last seen
        self.log: list[Entry] = []
        self.timeouts: list[str] = []
        self.errors: list[str] = []
        self.hot = world.articles[:HOT_ARTICLES]
        self.notes = 0
        self.reads_in_a_row = 0

    def run(self) -> None:
        try:
            self.start_together.wait()
            done = 0
            while done < self.writes and self.reads_in_a_row < 10 * MAX_READS_IN_A_ROW:
                wrote = self.step()
                done += wrote
                self.reads_in_a_row = 0 if wrote else self.reads_in_a_row + 1
            if done < self.writes:
                self.errors.append(f"client {self.number}: found nothing to write after {done} writes")
        except Exception as exc:  # a client bug must not pass silently
            self.errors.append(f"client {self.number}: {type(exc).__name__}: {exc}")
        finally:
            self.http.close()

    # one step: one write (returns 1) or a read (returns 0)

    def step(self) -> int:
        roll = self.rng.random()
        if self.person.reviewer:
            submitted = [a for a in self.known.values() if a["status"] == "submitted"]
            # Nothing to review for a while (the annotators are done, or have not submitted yet): edit instead.
            idle = self.reads_in_a_row >= MAX_READS_IN_A_ROW and self.known
            if not idle and (roll < 0.3 or (roll < 0.85 and not submitted)):
                return self.read(self.article())
            if roll < 0.85 and submitted:
                return self.review(self.rng.choice(submitted))
            if not self.known:
                return self.read(self.article())
            return self.edit(self.rng.choice(list(self.known.values())))
        mine = [a for a in self.known.values() if a["status"] != "approved"]
        if roll < 0.35 or (roll < 0.8 and not mine):
            return self.create(self.article())
        if roll < 0.65:
            return self.edit(self.rng.choice(mine))
        if roll < 0.73:
            return self.delete(self.rng.choice(mine))
        if roll < 0.83:
            return self.submit(self.rng.choice(mine)["article"] if mine else self.article()[0])
        return self.read(self.article())

    def article(self) -> tuple[int, str]:
        return self.rng.choice(self.hot if self.rng.random() < HOT_SHARE else self.world.articles)

    def note(self) -> str:
        self.notes += 1
        return f"client {self.number} note {self.notes}"

    def call(self, op: str, method: str, path: str, body=None, headers=None, *, retry: bool = False):
        """Send until answered when `retry` (a create with its key), else once: a request whose answer never
        came is a timeout, reported, and its annotation left out of the comparison."""
        for attempt in range(5 if retry else 1):
            try:
                return self.http.call(method, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                self.timeouts.append(f"{op} {path} (attempt {attempt + 1}): {exc}")
        return None

    def remember(self, state: dict) -> None:
        seen = self.known.get(state["id"])
        if seen is None or seen["version"] <= state["version"]:
            self.known[state["id"]] = state

    def answered(self, answer, entry: Entry) -> None:
        """Learn from any answer that carries the annotation (2xx, or 412 and 409 with `current`)."""
        if entry.status >= 500:
            return
        if isinstance(answer, dict) and isinstance(answer.get("current"), dict):
            self.remember(answer["current"])
        elif entry.status in (404, 409) and entry.annotation is not None:  # deleted by someone else
            self.known.pop(entry.annotation, None)

    def create(self, article: tuple[int, str]) -> int:
        article_id, body = article
        kind = self.rng.choice(("quote", "claim", "stance"))
        start = self.rng.randrange(0, len(body) - 60)
        end = start + self.rng.randint(5, 50)
        attributes = {NOTE[kind]: self.note()}
        if kind == "quote":
            attributes["quote_type"] = "direct"
        elif kind == "stance":
            attributes |= {"target": "the budget", "polarity": self.rng.choice(["favor", "against"])}
        payload = {"kind": kind, "start": start, "end": end, "text": body[start:end], "attributes": attributes}
        key = {"Idempotency-Key": str(uuid.UUID(int=self.rng.getrandbits(128)))}
        path = f"/api/v1/articles/{article_id}/annotations/"
        answered = self.call("create", "POST", path, payload, key, retry=True)
        if answered is None:
            return 1
        status, _, answer, seconds = answered
        entry = Entry(self.number, "create", status, seconds, article=article_id)
        if status == 201:
            entry.annotation, entry.state = answer["id"], answer
            self.remember(answer)
        self.log.append(entry)
        if status == 201 and self.rng.random() < RESEND_SHARE:
            again = self.call("resend", "POST", path, payload, key, retry=True)
            if again is not None:
                status, _, answer, seconds = again
                resend = Entry(self.number, "resend", status, seconds, article=article_id, first=entry.annotation)
                resend.annotation = answer.get("id") if isinstance(answer, dict) else None
                self.log.append(resend)
        return 1

    def if_match(self, known: dict) -> tuple[int, bool]:
        if self.rng.random() < STALE_SHARE:
            return known["version"] - 1, True
        return known["version"], False

    def edit(self, known: dict) -> int:
        version, stale = self.if_match(known)
        attributes = dict(known["attributes"])
        attributes[NOTE[known["kind"]]] = self.note()
        payload = {"attributes": attributes}
        path = f"/api/v1/annotations/{known['id']}/"
        answered = self.call("edit", "PATCH", path, payload, {"If-Match": f'"{version}"'})
        return self.after_write("edit", known, version, stale, answered, expect=200)

    def delete(self, known: dict) -> int:
        version, stale = self.if_match(known)
        path = f"/api/v1/annotations/{known['id']}/"
        answered = self.call("delete", "DELETE", path, None, {"If-Match": f'"{version}"'})
        return self.after_write("delete", known, version, stale, answered, expect=204)

    def review(self, known: dict) -> int:
        decision = {"decision": "approve"} if self.rng.random() < 0.7 else {"decision": "reject", "comment": "Why?"}
        path = f"/api/v1/annotations/{known['id']}/review/"
        answered = self.call("review", "POST", path, decision, {"If-Match": f'"{known["version"]}"'})
        return self.after_write("review", known, known["version"], False, answered, expect=200)

    def after_write(self, op: str, known: dict, version: int, stale: bool, answered, *, expect: int) -> int:
        if answered is None:
            self.log.append(Entry(self.number, "timeout", 0, 0.0, annotation=known["id"], base=version))
            return 1
        status, _, answer, seconds = answered
        entry = Entry(self.number, op, status, seconds, annotation=known["id"], article=known["article"])
        entry.base, entry.stale = version, stale
        if status == expect and op == "delete":
            self.known.pop(known["id"], None)
        elif status == expect:
            entry.state = answer
            self.remember(answer)
        self.answered(answer, entry)
        self.log.append(entry)
        return 1

    def submit(self, article_id: int) -> int:
        answered = self.call("submit", "POST", f"/api/v1/articles/{article_id}/submit/", None)
        if answered is None:
            self.log.append(Entry(self.number, "timeout", 0, 0.0, article=article_id))
            return 1
        status, _, answer, seconds = answered
        count = answer.get("submitted") if status == 200 else None
        self.log.append(Entry(self.number, "submit", status, seconds, article=article_id, count=count))
        self.read((article_id, ""))  # what the submit did to my drafts' versions
        return 1

    def read(self, article: tuple[int, str]) -> int:
        path = f"/api/v1/articles/{article[0]}/annotations/?page_size=500"
        answered = self.call("read", "GET", path)
        if answered is None:
            return 0
        status, _, answer, seconds = answered
        self.log.append(Entry(self.number, "read", status, seconds, article=article[0]))
        if status == 200:
            listed = {a["id"] for a in answer["results"]}
            for state in answer["results"]:
                if state["author"] is not None:
                    self.remember(state)
            for pk in [pk for pk, a in self.known.items() if a["article"] == article[0] and pk not in listed]:
                del self.known[pk]  # deleted by someone else
        return 0


def run_workload(address: tuple[str, int], world: World, *, clients: int = CLIENTS, operations: int = OPERATIONS):
    """The clients, all started together; returns them (their logs) and the seconds the run took."""
    annotators = [p for p in world.people if not p.reviewer]
    reviewers = [p for p in world.people if p.reviewer]
    review_clients = max(1, clients // 4)
    people = [reviewers[i % len(reviewers)] for i in range(review_clients)]
    people += [annotators[i % len(annotators)] for i in range(clients - review_clients)]
    start = threading.Barrier(clients + 1)
    workers = [
        Client(n, person, world, operations // clients + (n < operations % clients), address, start)
        for n, person in enumerate(people)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return workers, time.perf_counter() - started


# --- the oracle -------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    writes: int = 0
    reads: int = 0
    by_status: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    stale_sent: int = 0
    stale_412: int = 0
    stale_gone: int = 0  # answered 404/409 because an acknowledged delete removed the annotation
    stale_wrong: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    client_errors: list[str] = field(default_factory=list)
    replays: int = 0
    compared: int = 0

    @property
    def passed(self) -> bool:
        return not (
            self.server_errors or self.lost or self.duplicated or self.stale_wrong or self.history or self.client_errors
        )

    def lines(self) -> list[str]:
        return [
            f"annotations compared: {self.compared:,}; writes {self.writes:,}, reads {self.reads:,}",
            f"answers: {', '.join(f'{code} × {n:,}' for code, n in sorted(self.by_status.items()))}",
            f"5xx: {len(self.server_errors)}",
            f"lost updates: {len(self.lost)}",
            f"duplicates: {len(self.duplicated)} (creates sent again with their key: {self.replays}, each replayed)",
            f"stale If-Match sent: {self.stale_sent}, answered 412: {self.stale_412}, "
            f"404/409 after an acknowledged delete: {self.stale_gone}, other: {len(self.stale_wrong)}",
            f"history matches the acknowledged writes: {'yes' if not self.history else 'NO'}",
            f"timeouts: {len(self.timeouts)}; client errors: {len(self.client_errors)}",
        ]


def check(workers, project_id: int) -> Verdict:
    """Replay the acknowledged writes into the expected state of each annotation and compare it with the
    database and its history (Django must be set up on the server's database)."""
    from annotator.annotations.models import Action, Annotation, AnnotationEvent

    verdict = Verdict()
    entries = [entry for worker in workers for entry in worker.log]
    for worker in workers:
        verdict.timeouts += worker.timeouts
        verdict.client_errors += worker.errors
    created: dict[int, dict] = {}
    produced: dict[int, dict[int, Entry]] = defaultdict(dict)  # annotation: version: the write that made it
    deleted: dict[int, Entry] = {}
    uncertain: set[int] = set()
    acknowledged = Counter()
    for entry in entries:
        verdict.by_status[entry.status] += 1
        if entry.op == "read":
            verdict.reads += 1
        elif entry.op != "resend":
            verdict.writes += 1
        if entry.status >= 500:
            verdict.server_errors.append(f"{entry.op} annotation {entry.annotation} article {entry.article}")
        if entry.op == "timeout":
            uncertain.add(entry.annotation)
        if entry.stale:
            verdict.stale_sent += 1
            if entry.status == 412:
                verdict.stale_412 += 1
            elif entry.status in (404, 409):
                verdict.stale_gone += 1  # checked against the acknowledged deletes below
            else:
                verdict.stale_wrong.append(f"{entry.op} annotation {entry.annotation}: {entry.status}")
        if not 200 <= entry.status < 300 or entry.op == "read":
            continue
        acknowledged[entry.op] += entry.count if entry.op == "submit" else 1
        if entry.op == "resend":
            verdict.replays += 1
            if entry.annotation != entry.first:
                verdict.duplicated.append(f"create sent again made annotation {entry.annotation}, not {entry.first}")
            continue
        if entry.op == "create":
            created[entry.annotation] = entry.state
        if entry.op == "delete":
            deleted[entry.annotation] = entry
            continue
        if entry.state is None:
            continue
        version = entry.state["version"]
        if version in produced[entry.annotation]:
            other = produced[entry.annotation][version]
            verdict.duplicated.append(
                f"annotation {entry.annotation} version {version} acknowledged twice: {other.op} by client "
                f"{other.client} and {entry.op} by client {entry.client}"
            )
        produced[entry.annotation][version] = entry
        if entry.base is not None and version != entry.base + 1:
            verdict.duplicated.append(f"{entry.op} of annotation {entry.annotation} at {entry.base} made {version}")
    for entry in entries:
        if entry.stale and entry.status in (404, 409) and entry.annotation not in deleted:
            verdict.stale_wrong.append(f"{entry.op} annotation {entry.annotation}: {entry.status}, not deleted")

    stored = {
        row["id"]: row
        for row in Annotation.objects.filter(article__project_id=project_id, author__isnull=False).values(
            "id", "version", "status", "start", "end", "attributes"
        )
    }
    for pk in sorted(set(stored) - set(created)):
        verdict.duplicated.append(f"annotation {pk} is stored, but no acknowledged create made it")
    for pk in sorted(created):
        if pk in uncertain:
            continue
        verdict.compared += 1
        row = stored.get(pk)
        if pk in deleted:
            later = [v for v in produced[pk] if v > deleted[pk].base]
            if row is not None:
                verdict.lost.append(f"annotation {pk}: its delete was acknowledged, and it is still stored")
            if later:
                verdict.lost.append(f"annotation {pk}: versions {later} acknowledged after its delete")
            continue
        if row is None:
            verdict.lost.append(f"annotation {pk}: acknowledged, never deleted, and not stored")
            continue
        last = max(produced[pk])
        expected = produced[pk][last].state
        same = all(row[name] == expected[name] for name in ("start", "end", "attributes"))
        if row["version"] == last:
            same = same and row["status"] == expected["status"]
        elif row["version"] == last + 1:  # a submit, which answers with a count only, moved the draft on
            same = same and expected["status"] == "draft" and row["status"] == "submitted"
        else:
            same = False
        if not same:
            verdict.lost.append(
                f"annotation {pk}: stored version {row['version']} {row['status']} {row['attributes']}, "
                f"last acknowledged version {last} {expected['status']} {expected['attributes']}"
            )

    if not uncertain:
        events = Counter(
            AnnotationEvent.objects.filter(article__project_id=project_id).values_list("action", flat=True)
        )
        pairs = [
            ("created", events[Action.CREATED], acknowledged["create"]),
            ("edited", events[Action.EDITED], acknowledged["edit"]),
            ("deleted", events[Action.DELETED], acknowledged["delete"]),
            ("submitted", events[Action.SUBMITTED], acknowledged["submit"]),
            ("reviewed", events[Action.APPROVED] + events[Action.REJECTED], acknowledged["review"]),
        ]
        verdict.history = [
            f"{name}: {had} in the history, {acked} acknowledged" for name, had, acked in pairs if had != acked
        ]
    return verdict


def latency_lines(workers) -> list[str]:
    by_op: dict[str, list[float]] = defaultdict(list)
    for worker in workers:
        for entry in worker.log:
            if entry.op != "timeout":
                by_op[entry.op].append(entry.seconds)
    lines = []
    for op in ("create", "resend", "edit", "delete", "submit", "review", "read"):
        values = by_op.get(op)
        if values:
            lines.append(
                f"  {op:7} {len(values):6,}  p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f} ms"
                f"  p99 {percentile(values, 99):6.1f} ms"
            )
    return lines


# --- the benchmark ----------------------------------------------------------------------------------------


def deadlocks_so_far() -> int:
    """How many deadlocks PostgreSQL has broken in this database (it aborts one transaction of each)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"concurrent clients (default {CLIENTS})")
    parser.add_argument("--operations", type=int, default=OPERATIONS, help=f"writes (default {OPERATIONS:,})")
    parser.add_argument("--articles", type=int, default=ARTICLES, help=f"articles (default {ARTICLES})")
    parser.add_argument("--database", default=SCRATCH_DATABASE, help=f"scratch database (default {SCRATCH_DATABASE})")
    args = parser.parse_args()
    with harness.scratch_database(args.database) as url:
        from django.db import connection

        world = set_up(articles=args.articles)
        connection.close()
        with harness.serve(url) as server:
            print(f"Stress benchmark, {harness.machine()} (shared: other people's work runs beside it)")
            print(
                f"server: gunicorn.conf.py, {os.environ.get('WORKERS', '3')} sync workers, on 127.0.0.1:"
                f"{server.port}; database {harness.database_name(url)} at {harness.libpq_url(url).split('@')[-1]}"
            )
            hot = min(HOT_ARTICLES, args.articles)
            print(
                f"{args.clients} clients, {args.operations:,} writes over {args.articles} articles ({hot} hot, "
                f"{HOT_SHARE:.0%} of the work)"
            )
            deadlocks = deadlocks_so_far()
            meter = harness.CpuMeter(server.pid, url)
            meter.start()
            try:
                workers, elapsed = run_workload(
                    ("127.0.0.1", server.port), world, clients=args.clients, operations=args.operations
                )
                cpu = meter.stop()
            finally:
                meter.close()
            verdict = check(workers, world.project_id)
            requests = verdict.writes + verdict.reads + verdict.replays
            print(
                f"{elapsed:.1f} s: {verdict.writes / elapsed:,.0f} writes/s, {requests / elapsed:,.0f} requests/s "
                f"(with the reads); load average {os.getloadavg()[0]:.2f} after"
            )
            per = {name: seconds / requests * 1000 for name, seconds in cpu.items()}
            print(
                f"CPU per request: server {per['server']:.1f} ms, PostgreSQL {per['database']:.1f} ms, clients "
                f"{per['client']:.1f} ms; the machine {cpu['machine'] / elapsed / harness.CORES:.0%} busy, "
                f"{cpu['other'] / elapsed / harness.CORES:.0%} of it other people's processes"
            )
            print("latency per operation (client side, request sent to answer read):")
            print("\n".join(latency_lines(workers)))
            print("\n".join(verdict.lines()))
            for name, problems in (
                ("5xx", verdict.server_errors),
                ("lost", verdict.lost),
                ("duplicated", verdict.duplicated),
                ("stale If-Match not 412", verdict.stale_wrong),
                ("history", verdict.history),
                ("timeouts", verdict.timeouts),
                ("client errors", verdict.client_errors),
            ):
                for problem in problems[:10]:
                    print(f"  {name}: {problem}")
            if verdict.server_errors:
                print(f"the server said:\n{server.said()}")
            server.stop()
            time.sleep(1)  # the server's sessions report their counts as they end
            print(f"deadlocks PostgreSQL broke (the server retried each): {deadlocks_so_far() - deadlocks}")
            print("PASS" if verdict.passed else "FAIL")
    if not verdict.passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
