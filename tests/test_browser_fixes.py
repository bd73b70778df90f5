"""Issue 14's bugs 6–9 in Chromium: CJK search, whole chart ticks, the article's language, no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotator.accounts.models import Role
from annotator.annotations.models import Annotation, Status
from annotator.annotations.services import create_annotation, review_annotation, submit_article
from annotator.articles.services import index_for_search
from tests.factories import ArticleFactory, MembershipFactory, ProjectFactory
from tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Prime Minister Ana Kovač said inflation will fall below 3% by June. Critics disagreed."
TOKYO_BODY = "首相は本日、東京で記者会見を開き、新しい経済対策を発表した。"
# Collected before any page script runs (Playwright's init scripts are not bound by the page's CSP).
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture
def desk(db):
    project = ProjectFactory(name="Tokyo desk")
    anna = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="anna").user
    rita = MembershipFactory(project=project, role=Role.REVIEWER, user__username="rita").user
    return project, anna, rita


def test_searching_a_japanese_word_finds_the_article_whose_title_holds_it(page, desk):
    project, _, _ = desk
    ArticleFactory(project=project, title="東京で会議", body=TOKYO_BODY)
    ArticleFactory(project=project, title="Harbour strike", body=BODY)
    index_for_search(project=project)
    log_in(page, "anna")
    page.goto(f"/projects/{project.slug}/")
    for word in ("東京", "会議"):
        page.get_by_label("Search articles").fill(word)
        page.get_by_label("Search articles").press("Enter")
        expect(page.locator("#results tbody tr")).to_have_count(1)
        expect(page.locator("#results tbody")).to_contain_text("東京で会議")


def test_the_progress_chart_ticks_whole_numbers_each_once(page, desk):
    project, _, _ = desk
    ArticleFactory(project=project, title="One", body=BODY)
    ArticleFactory(project=project, title="Two", body=BODY + " More.")
    log_in(page, "rita")
    page.goto(f"/projects/{project.slug}/dashboard/")
    ticks = page.locator("#chart-progress text.tick").all_text_contents()
    assert ticks == ["0", "1", "2"]


def test_a_japanese_article_is_drawn_under_its_language_in_the_workspace_and_the_review_page(page, desk):
    project, anna, _ = desk
    article = ArticleFactory(project=project, title="東京で会議", body=TOKYO_BODY, language="ja")
    start = TOKYO_BODY.index("東京")
    create_annotation(actor=anna, article=article, kind="claim", start=start, end=start + 2)
    submit_article(actor=anna, article=article)
    english = ArticleFactory(project=project, title="Harbour strike", body=BODY, language="")
    lang_of = "(selector) => document.querySelector(selector).closest('[lang]').getAttribute('lang')"

    log_in(page, "rita")
    for path in (f"/articles/{article.pk}/", f"/articles/{article.pk}/review/"):
        page.goto(path)
        assert page.evaluate(lang_of, "#article-title") == "ja", path
        assert page.evaluate(lang_of, "#article-body") == "ja", path
        assert page.evaluate(lang_of, "#annotation-list blockquote") == "ja", path
        assert page.evaluate(lang_of, ".site-header") == "en"
    page.goto(f"/projects/{project.slug}/")
    assert page.evaluate(lang_of, f"a[href='/articles/{article.pk}/']") == "ja"
    page.goto(f"/articles/{english.pk}/")
    assert page.evaluate(lang_of, "#article-body") == "en"


def test_approving_rejecting_editing_and_submitting_break_no_content_security_rule(page, chromium, live_app, desk):
    project, anna, _ = desk
    article = ArticleFactory(project=project, title="Budget", body=BODY)
    claims = [
        create_annotation(actor=anna, article=article, kind="claim", start=BODY.index(text), end=BODY.index(text) + 9)
        for text in ("inflation", "Critics d")
    ]
    submit_article(actor=anna, article=article)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(COLLECT_VIOLATIONS)

    # The reviewer approves one claim and rejects the other, with the keyboard. A screenshot (as the were
    # taken) leaves `style=""` on the fields, as extensions and autofill do; htmx copied it onto each swapped node.
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "rita")
    page.goto(f"/articles/{article.pk}/review/")
    page.screenshot()
    page.locator("#article-body").focus()
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.locator(f"#item-{claims[0].pk} .status")).to_have_text("Approved")
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.keyboard.type("Not a claim.")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{claims[1].pk} .status")).to_have_text("Rejected")
    page.wait_for_timeout(300)  # htmx settles 20 ms after a swap
    violations = page.evaluate("window.cspViolations")

    # The author edits the rejected claim and submits it again.
    author = chromium.new_context(base_url=live_app).new_page()
    author.on("console", lambda message: console.append(message.text))
    author.add_init_script(COLLECT_VIOLATIONS)
    log_in(author, "anna")
    author.goto(f"/articles/{article.pk}/")
    author.screenshot()
    author.locator(f"#item-{claims[1].pk}").get_by_role("link", name="Edit").click()
    author.get_by_label("Verdict", exact=True).select_option("mostly_true")
    author.get_by_role("button", name="Save").click()
    expect(author.locator(f"#item-{claims[1].pk} .status")).to_have_text("Draft")
    author.locator("#article-body").focus()
    author.keyboard.press("Control+Enter")
    expect(author.locator("#toast")).to_contain_text("Submitted 1 annotation")
    author.wait_for_timeout(300)
    violations += author.evaluate("window.cspViolations")
    author.context.close()

    assert Annotation.objects.get(pk=claims[1].pk).status == Status.SUBMITTED
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []


# What the import form shows once it is sent, kept in sessionStorage across the page the import answers with.
RECORD_BUSY_FORM = """
window.addEventListener("submit", () => setTimeout(() => {
    const button = document.querySelector(".import-form button[type=submit]");
    const status = document.querySelector(".import-form [data-busy-status]");
    sessionStorage.setItem("busy", JSON.stringify([button.textContent, button.disabled, status.hidden]));
}, 50));
"""


def test_the_import_page_says_it_is_busy_while_the_upload_runs(page, desk, tmp_path):
    project, _, _ = desk
    MembershipFactory(project=project, role=Role.ADMIN, user__username="maria")
    upload = tmp_path / "batch.jsonl"
    upload.write_text('{"title": "Mayor", "body": "The mayor spoke."}\n', encoding="utf-8")
    held = []
    log_in(page, "maria")
    page.add_init_script(RECORD_BUSY_FORM)
    page.goto(f"/projects/{project.slug}/import/")
    page.route("**/import/", lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    page.get_by_label("File to import").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click(no_wait_after=True)
    page.wait_for_timeout(500)  # the upload is held: the page shows what it shows while the server works
    held[0].continue_()
    expect(page.locator("#import-summary .summary")).to_have_text("added 1, duplicates 0, rejected 0")
    assert page.evaluate("JSON.parse(sessionStorage.getItem('busy'))") == ["Importing…", True, False]
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_enabled()
    assert page.console_errors == []


def test_a_holder_field_completes_from_the_names_used_in_the_project_by_keyboard(page, desk):
    project, anna, rita = desk
    boris = MembershipFactory(project=project, role=Role.ANNOTATOR, user__username="boris").user
    article = ArticleFactory(project=project, title="Budget", body=BODY)
    approved = create_annotation(
        actor=boris, article=article, kind="quote", start=0, end=14, attributes={"speaker": "Ana Kovač"}
    )
    create_annotation(actor=boris, article=article, kind="quote", start=15, end=20, attributes={"speaker": "Anonymous"})
    submit_article(actor=boris, article=article)
    review_annotation(actor=rita, annotation=approved, decision="approve")
    other = ArticleFactory(project=project, title="Other", body=BODY + " Again.")

    log_in(page, "anna")
    page.goto(f"/articles/{other.pk}/")
    page.get_by_role("link", name="Document stance").click()
    expect(page.locator("#annotation-form :focus")).to_have_count(1)  # the form has settled and taken focus
    page.get_by_label("Target (what it is about)").fill("the budget")
    page.get_by_label("Favor").check()
    speaker = page.get_by_label("Holder (who takes the stance)")
    speaker.click()
    speaker.press_sequentially("kov")
    names = page.locator("#id_holder-names")
    expect(names).to_have_attribute("aria-label", "Names used in this project")
    options = names.get_by_role("option")
    expect(options).to_have_text(["Ana Kovač"])  # not "Anonymous": boris's quote is not approved
    speaker.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    speaker.press("Enter")
    expect(speaker).to_have_value("Ana Kovač")
    expect(names).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-list .item")).to_have_count(1)
    assert Annotation.objects.get(author=anna).attributes["holder"] == "Ana Kovač"
    assert page.console_errors == []
