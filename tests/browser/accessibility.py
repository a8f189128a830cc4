"""axe-core in the browser tests: the serious and critical violations of the page as it is now.

axe-core's script ships inside the `axe-playwright-python` test dependency; it is evaluated through the DevTools
protocol, which the page's Content-Security-Policy does not govern (a <script> tag would be refused)."""
from importlib import resources


def serious_violations(page) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the first offending elements."""
    script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]
