"""bench/peers.py's report of W1 (issue 15) beside doccano, and W1's articles (bench/w1.py): pure helpers."""

from __future__ import annotations

from bench import peers, w1


def w1_figures(answered: float, stored: float, suggested: float | None = None) -> dict:
    figures = {"articles": 2000, "sent": 2000, "answered_s": answered, "stored_s": stored}
    if suggested is not None:
        figures |= {"indexed_s": stored + 1, "suggested_s": suggested, "suggestion_jobs": 20, "failed_jobs": 0}
    return figures


def test_the_w1_rows_give_ours_over_doccanos_time_and_say_doccano_makes_no_suggestions():
    ours, doccano = w1_figures(0.25, 2.0, 16.0), w1_figures(0.5, 4.0)
    table = peers.table({"pss_idle_mib": 90.0, "pss_mib": 90.0, "w1": ours}, {"pss_idle_mib": 300.0, "w1": doccano})
    rows = {line.split(" | ")[0].strip("| ").strip(): line.split(" | ")[1:] for line in table.splitlines()[2:]}
    answered = next(v for k, v in rows.items() if k.startswith("W1"))
    stored = next(v for k, v in rows.items() if k.startswith("answered and stored"))
    suggested = next(v for k, v in rows.items() if "doccano makes none" in k)
    assert answered[:3] == ["0.25 (8,000/s)", "0.50 (4,000/s)", "0.50"]
    assert "ours ≥ 5,000/s met" in answered[3]
    assert stored[:3] == ["2.00 (1,000/s)", "4.00 (500/s)", "0.50"]
    assert "NOT met" in stored[3]
    assert suggested[:3] == ["16.00 (125/s)", "4.00 (500/s)", "4.00"]
    indexed = next(v for k, v in rows.items() if k.startswith("and indexed for search"))
    assert indexed[:3] == ["3.00 (667/s)", "4.00 (500/s)", "0.75"]
    assert "web workers" not in table  # the server was only idle: no memory row


def test_w1s_articles_are_new_to_a_database_holding_the_first_ones_of_the_generator():
    held = {a["text"] for a in w1.articles(50, 0)}
    batch = w1.articles(50, 50)
    assert not held & {a["text"] for a in batch}
    assert all(3_000 <= len(a["text"]) <= 5_000 for a in batch)
    assert [item["body"] for item in w1.items(batch)] == [a["text"] for a in batch]
