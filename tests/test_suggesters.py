"""The built-in suggesters (quotes and claims) and their evaluation, as pure functions: no database."""

from __future__ import annotations

from pathlib import Path

from annotator.suggestions.base import Candidate, Suggester
from annotator.suggestions.claims import ClaimSuggester
from annotator.suggestions.evaluation import (
    GoldArticle,
    GoldQuote,
    evaluate_claims,
    evaluate_quotes,
    match_spans,
    parts_report,
    read_jsonl_gold,
    read_polnear,
    same_speaker,
)
from annotator.suggestions.quotes import QuoteSuggester
from annotator.suggestions.text import sentences

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "suggest_gold.jsonl"
SEED = ROOT / "seeds" / "000_aa40cb290a0c0354.txt"


def quotes(body: str) -> list[Candidate]:
    return QuoteSuggester().suggest(body)


def claims(body: str) -> list[Candidate]:
    return ClaimSuggester().suggest(body)


def text(body: str, span: list[int] | None) -> str | None:
    return body[span[0] : span[1]] if span else None


def only(found: list[Candidate]) -> Candidate:
    assert len(found) == 1, [(c.start, c.end, c.attributes) for c in found]
    return found[0]


def quote_texts(body: str) -> list[str]:
    return [body[c.start : c.end] for c in quotes(body)]


# -- the protocol ------------------------------------------------------------------------------------------------


def test_suggesters_follow_the_protocol_and_name_themselves():
    assert isinstance(QuoteSuggester(), Suggester)
    assert isinstance(ClaimSuggester(), Suggester)
    assert QuoteSuggester.name == "builtin.quotes"
    assert ClaimSuggester.name == "builtin.claims"


def test_every_suggestion_is_a_span_of_the_body_with_its_kinds_attributes():
    body = SEED.read_text(encoding="utf-8")
    for candidate in quotes(body):
        assert 0 <= candidate.start < candidate.end <= len(body)
        assert set(candidate.attributes) == {"speaker", "speaker_span", "cue_span", "quote_type"}
        assert candidate.attributes["quote_type"] in {"direct", "indirect", "mixed"}
        assert 0 < candidate.confidence <= 1
    for candidate in claims(body):
        assert set(candidate.attributes) == {"checkworthy", "category", "verdict", "verdict_note", "evidence_url"}
        assert candidate.attributes["checkworthy"] is True
        assert candidate.attributes["verdict"] is None
        assert candidate.attributes["category"] in {"statistic", "event", "fact", "prediction", "causal", "other"}


def test_suggesting_twice_gives_equal_but_separate_results():
    body = "“We will win,” Smith said."
    first, second = quotes(body), quotes(body)
    assert first == second
    first[0].attributes["cue_span"].append(99)
    assert quotes(body)[0].attributes["cue_span"] == [21, 25]


# -- direct quotes -----------------------------------------------------------------------------------------------


def test_curly_quote_with_trailing_said_gets_speaker_and_cue():
    body = "Mayor Anna Berg opened the bridge.\n\n“This bridge joins two towns,” Berg said on Monday."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "This bridge joins two towns,"
    assert quote.attributes["quote_type"] == "direct"
    assert quote.attributes["speaker"] == "Anna Berg"
    assert text(body, quote.attributes["speaker_span"]) == "Berg"
    assert text(body, quote.attributes["cue_span"]) == "said"


def test_inverted_attribution_names_the_speaker_after_the_cue():
    body = '"Prices will keep rising," said Finance Minister Karl Weber.'
    quote = only(quotes(body))
    assert quote.attributes["speaker"] == "Karl Weber"
    assert text(body, quote.attributes["speaker_span"]) == "Finance Minister Karl Weber"


