"""axe-core in the browser tests: the serious and critical violations of the page as it is now.

axe-core's script ships inside the `axe-playwright-python` test dependency; it is evaluated through the DevTools
protocol, which the page's Content-Security-Policy does not govern (a <script> tag would be refused)."""

from importlib import resources


def _violations(page) -> list[dict]:
    script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    return page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]


def serious_violations(page) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the first offending elements."""
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}"
        for v in _violations(page)
        if v["impact"] in ("serious", "critical")
    ]


def violations_of(page, rule: str) -> list[str]:
    """The elements that break one axe rule, whatever its impact (e.g. "scrollable-region-focusable")."""
    return [str(node["target"]) for v in _violations(page) if v["id"] == rule for node in v["nodes"]]
