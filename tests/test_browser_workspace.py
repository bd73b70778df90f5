"""Tagging in Chromium against the real server: mouse and keyboard, overlaps, edit, delete, submit, isolation."""

from __future__ import annotations

import pytest
import regex
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Ukraine’s 🇺🇦 president 👩‍👩‍👧 told 中文 reporters: “We will rebuild every city,” and added that "
    "exports rose 12% in May.\n\nCritics in Kyiv were unconvinced."
)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def setup(db):
    project = ProjectFactory(name="Kyiv desk")
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="boris")
    article = ArticleFactory(project=project, title="Rebuilding pledge", body=BODY)
    return project, annotator, article


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def open_article(page, article) -> None:
    page.goto(f"/articles/{article.pk}/")
    page.wait_for_selector("#article-body")


def drag_select(page, fragment: str) -> None:
    """Select `fragment` of the body with the mouse, from its first to its last character."""
    start = BODY.index(fragment)
    end = start + len(fragment)
    box = page.evaluate(
        """([start, end]) => {
            const root = document.getElementById("article-body");
            const first = AnnotatorOffsets.rangeFromSpan(root, start, start + 1).getClientRects()[0];
            const last = AnnotatorOffsets.rangeFromSpan(root, end - 1, end).getClientRects();
            const l = last[last.length - 1];
            return {x1: first.left + 1, y1: first.top + first.height / 2, x2: l.right - 1, y2: l.top + l.height / 2};
        }""",
        [start, end],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def saved(page, count: int) -> None:
    expect(page.locator("#annotation-list .item")).to_have_count(count)


def test_one_of_each_kind_after_emoji_and_cjk_keeps_exact_offsets_after_reload(page, setup):
    _, _annotator, article = setup
    log_in(page, "anna")
    open_article(page, article)

    drag_select(page, "“We will rebuild every city,”")
    page.keyboard.press("q")
    page.get_by_label("Speaker (canonical name)").fill("Volodymyr Zelensky")
    page.get_by_role("button", name="Save").click()
    saved(page, 1)

    drag_select(page, "exports rose 12% in May")
    page.keyboard.press("c")
    page.get_by_label("Category").select_option("statistic")
    page.get_by_role("button", name="Save").click()
    saved(page, 2)

    drag_select(page, "Critics in Kyiv were unconvinced")
    page.keyboard.press("s")
    page.get_by_label("Holder (who takes the stance)").fill("Critics")
    page.get_by_label("Target (what it is about)").fill("reconstruction")
    page.get_by_label("against").check()
    page.get_by_role("button", name="Save").click()
    saved(page, 3)

    page.reload()
    assert page.locator("#annotation-list .item").count() == 3
    stored = {a.kind: a for a in Annotation.objects.filter(article=article)}
    assert stored["quote"].text == "“We will rebuild every city,”"
    assert stored["claim"].text == "exports rose 12% in May"
    assert stored["stance"].text == "Critics in Kyiv were unconvinced"
    for annotation in stored.values():
        assert BODY[annotation.start : annotation.end] == annotation.text
        marked = page.evaluate(
            "id => [...document.querySelectorAll(`#article-body mark[data-ann='${id}']`)]"
            ".map(m => m.textContent).join('')",
            annotation.pk,
        )
        assert marked == annotation.text
    assert stored["stance"].attributes == {"holder": "Critics", "target": "reconstruction", "polarity": "against"}
    assert page.console_errors == []


def test_overlapping_spans_are_drawn_nested_and_both_are_kept(page, setup):
    _, _, article = setup
    log_in(page, "anna")
    open_article(page, article)
    drag_select(page, "“We will rebuild every city,” and added")
    page.keyboard.press("q")
    page.get_by_role("button", name="Save").click()
    saved(page, 1)
    drag_select(page, "rebuild every city")
    page.keyboard.press("c")
    page.get_by_role("button", name="Save").click()
    saved(page, 2)
    quote, claim = Annotation.objects.order_by("id")
    assert quote.start < claim.start < claim.end < quote.end
    nested = page.locator(f"mark[data-ann='{quote.pk}'] > mark[data-ann='{claim.pk}']")
    assert nested.inner_text() == "rebuild every city"


def graphemes(text: str) -> int:
    """How many times an arrow key moves over `text` (once per user-perceived character)."""
    return len(regex.findall(r"\X", text))


def test_keyboard_only_tagging_of_a_quote_with_speaker_and_cue(page, setup):
    _, _, article = setup
    log_in(page, "anna")
    open_article(page, article)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "article-body":
            break
    assert page.evaluate("document.activeElement.id") == "article-body"

    def caret_before(fragment: str) -> None:
        page.keyboard.press("Control+Home")
        for _ in range(graphemes(BODY[: BODY.index(fragment)])):
            page.keyboard.press("ArrowRight")

    quote = "“We will rebuild every city,”"
    caret_before(quote)
    for _ in range(graphemes(quote)):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("q")
    page.wait_for_selector("#annotation-form")
    expect(page.locator("#id_speaker")).to_be_focused()  # the form takes focus; Shift+Tab goes back to the text
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "article-body"

    caret_before("president")
    for _ in range(graphemes("president")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("p")
    caret_before("told")
    page.keyboard.press("Control+Shift+ArrowRight")  # a whole word at once
    page.keyboard.press("v")
    assert page.inner_text("#speaker_span-text") == "president"
    assert page.inner_text("#cue_span-text") == "told"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "speaker"
    assert page.input_value("#id_speaker") == "president"
    page.keyboard.press("Control+a")
    page.keyboard.type("Volodymyr Zelensky")
    page.keyboard.press("Enter")
    saved(page, 1)

    stored = Annotation.objects.get()
    assert stored.text == quote == BODY[stored.start : stored.end]
    s, e = stored.attributes["speaker_span"]
    assert BODY[s:e] == "president"
    c_s, c_e = stored.attributes["cue_span"]
    assert BODY[c_s:c_e] == "told"
    assert stored.attributes["speaker"] == "Volodymyr Zelensky"
    expect(page.locator("#article-body")).to_be_focused()


def test_edit_and_delete_with_undo(page, setup):
    _, _, article = setup
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.headers.get("hx-request") else None)
    log_in(page, "anna")
    open_article(page, article)
    drag_select(page, "exports rose 12% in May")
    page.keyboard.press("c")
    page.get_by_role("button", name="Save").click()
    saved(page, 1)
    claim = Annotation.objects.get()

    page.locator("#article-body").focus()
    page.keyboard.press("j")
    page.keyboard.press("e")
    page.get_by_label("Verdict", exact=True).select_option("mostly_true")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#item-{claim.pk} >> text=mostly_true")
    claim.refresh_from_db()
    assert claim.attributes["verdict"] == "mostly_true"
    assert claim.version == 2

    page.keyboard.press("j")
    page.keyboard.press("Delete")
    saved(page, 0)
    assert not Annotation.objects.exists()
    page.locator("#undo").click()
    saved(page, 1)
    restored = Annotation.objects.get()
    assert (restored.start, restored.end, restored.attributes["verdict"]) == (claim.start, claim.end, "mostly_true")
    assert [url.split("/", 3)[3] for url in posts] == [
        f"articles/{article.pk}/annotations/",
        f"annotations/{claim.pk}/",
        f"annotations/{claim.pk}/delete/",
        posts[-1].split("/", 3)[3],
    ]
    assert "restore" in posts[-1]


def test_ctrl_enter_submits_and_the_form_refuses_a_selection_outside_the_article(page, setup):
    _, _, article = setup
    log_in(page, "anna")
    open_article(page, article)
    drag_select(page, "Critics in Kyiv")
    page.keyboard.press("c")
    page.get_by_role("button", name="Save").click()
    saved(page, 1)
    # The save's swaps settle (and give the focus back to the text) before the next selection is made.
    expect(page.locator("#annotation-form")).to_have_count(0)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")

    page.evaluate(
        """() => { const sel = getSelection(); const title = document.getElementById('article-title');
            const body = document.querySelector('#article-body span[data-o]');
            sel.setBaseAndExtent(title.firstChild, 0, body.firstChild, 3); }"""
    )
    page.keyboard.press("q")
    assert "beyond the article text" in page.inner_text("#selection-status")

    page.locator("#article-body").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Submitted 1 annotation for review.")
    assert Annotation.objects.get().status == Status.SUBMITTED


def test_an_article_holding_a_script_shows_it_as_text_and_runs_nothing(page, db):
    project = ProjectFactory()
    MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="carla")
    article = ArticleFactory(
        project=project,
        title="<img src=x onerror=alert(1)>",
        body="Before <script>alert('pwned')</script> after “<b>bold</b>”.",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "carla")
    open_article(page, article)
    assert page.inner_text("#article-body") == article.body
    assert page.inner_text("#article-title") == "<img src=x onerror=alert(1)>"
    assert dialogs == []


def test_another_annotator_sees_none_of_my_tags(page, chromium, live_app, setup):
    _, _, article = setup
    log_in(page, "anna")
    open_article(page, article)
    drag_select(page, "rebuild every city")
    page.keyboard.press("c")
    page.get_by_role("button", name="Save").click()
    saved(page, 1)

    context = chromium.new_context(base_url=live_app)
    other = context.new_page()
    try:
        log_in(other, "boris")
        open_article(other, article)
        assert other.locator("#article-body mark").count() == 0
        assert other.locator("#annotation-list .item").count() == 0
    finally:
        context.close()


def test_ctrl_home_goes_to_the_start_of_the_article_from_any_line(page, setup):
    _, _, article = setup
    log_in(page, "anna")
    open_article(page, article)
    page.locator("#article-body").focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+Home")
    for _ in range(graphemes("Ukraine")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("c")
    expect(page.locator("#annotation-form .span-text")).to_have_text("Ukraine")
