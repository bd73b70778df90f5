"""doccano's side of bench/peers.py: doccano 1.8.4 from PyPI in its own venv (made on first use under
.data/bench/doccano-venv), on its own database of the same PostgreSQL server, served as `doccano webserver` serves
it (gunicorn sync workers, config.wsgi; bound to 127.0.0.1 instead of 0.0.0.0) with 5 workers, and a Celery worker
(`doccano task`) for its imports: the 2,000 articles the workloads use, and W1's, timed (import_w1). The same
workloads as ours, through doccano's REST API (v1).

doccano has no per-span attributes: the project is an "IntentDetectionAndSlotFilling" one, spans QUOTE/CLAIM and
one document category (FAVOR/AGAINST/NONE) per article, as our one document-level stance per article. It refuses
overlapping spans, so its 200 are laid side by side (10 code points each, every 16).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import harness, w1
from bench import peers_workload as w

VERSION = "1.8.4"
# Without marshmallow<4 doccano 1.8.4 dies on import (environs 9.5); its [postgresql] extra installs no driver;
# numpy 2 breaks its pinned pandas 1.5.3 (every API request then answers 500).
REQUIREMENTS = [f"doccano[postgresql]=={VERSION}", "marshmallow<4", "psycopg2-binary<3", "numpy<2"]
VENV = harness.REPO_ROOT / ".data" / "bench" / "doccano-venv"
WORKERS = 5
PROJECT_TYPE = "IntentDetectionAndSlotFilling"
PASSWORD = "bench-pass-123"


def ensure_venv() -> None:
    """doccano in its own venv, installed from PyPI unless it is there already."""
    python = VENV / "bin" / "python"
    check = f"import importlib.metadata as m; assert m.version('doccano') == '{VERSION}'; import psycopg2, pandas"
    if python.exists() and subprocess.run([python, "-c", check], capture_output=True).returncode == 0:
        return
    print(f"  installing doccano {VERSION} into {VENV} (a few minutes, once)", flush=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True)


class Doccano:
    """doccano's web server and Celery worker while the block runs (its output in a temporary folder), its
    project with the workload's articles imported, and the workload's steps as methods (as peers_ours.Ours)."""

    name = "doccano"

    def __init__(self, args, workload: list[dict]):
        self.args, self.workload = args, workload

    def __enter__(self):
        try:
            self._start()
            self._prepare()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        ensure_venv()
        self.folder = Path(tempfile.mkdtemp(prefix="bench-doccano-"))
        url = harness.with_database(harness.server_url(), f"{self.args.database}_doccano")
        harness.create_database(url)
        backend = subprocess.run(
            [VENV / "bin" / "python", "-c", "import backend, os; print(os.path.dirname(backend.__file__))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        home = self.folder / "home"
        home.mkdir()
        self.env = {
            **os.environ,
            "DOCCANO_HOME": str(home),
            "MEDIA_ROOT": str(home / "media"),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "STANDALONE": "True",
            "DEBUG": "False",
            "DATABASE_URL": harness.libpq_url(url).replace("postgresql://", "postgres://", 1)
            + ("&" if "?" in url else "?")
            + "sslmode=disable",
        }
        self.database_url = url
        log = (self.folder / "server.log").open("ab")
        doccano = str(VENV / "bin" / "doccano")
        subprocess.run([doccano, "init"], env=self.env, check=True, stdout=log, stderr=subprocess.STDOUT)
        subprocess.run(
            [doccano, "createuser", "--username", "admin", "--password", PASSWORD],
            env=self.env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.port = harness.free_port()
        self.web = subprocess.Popen(
            [
                str(VENV / "bin" / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--chdir",
                backend,
                "--capture-output",
                "--log-level",
                "warning",
                "config.wsgi",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [doccano, "task", "--concurrency", "2"],
            env=self.env,
            stdout=(self.folder / "celery.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if w.Api(self.port).request("GET", "/v1/health/")[0] == 200:
                    break
            except OSError:
                pass
            if self.web.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"doccano did not start: {(self.folder / 'server.log').read_text()[-3000:]}")
            time.sleep(0.5)
        time.sleep(3)  # the Celery worker connects to its broker

    def _prepare(self) -> None:
        self.api = login(self.port)
        self.project, self.labels = make_project(self.api)
        extra = w.articles(max(0, self.args.doccano_articles - len(self.workload)), len(self.workload))
        self.ids = import_articles(self.api, self.project, self.workload + extra)
        print(f"  doccano: {len(self.ids):,} articles imported", flush=True)
        self.pid = self.web.pid
        self.idle_mib = w.pss_mib(w.tree_pids(self.pid))

    def create_job(self, article: dict) -> list:
        """One article's 20 spans and its document category, one POST each."""
        eid, out, pid = self.ids[article["n"]], [], self.project
        for span in article["spans"]:
            payload = {"label": self.labels[span["label"]], "start_offset": span["start"], "end_offset": span["end"]}
            status, body, seconds = self.api.request("POST", f"/v1/projects/{pid}/examples/{eid}/spans", payload)
            out.append((status == 201, seconds, f"{status} {str(body)[:200]}"))
        category = {"label": self.labels[article["spans"][0]["stance"]]}
        status, body, seconds = self.api.request("POST", f"/v1/projects/{pid}/examples/{eid}/categories", category)
        out.append((status == 201, seconds, f"{status} {str(body)[:200]}"))
        return out

    def make_200(self) -> int:
        """200 spans on the big article, side by side (doccano refuses overlaps), one POST each; its id."""
        big = self.ids[self.workload[-1]["n"]]
        for k in range(200):
            payload = {"label": self.labels["CLAIM"], "start_offset": k * 16, "end_offset": k * 16 + 10}
            status, body, _ = self.api.request("POST", f"/v1/projects/{self.project}/examples/{big}/spans", payload)
            assert status == 201, (status, body)
        return big

    def first_id(self) -> int:
        return self.ids[0]

    def get_all(self, eid: int) -> tuple[float, int, int]:
        """The example, its spans and its categories (three requests, as doccano's annotation page makes)."""
        seconds, count = 0.0, 0
        for path in ("", "/spans", "/categories"):
            status, body, took = self.api.request("GET", f"/v1/projects/{self.project}/examples/{eid}{path}")
            assert status == 200, (status, str(body)[:200])
            seconds += took
            count += len(body) if isinstance(body, list) else 0
        return seconds, count, 3

    def w1(self, batch: list[dict]) -> dict:
        """W1's articles imported as doccano's users import them (import_w1)."""
        return import_w1(self.api, self.project, batch, w1.LIST_SIZE)

    def pss_mib(self) -> float:
        return w.pss_mib(w.tree_pids(self.pid))

    def celery_mib(self) -> float:
        return w.pss_mib(w.tree_pids(self.worker.pid))

    def __exit__(self, *exc):
        for process in (getattr(self, "worker", None), getattr(self, "web", None)):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()
        if hasattr(self, "database_url"):
            harness.drop_database(self.database_url)


