"""The bench harness's pure helpers: where a scratch database goes, and the percentiles every report prints."""

from __future__ import annotations

import math
import random

from bench import harness


def test_a_scratch_database_name_goes_beside_the_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user:secret@db.example:5433/annotator?sslmode=require")
    url = harness.scratch_url("annotator_bench_api")
    assert url == "postgres://user:secret@db.example:5433/annotator_bench_api?sslmode=require"
    assert harness.database_name(url) == "annotator_bench_api"
    assert harness.libpq_url(url).startswith("postgresql://user:secret@db.example:5433/")


def test_a_whole_url_is_taken_as_the_scratch_database():
    url = "postgresql://postgres@127.0.0.1:55439/annotator_faults"
    assert harness.scratch_url(url) == url


def test_percentile_is_the_nearest_rank_in_milliseconds():
    seconds = [n / 1000 for n in range(1, 101)]
    random.Random(1).shuffle(seconds)
    assert harness.percentile(seconds, 50) == 50
    assert harness.percentile(seconds, 95) == 95
    assert harness.percentile(seconds, 100) == 100
    assert math.isnan(harness.percentile([], 50))


def test_news_bodies_are_about_three_kilobytes_and_their_annotations_match_the_text():
    rng = random.Random(2027)
    body = harness.news_body(rng)
    assert 2_800 <= len(body.encode()) < 5_000
    for number in range(30):
        annotation = harness.news_annotation(rng, body, number)
        assert annotation["text"] == body[annotation["start"] : annotation["end"]]
        assert annotation["kind"] == ("quote", "claim", "stance")[number % 3]