def test_quote_interrupted_by_its_attribution_is_one_quote_in_parts():
    body = "“We will not borrow,” she said, “and we will not gamble.”"
    quote = only(quotes(body))
    assert [body[s:e] for s, e in quote.parts] == ["We will not borrow,", "and we will not gamble."]
    assert (quote.start, quote.end) == (quote.parts[0][0], quote.parts[-1][1])
    assert text(body, quote.attributes["cue_span"]) == "said"


def test_the_parts_count_code_points_after_an_emoji():
    body = "😀🇺🇦 Intro. “We will act,” Ana Kovač said, “and soon.”"
    quote = only(quotes(body))
    assert [body[s:e] for s, e in quote.parts] == ["We will act,", "and soon."]
    assert quote.attributes["speaker"] == "Ana Kovač"


def test_a_quote_that_ends_its_sentence_before_the_attribution_stays_two_quotes():
    body = "“We will not borrow,” she said. “And we will not gamble.”"
    first, second = quotes(body)
    assert first.parts is None and second.parts is None
    assert body[second.start : second.end] == "And we will not gamble."


def test_the_suggested_quote_in_parts_is_scored_part_by_part():
    body = "“We will not borrow,” she said, “and we will not gamble.”"
    gold = GoldArticle(
        "interrupted",
        body,
        tuple(
            GoldQuote(s, e, "direct", "she", None, (26, 30)) for s, e in ((1, 20), (body.index("and"), len(body) - 1))
        ),
        None,
    )
    report = evaluate_quotes([gold], [quotes(body)])
    assert (report.exact.matched, report.exact.predicted) == (2, 2)
    parts = parts_report([gold], [quotes(body)])
    assert (parts.suggested, parts.joined_right, parts.gold_shared) == (1, 1, 1)


def test_colon_before_the_quote_attributes_it():
    body = "Governor Ingrid Solheim said: “Inflation is still too high.”"
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "Inflation is still too high."
    assert quote.attributes["speaker"] == "Ingrid Solheim"


def test_direct_quote_with_a_named_speaker_is_surer_than_an_unattributed_one():
    body = (
        "“We will win this,” Smith said.\n\nThe crowd cheered.\n\nLater that day, more rain fell.\n\n"
        "“Nobody saw the flood coming, not even the engineers.”"
    )
    named, orphan = quotes(body)
    assert named.confidence > orphan.confidence
    assert orphan.attributes["speaker"] == ""


def test_quote_after_its_attribution_sentence_shares_the_attribution():
    body = "“We were poor for an hour,” Nowak admitted. “But this group never stops running.”"
    first, second = quotes(body)
    assert second.attributes["speaker"] == "Nowak"
    assert second.attributes["cue_span"] == first.attributes["cue_span"]
    assert second.attributes["speaker_span"] == first.attributes["speaker_span"]


def test_quote_running_over_two_paragraphs_is_one_quote_per_paragraph():
    body = "“This is not about one company,” Doyle said. “It is about the law.\n\n“If we let this pass, we fail.”"
    found = quotes(body)
    assert [body[c.start : c.end] for c in found][-2:] == [
        "It is about the law.",
        "If we let this pass, we fail.",
    ]
    said = body.index("said")
    assert {tuple(c.attributes["cue_span"]) for c in found} == {(said, said + 4)}


def test_scare_quotes_are_not_quotes():
    body = (
        "The so-called “deal of the century” was signed. The “reform” passed the senate on Friday. "
        "The film “Arrival” opened in Paris."
    )
    assert quotes(body) == []


def test_apostrophes_are_not_quote_marks():
    body = "Smith’s team doesn't expect the ’90s rules to change, the drivers’ union said."
    quote = only(quotes(body))
    assert quote.attributes["quote_type"] == "indirect"
    assert body[quote.start : quote.end] == "Smith’s team doesn't expect the ’90s rules to change"


def test_stance_verb_gives_its_object_with_lower_confidence():
    body = "Clinton cited disparaging remarks Trump had made about Machado. Clinton said the remarks were cruel."
    cited, said = quotes(body)
    assert body[cited.start : cited.end] == "disparaging remarks Trump had made about Machado"
    assert cited.confidence < said.confidence