def login(port: int) -> w.Api:
    api = w.Api(port)
    status, body, _ = api.request("POST", "/v1/auth/login/", {"username": "admin", "password": PASSWORD})
    assert status == 200, (status, body)
    api.headers["Authorization"] = f"Token {body['key']}"
    return api


def make_project(api: w.Api) -> tuple[int, dict]:
    status, body, _ = api.request(
        "POST",
        "/v1/projects",
        {
            "name": "peers",
            "description": "bench",
            "guideline": "",
            "project_type": PROJECT_TYPE,
            "resourcetype": PROJECT_TYPE + "Project",
            "random_order": False,
            "collaborative_annotation": False,
            "allow_member_to_create_label_type": False,
            "tags": [],
        },
    )
    assert status == 201, (status, body)
    pid, labels = body["id"], {}
    for kind, names in (("span-types", ("QUOTE", "CLAIM")), ("category-types", ("FAVOR", "AGAINST", "NONE"))):
        for i, name in enumerate(names):
            status, label, _ = api.request(
                "POST",
                f"/v1/projects/{pid}/{kind}",
                {"text": name, "background_color": "#209cee", "text_color": "#ffffff", "suffix_key": str(i)},
            )
            assert status == 201, (status, label)
            labels[name] = label["id"]
    return pid, labels


def import_articles(api: w.Api, pid: int, articles: list[dict]) -> list[int]:
    """doccano's own import (upload, then a Celery task); the example ids in input order."""
    wait_for_task(api, start_import(api, pid, [upload_file(api, articles)]))
    ids, offset = {}, 0
    while True:
        _, page, _ = api.request("GET", f"/v1/projects/{pid}/examples?limit=1000&offset={offset}")
        ids.update((example["meta"]["ext_id"], example["id"]) for example in page["results"])
        offset += 1000
        if not page.get("next"):
            break
    return [ids[a["n"]] for a in articles]


def upload_file(api: w.Api, articles: list[dict]) -> str:
    """The articles as a JSONL file sent to doccano's upload widget (filepond), as its import page sends one; the
    upload's id."""
    lines = (
        json.dumps({"text": a["text"], "ext_id": a["n"], "title": a["title"]}, ensure_ascii=False) for a in articles
    )
    data = "".join(line + "\n" for line in lines).encode()
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="filepond"; filename="articles.jsonl"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    upload = w.Api(api.port, {**api.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    status, upload_id, _ = upload.request("POST", "/v1/fp/process/", body)
    assert status == 200, (status, upload_id)
    return upload_id.decode() if isinstance(upload_id, bytes) else str(upload_id)


def start_import(api: w.Api, pid: int, upload_ids: list[str]) -> str:
    """The import of the uploaded files (the page's Import button): the Celery task's id."""
    status, task, _ = api.request(
        "POST",
        f"/v1/projects/{pid}/upload",
        {
            "uploadIds": upload_ids,
            "format": "JSONL",
            "task": PROJECT_TYPE,
            "column_data": "text",
            "column_label": "label",
            "encoding": "utf_8",
            "delimiter": ",",
        },
    )
    assert status == 200, (status, task)
    return task["task_id"]


def wait_for_task(api: w.Api, task_id: str, every: float = 0.2) -> None:
    """Until the task is over (as doccano's import page polls it); an error stops the run."""
    while not (state := api.request("GET", f"/v1/tasks/status/{task_id}")[1]).get("ready"):
        time.sleep(every)
    assert not state.get("error"), str(state)[:500]


def example_count(api: w.Api, pid: int) -> int:
    return api.request("GET", f"/v1/projects/{pid}/examples?limit=1")[1]["count"]


def import_w1(api: w.Api, pid: int, batch: list[dict], list_size: int) -> dict:
    """W1 as doccano's users import: the articles as files of `list_size` (ours gets lists of as many), uploaded
    one after the other, then one import of them all (the import page takes several files at once), its task
    polled every 50 ms. Timed from the first upload to the requests answered and to the import complete."""
    before = example_count(api, pid)
    started = time.monotonic()
    uploads = [upload_file(api, batch[i : i + list_size]) for i in range(0, len(batch), list_size)]
    task = start_import(api, pid, uploads)
    answered = time.monotonic()
    wait_for_task(api, task, every=0.05)
    done = time.monotonic()
    return {
        "articles": example_count(api, pid) - before,
        "sent": len(batch),
        "answered_s": answered - started,
        "stored_s": done - started,
    }
