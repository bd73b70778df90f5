"""Accessibility checks in the browser tests: axe-core (tests/vendor/axe-core, 4.14.1, MPL-2.0) run on the page.

    from tests.a11y import assert_accessible

    page.goto("/projects/demo/")
    assert_accessible(page, context="project page as annotator")

Any browser test may call it at any state of the page (after an htmx swap too: it checks the DOM as it is).
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def assert_accessible(page, context: str = "", *, selector: str | None = None, skip: tuple[str, ...] = ()) -> None:
    """Fail if axe-core finds a violation of impact serious or critical on `page` (a Playwright Page).

    `context` names the page and state in the failure message. `selector` limits the check to the elements
    it matches (default: the whole document); `skip` lists axe rule ids not to run (say why where you call
    it). The message lists each violation's rule id, impact, help text and URL, and the CSS targets of the
    first elements that fail it. Moderate and minor findings do not fail the test.

    axe is injected with page.evaluate of its source (DevTools' Runtime.evaluate, which the page's CSP
    `script-src 'self'` does not apply to: a <script> element added by add_script_tag would be refused as
    inline), once per document; the page's own scripts and CSP are untouched.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in skip}}
    violations = page.evaluate(
        """async ([selector, options]) => {
            const results = await axe.run(selector ? {include: [selector]} : document, options);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        [selector, options],
    )
    failing = [v for v in violations if v["impact"] in BLOCKING]
    if failing:
        lines = [f"{len(failing)} serious/critical accessibility violation(s) on {context or page.url}:"]
        for v in failing:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['url']}>")
            for node in v["nodes"][:5]:
                summary = " ".join((node["summary"] or "").split())[:300]
                lines.append(f"    {node['target']}: {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
        raise AssertionError("\n".join(lines))