def test_nearest_speech_verb_governs_a_mixed_clause():
    body = 'Net Zero Secretary Fiona MacLeod said the decision showed that Scotland was "open for business".'
    quote = only(quotes(body))
    assert quote.attributes["quote_type"] == "mixed"
    assert text(body, quote.attributes["cue_span"]) == "said"
    assert quote.attributes["speaker"] == "Fiona MacLeod"


def test_guillemets_with_and_without_inner_spaces():
    body = "« Nous avons entendu la colère », Dumont told reporters.\n\n«On ne lâchera rien», he added."
    assert quote_texts(body) == ["Nous avons entendu la colère", "On ne lâchera rien"]
    assert {c.attributes["speaker"] for c in quotes(body)} == {"Dumont"}


def test_german_low_high_quotes_both_closings():
    body = "„Wir schaffen das“, sagte sie. Merkel said: „Das ist gut.” She added: „Wir bleiben.“"
    assert "Das ist gut." in quote_texts(body)
    assert "Wir bleiben." in quote_texts(body)


def test_corner_brackets_quote_with_translation_shares_the_speaker():
    body = "Mayor Kenji Sakamoto said: 「住民の安全が何よりも優先です」 (“The safety of residents comes first”)."
    found = quotes(body)
    assert [body[c.start : c.end] for c in found] == [
        "住民の安全が何よりも優先です",
        "The safety of residents comes first",
    ]
    assert {c.attributes["speaker"] for c in found} == {"Kenji Sakamoto"}


def test_unattributed_quote_inherits_the_previous_speaker():
    body = "“Measles does not stop at borders,” said Dr. Lucia Ferrante.\n\n“Every child who misses a dose is at risk.”"
    second = quotes(body)[1]
    assert second.attributes["speaker"] == "Lucia Ferrante"
    assert second.attributes["speaker_span"] is None
    assert second.attributes["cue_span"] is None


# -- speakers ----------------------------------------------------------------------------------------------------


def test_titles_surnames_and_roles_resolve_to_the_full_name():
    body = SEED.read_text(encoding="utf-8")
    found = [c for c in quotes(body) if c.attributes["quote_type"] in {"direct", "mixed"}]
    assert len(found) == 7  # the eight quoted stretches, two of them in one mixed clause
    assert {c.attributes["speaker"] for c in found} == {"Vladimir Putin"}
    mentions = {text(body, c.attributes["speaker_span"]) for c in found}
    assert {"Mr. Putin", "the Russian president", "The Russian leader", "he"} <= mentions


def test_question_quote_with_inverted_attribution_stays_one_sentence():
    body = "“Why now?” asked Senator Ruth Adams, who chairs the committee."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "Why now?"
    assert quote.attributes["speaker"] == "Ruth Adams"
    assert text(body, quote.attributes["cue_span"]) == "asked"


def test_dashed_apposition_and_an_unnamed_office_holder():
    body = (
        "“Rates stay,” said Senator Ruth Adams.\n\n"
        "The minister — who took office in May — told AFP: “We will publish the figures next week.”\n\n"
        "“We are looking at every option,” he added."
    )
    _, minister, added = quotes(body)
    assert minister.attributes["speaker"] == "the minister"
    assert text(body, minister.attributes["speaker_span"]) == "The minister"
    assert added.attributes["speaker"] == "the minister"


def test_pronoun_resolves_to_last_named_speaker():
    body = "“The vote is close,” said Senator Maria Lopez.\n\n“We need every voter,” she said."
    assert [c.attributes["speaker"] for c in quotes(body)] == ["Maria Lopez", "Maria Lopez"]


