"""Our side of bench/peers.py: a database of realistic size built with COPY, the server as `make run` starts it,
and the workloads through the API with every setting at its default.

The database: one project of `20,000 × scale` workload articles with 28 pending suggestions each (author null,
origin suggested, as the suggesters store them) and, on one article in ten, 20 annotations by each of two other
annotators: about 600,000 annotations at scale 1, most of them suggestions. The two articles read in W3 carry
47 and 53 suggestions, as the articles of the issue's run did (68 and 253 returned with the reader's own).
"""

from __future__ import annotations

import contextlib
import json
import time
from datetime import UTC, datetime

from bench import harness, w1
from bench import peers_workload as w

API = "/api/v1"
SLUG = "peers"
ARTICLES = 20_000
SUGGESTIONS_PER_ARTICLE = 28
HUMAN_EVERY = 10  # one article in ten has 20 annotations by each of two other annotators
W3_SUGGESTIONS = {20: 47, 200: 53}  # the W3 articles (20 and 200 by the reader) carry as many as the issue's
QUOTE_ATTRS = {"speaker": "Someone", "quote_type": "direct"}
CLAIM_ATTRS = {"checkworthy": True, "category": "statistic"}
POLARITY = {"FAVOR": "favor", "AGAINST": "against", "NONE": "neutral"}
AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
JOB_WORKERS = 1  # `make run`'s default (JOB_WORKERS in the Makefile)


def span_payload(article: dict, start: int, end: int, label: str) -> dict:
    quote = label == "QUOTE"
    return {
        "kind": "quote" if quote else "claim",
        "start": start,
        "end": end,
        "text": article["text"][start:end],
        "attributes": dict(QUOTE_ATTRS if quote else CLAIM_ATTRS),
    }


def stance_payload(article: dict) -> dict:
    """One document-level stance per article, as doccano's one category per example."""
    title = article["title"]
    target = title.split(" over ", 1)[1].rsplit(" — ", 1)[0] if " over " in title else title
    polarity = POLARITY[article["spans"][0]["stance"]]
    return {
        "kind": "stance",
        "start": None,
        "end": None,
        "attributes": {"holder": "author", "target": target, "polarity": polarity},
    }


def _suggestion_rows(rng, article_id: int, text: str, count: int):
    for k in range(count):
        start = rng.randrange(0, max(1, len(text) - 210))
        end = min(len(text), start + rng.randint(20, 200))
        if k % 2:
            kind, attributes = "claim", {"checkworthy": True, "category": "statistic"}
        else:
            attributes = {"speaker": "Someone", "speaker_span": None, "cue_span": None, "quote_type": "direct"}
            kind = "quote"
        yield (
            article_id,
            kind,
            start,
            end,
            text[start:end],
            json.dumps(attributes),
            "draft",
            "suggested",
            None,
            "bench",
            1,
            AT,
            AT,
            None,
        )


