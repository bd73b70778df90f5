"""doccano's side of bench/peers.py: doccano 1.8.4 from PyPI in its own venv (made on first use under
.data/bench/doccano-venv), on its own database of the same PostgreSQL server, served as `doccano webserver` serves
it (gunicorn sync workers, config.wsgi; bound to 127.0.0.1 instead of 0.0.0.0) with 5 workers, and a Celery worker
(`doccano task`) for its import. The same workloads as ours, through doccano's REST API (v1).

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

from bench import harness
from bench import peers_workload as w

VERSION = "1.8.4"
# Without marshmallow<4 doccano 1.8.4 dies on import (environs 9.5); its [postgresql] extra installs no driver;
# numpy 2 breaks its pinned pandas 1.5.3 (every API request then answers 500).
REQUIREMENTS = [f"doccano[postgresql]=={VERSION}", "marshmallow<4", "psycopg2-binary<3", "numpy<2"]
VENV = harness.REPO_ROOT / ".data" / "bench" / "doccano-venv"
DATABASE = "annotator_bench_peers_doccano"
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
    """doccano's web server and Celery worker while the block runs; its output in a temporary folder."""

    def __enter__(self):
        ensure_venv()
        self.folder = Path(tempfile.mkdtemp(prefix="bench-doccano-"))
        url = harness.with_database(harness.server_url(), DATABASE)
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
        return self

    def __exit__(self, *exc):
        for process in (self.worker, self.web):
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()
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
    upload_id = upload_id.decode() if isinstance(upload_id, bytes) else str(upload_id)
    status, task, _ = api.request(
        "POST",
        f"/v1/projects/{pid}/upload",
        {
            "uploadIds": [upload_id],
            "format": "JSONL",
            "task": PROJECT_TYPE,
            "column_data": "text",
            "column_label": "label",
            "encoding": "utf_8",
            "delimiter": ",",
        },
    )
    assert status == 200, (status, task)
    while not (state := api.request("GET", f"/v1/tasks/status/{task['task_id']}")[1]).get("ready"):
        time.sleep(0.2)
    assert not state.get("error"), str(state)[:500]
    ids, offset = {}, 0
    while True:
        _, page, _ = api.request("GET", f"/v1/projects/{pid}/examples?limit=1000&offset={offset}")
        ids.update((example["meta"]["ext_id"], example["id"]) for example in page["results"])
        offset += 1000
        if not page.get("next"):
            break
    return [ids[a["n"]] for a in articles]


def run(workload: list[dict], *, clients: int, reads: int, articles: int) -> dict:
    with Doccano() as server:
        api = login(server.port)
        pid, labels = make_project(api)
        extra = w.articles(max(0, articles - len(workload)), len(workload))
        ids = import_articles(api, pid, workload + extra)
        results: dict = {"articles": len(ids), "pss_idle_mib": w.pss_mib(w.tree_pids(server.web.pid))}

        def job(article):
            eid, out = ids[article["n"]], []
            for span in article["spans"]:
                payload = {"label": labels[span["label"]], "start_offset": span["start"], "end_offset": span["end"]}
                status, body, seconds = api.request("POST", f"/v1/projects/{pid}/examples/{eid}/spans", payload)
                out.append((status == 201, seconds, f"{status} {str(body)[:200]}"))
            category = {"label": labels[article["spans"][0]["stance"]]}
            status, body, seconds = api.request("POST", f"/v1/projects/{pid}/examples/{eid}/categories", category)
            out.append((status == 201, seconds, f"{status} {str(body)[:200]}"))
            return out

        wall, latencies, errors, first = w.run_concurrent(workload[:-1], clients, job)
        results["creates"] = {
            "n": len(latencies),
            "per_s": len(latencies) / wall,
            "p50": w.percentile_ms(latencies, 50),
            "p95": w.percentile_ms(latencies, 95),
            "errors": errors,
            "first_error": first,
        }
        big = ids[workload[-1]["n"]]
        for k in range(200):
            payload = {"label": labels["CLAIM"], "start_offset": k * 16, "end_offset": k * 16 + 10}
            status, body, _ = api.request("POST", f"/v1/projects/{pid}/examples/{big}/spans", payload)
            assert status == 201, (status, body)
        results["read_20"] = read(api, pid, ids[0], reads)
        results["read_200"] = read(api, pid, big, reads)
        results["pss_mib"] = w.pss_mib(w.tree_pids(server.web.pid))
        results["celery_pss_mib"] = w.pss_mib(w.tree_pids(server.worker.pid))
        return results


def get_all(api: w.Api, pid: int, eid: int) -> tuple[float, int]:
    """The example, its spans and its categories (three requests, as doccano's annotation page makes)."""
    seconds, count = 0.0, 0
    for path in ("", "/spans", "/categories"):
        status, body, took = api.request("GET", f"/v1/projects/{pid}/examples/{eid}{path}")
        assert status == 200, (status, str(body)[:200])
        seconds += took
        count += len(body) if isinstance(body, list) else 0
    return seconds, count


def read(api: w.Api, pid: int, eid: int, reads: int) -> dict:
    _, count = get_all(api, pid, eid)
    times = [get_all(api, pid, eid)[0] for _ in range(reads)]
    return {"p50": w.percentile_ms(times, 50), "p95": w.percentile_ms(times, 95), "returned": count, "requests": 3}