def test_pronoun_skips_a_speaker_of_the_other_gender():
    body = (
        "“Rates stay,” said Governor Ingrid Solheim.\n\nMr. Tom Barker disagreed. "
        "“It is too late,” he said.\n\n“We act when we must,” she said."
    )
    assert [c.attributes["speaker"] for c in quotes(body)] == ["Ingrid Solheim", "Tom Barker", "Ingrid Solheim"]


def test_apposition_gives_the_name_not_the_description():
    body = "The opposition health spokesperson, Helen Marsh, said ministers were cherry-picking one good month."
    quote = only(quotes(body))
    assert quote.attributes["speaker"] == "Helen Marsh"
    assert quote.attributes["quote_type"] == "indirect"


def test_organisation_acronym_resolves_to_its_full_name():
    body = (
        "Measles cases doubled, the World Health Organization said.\n\n"
        "According to WHO, children under five accounted for 40 percent of the cases."
    )
    assert [c.attributes["speaker"] for c in quotes(body)] == ["World Health Organization"] * 2


# -- indirect and mixed quotes -----------------------------------------------------------------------------------


def test_indirect_said_that_drops_that_and_the_full_stop():
    body = "Smith said that the plan would cost 3 billion euros."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "the plan would cost 3 billion euros"
    assert quote.attributes["quote_type"] == "indirect"
    assert text(body, quote.attributes["cue_span"]) == "said"


def test_told_reporters_that_skips_the_object():
    body = "The minister told reporters on Tuesday that the talks had failed."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "the talks had failed"
    assert text(body, quote.attributes["cue_span"]) == "told"


def test_warned_that_and_according_to_before_and_after():
    body = (
        "The central bank warned that inflation could rise again.\n\n"
        "According to the statistics office, prices rose 2 percent.\n\n"
        "Exports fell 5 percent in March, according to customs data."
    )
    assert quote_texts(body) == [
        "inflation could rise again",
        "prices rose 2 percent",
        "Exports fell 5 percent in March",
    ]


def test_attribution_after_the_clause_gives_the_clause():
    body = "Measles cases in Europe more than doubled last year, the agency said on Thursday."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "Measles cases in Europe more than doubled last year"


def test_mixed_quote_spans_the_reported_clause_with_its_marks():
    body = "Senator Tom Reed said the plan was 'dead on arrival' and would not pass."
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "the plan was 'dead on arrival' and would not pass"
    assert quote.attributes["quote_type"] == "mixed"
    assert quote.attributes["speaker"] == "Tom Reed"


# -- offsets -----------------------------------------------------------------------------------------------------


def test_offsets_survive_emoji_and_combining_marks():
    # "Peña" with a decomposed ñ (n + U+0303), emoji with a skin-tone modifier, NBSP and a zero-width space.
    body = "Fans 🎉👍🏽 cheered.\u200b\n\n“We won it for the city,” said coach Pen\u0303a\u00a0López. 🏆"
    quote = only(quotes(body))
    assert body[quote.start : quote.end] == "We won it for the city,"
    assert text(body, quote.attributes["speaker_span"]) == "coach Pen\u0303a\u00a0López"
    assert text(body, quote.attributes["cue_span"]) == "said"


def test_sentences_are_offsets_into_the_untouched_body():
    body = "Headline without a stop\nMr. Smith paid $3.5 million in the U.S. on Sept. 11. He left.\u00a0"
    spans = [body[s.start : s.end] for s in sentences(body)]
    assert spans == ["Headline without a stop", "Mr. Smith paid $3.5 million in the U.S. on Sept. 11.", "He left."]


# -- claims ------------------------------------------------------------------------------------------------------


def test_claim_with_percentage_is_a_statistic_without_its_full_stop():
    body = "Consumer prices rose 2.1 percent in the 12 months to September."
    claim = only(claims(body))
    assert body[claim.start : claim.end] == "Consumer prices rose 2.1 percent in the 12 months to September"
    assert claim.attributes["category"] == "statistic"