def build(scale: float, workload_articles: int) -> dict:
    """The project, its members and the articles with their annotations; the ids the workload needs. Articles
    0 .. workload_articles - 1 get single creates, article workload_articles the 200."""
    from django.db import connection

    from annotator.accounts.models import Role
    from annotator.articles.services import create_project, index_for_search

    started = time.perf_counter()
    count = max(int(ARTICLES * scale), workload_articles + 2)
    project = create_project(actor=None, name="Peers benchmark", slug=SLUG)
    _, reader_token = harness.member(project, "reader", Role.ANNOTATOR)
    others = [harness.member(project, f"other-{i}", Role.ANNOTATOR)[0] for i in range(2)]
    harness.member(project, "reviewer", Role.REVIEWER)
    connection.ensure_connection()
    raw = connection.connection
    annotations = 0
    with raw.cursor() as cursor:
        ids: list[int] = []
        for first in range(0, count, 2_000):
            batch = w.articles(min(2_000, count - first), first)
            with cursor.copy(f"COPY articles_article ({harness.ARTICLE_COLUMNS}) FROM STDIN") as copy:
                for article in batch:
                    digest = harness.hashlib.sha256(article["text"].encode()).hexdigest()
                    copy.write_row(
                        (project.pk, article["title"], article["text"], "The Wire", "", "", "en", "{}", digest, AT)
                    )
            cursor.execute(
                "SELECT id FROM articles_article WHERE project_id = %s AND id > %s ORDER BY id",
                [project.pk, ids[-1] if ids else 0],
            )
            batch_ids = [row[0] for row in cursor.fetchall()]
            ids.extend(batch_ids)
            with cursor.copy(harness.ANNOTATION_COPY) as copy:
                for article, article_id in zip(batch, batch_ids, strict=True):
                    n = article["n"]
                    rng = w.rng_for("suggest", n)
                    suggestions = SUGGESTIONS_PER_ARTICLE
                    if n == 0:
                        suggestions = W3_SUGGESTIONS[20]
                    elif n == workload_articles:
                        suggestions = W3_SUGGESTIONS[200]
                    for row in _suggestion_rows(rng, article_id, article["text"], suggestions):
                        copy.write_row(row)
                        annotations += 1
                    if n % HUMAN_EVERY == HUMAN_EVERY - 1 and n > workload_articles:
                        for other in others:
                            for span in article["spans"]:
                                payload = span_payload(article, span["start"], span["end"], span["label"])
                                copy.write_row(
                                    (
                                        article_id,
                                        payload["kind"],
                                        span["start"],
                                        span["end"],
                                        payload["text"],
                                        json.dumps(payload["attributes"]),
                                        "submitted",
                                        "human",
                                        other.pk,
                                        "",
                                        1,
                                        AT,
                                        AT,
                                        AT,
                                    )
                                )
                                annotations += 1
    index_for_search(project=project)  # as every import does: a database in use holds no article left unindexed
    with connection.cursor() as cursor:
        for table in ("articles_article", "annotations_annotation"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"  built {len(ids):,} articles and {annotations:,} annotations in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return {"ids": ids, "token": reader_token, "articles": len(ids), "annotations": annotations}


def fixture(scale: float, workload_articles: int, *, reuse: bool) -> dict:
    """The database an earlier run left (with `reuse`), with a new reader whose annotations the run makes, or a
    new one."""
    from annotator.accounts.models import Role
    from annotator.annotations.models import Annotation
    from annotator.articles.models import Article, Project
    from annotator.articles.services import index_for_search

    project = Project.objects.filter(slug=SLUG).first()
    if reuse and project is not None:
        index_for_search(project=project)  # a database kept by an earlier version of this script was not indexed
        ids = list(Article.objects.filter(project=project).order_by("id").values_list("id", flat=True))
        _, token = harness.member(project, f"reader-{time.time_ns()}", Role.ANNOTATOR)
        count = Annotation.objects.filter(article__project=project).count()
        return {"ids": ids, "token": token, "articles": len(ids), "annotations": count}
    return build(scale, workload_articles)


class Ours:
    """Our server (as `make run` starts it) on the scratch database, with the workload's steps as methods."""

    name = "ours"

    def __init__(self, database: str, args, workload: list[dict]):
        self.database, self.args, self.workload = database, args, workload

    def __enter__(self):
        keep = self.args.keep or self.args.reuse
        with contextlib.ExitStack() as stack:  # closed at once if the set-up fails, else kept until __exit__
            url = stack.enter_context(harness.scratch_database(self.database, reuse=self.args.reuse, keep=keep))
            self.fixture = fixture(self.args.scale, len(self.workload) - 1, reuse=self.args.reuse)
            articles, annotations = self.fixture["articles"], self.fixture["annotations"]
            print(f"  ours: {articles:,} articles, {annotations:,} annotations", flush=True)
            server = stack.enter_context(harness.serve(url, job_workers=JOB_WORKERS))
            self.stack = stack.pop_all()
        self.server, self.pid, self.ids = server, server.pid, self.fixture["ids"]
        self.api = w.Api(server.port, {"Authorization": f"Token {self.fixture['token']}"})
        self.idle_mib = w.pss_mib(w.tree_pids(self.pid))
        return self

    def __exit__(self, *exc):
        self.stack.__exit__(*exc)

    def create_job(self, article: dict) -> list:
        """One article's 20 spans and its document-level stance, one POST each."""
        aid, out = self.ids[article["n"]], []
        payloads = [span_payload(article, s["start"], s["end"], s["label"]) for s in article["spans"]]
        for payload in [*payloads, stance_payload(article)]:
            status, body, seconds = self.api.request("POST", f"{API}/articles/{aid}/annotations/", payload)
            out.append((status == 201, seconds, f"{status} {str(body)[:200]}"))
        return out

    def make_200(self) -> int:
        """The big article's 200 annotations, in one POST of a list; its id."""
        big = self.workload[-1]
        payload = [span_payload(big, s, e, label) for s, e, label in w.spans_200(big)]
        status, body, _ = self.api.request("POST", f"{API}/articles/{self.ids[big['n']]}/annotations/", payload)
        assert status == 201, (status, str(body)[:300])
        return self.ids[big["n"]]

    def first_id(self) -> int:
        return self.ids[0]

    def get_all(self, aid: int) -> tuple[float, int, int]:
        return get_all(self.api, aid)

    def w1(self, batch: list[dict]) -> dict:
        """W1 (bench/w1.py) by a new admin of the project: the lists answered, stored, suggested."""
        from annotator.accounts.models import Role
        from annotator.articles.models import Project

        project = Project.objects.get(slug=SLUG)
        _, token = harness.member(project, f"importer-{time.time_ns()}", Role.ADMIN)
        return w1.run(self.server.port, project, token, batch)

    def pss_mib(self) -> float:
        return w.pss_mib(w.tree_pids(self.pid))


def get_all(api: w.Api, aid: int) -> tuple[float, int, int]:
    """The article and all its annotations as a client gets them with the defaults: seconds, annotations, requests.
    The article carries them (up to 2,000; `annotations_next` links the rest of the annotation list)."""
    status, article, seconds = api.request("GET", f"{API}/articles/{aid}/")
    assert status == 200, status
    count, requests, url = len(article["annotations"]), 1, _path(article["annotations_next"])
    while url:
        status, page, took = api.request("GET", url)
        assert status == 200, (status, str(page)[:200])
        seconds, requests = seconds + took, requests + 1
        count += len(page["results"])
        url = _path(page["next"])
    return seconds, count, requests


def _path(link: str | None) -> str | None:
    return link and "/" + link.split("://", 1)[-1].split("/", 1)[-1]