def test_claim_with_money_is_suggested():
    body = "The government will spend €400 million on farm support next year."
    assert only(claims(body)).confidence >= 0.35


def test_superlative_claim_is_suggested():
    body = "Arctic sea ice reached its smallest winter maximum since records began in 1979."
    assert len(claims(body)) == 1


def test_statistic_ranks_above_a_plain_event():
    body = "The mayor visited the school on Monday.\n\nUnemployment fell to 4.2%, the lowest level since 2008."
    ranked = sorted(ClaimSuggester(threshold=0.0).suggest(body), key=lambda c: -c.confidence)
    assert body[ranked[0].start : ranked[0].end].startswith("Unemployment fell")


def test_opinion_sentence_and_question_are_not_suggested():
    body = "I think this is a wonderful day for everyone.\n\nShould we not ask ourselves why?"
    assert claims(body) == []


def test_claim_inside_a_reported_clause_leaves_out_the_attribution():
    body = "Measles cases more than doubled to 131,200 last year, the WHO said on Thursday."
    claim = only(claims(body))
    assert body[claim.start : claim.end] == "Measles cases more than doubled to 131,200 last year"


# -- evaluation --------------------------------------------------------------------------------------------------


def test_matching_is_one_to_one_greedy_by_overlap():
    gold = [(0, 10), (12, 20)]
    predicted = [(0, 20)]
    assert match_spans(gold, predicted, exact=False) == [(0, 0)]
    assert match_spans(gold, [(0, 10), (12, 20)], exact=True) == [(0, 0), (1, 1)]
    assert match_spans(gold, [(0, 9)], exact=True) == []


def test_same_speaker_ignores_case_and_spacing():
    assert same_speaker("Vladimir  Putin", "vladimir\u00a0putin")
    assert not same_speaker("Putin", "Vladimir Putin")
    assert not same_speaker("", "")


def test_polnear_fragments_become_gold_quotes_with_source_and_cue(tmp_path):
    text_dir = tmp_path / "data" / "dev" / "text"
    ann_dir = tmp_path / "data" / "dev" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    body = '"We will win," Smith said, "and soon."'
    (text_dir / "a.txt").write_text(body, encoding="utf-8")
    (ann_dir / "a_bbbb.ann").write_text("T1\tSource 0 1\tX\n", encoding="utf-8")
    (ann_dir / "a_aaaa.ann").write_text(
        "T1\tSource 15 20\tSmith\nT2\tCue 21 25\tsaid\nT3\tContent 0 14;27 38\t...\n"
        "T4\tAttribution 21 25\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    (article,) = read_polnear(tmp_path)
    assert [(q.start, q.end, q.quote_type) for q in article.quotes] == [(0, 14, "direct"), (27, 38, "direct")]
    assert {q.speaker for q in article.quotes} == {"Smith"}
    report = evaluate_quotes([article], [quotes(body)], speaker_by_span=True)
    assert report.overlap.recall == 1.0
    assert report.speaker.value == 1.0
    assert report.cue.value == 1.0


def test_gold_set_a_meets_the_targets():
    """Direct quotes F1 ≥ 0.90 and speaker accuracy ≥ 0.80 (overlap), claims recall ≥ 0.70 at precision ≥ 0.50."""
    assert GOLD.exists(), f"{GOLD} is missing: the gold set (a) is part of the suggesters' tests"
    articles = read_jsonl_gold(GOLD)
    assert len(articles) >= 20
    quote_suggester, claim_suggester = QuoteSuggester(), ClaimSuggester()
    predictions = [quote_suggester.suggest(a.text) + claim_suggester.suggest(a.text) for a in articles]
    report = evaluate_quotes(articles, predictions)
    assert report.direct_overlap.f1 >= 0.90
    assert report.speaker.value >= 0.80
    claim_scores = evaluate_claims(articles, predictions)
    assert claim_scores.recall >= 0.70
    assert claim_scores.precision >= 0.50
