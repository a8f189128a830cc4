"""The domain apps' contributions to the site shell: main-menu links, dashboard panels and demo steps.

Each domain app owns a `panels` module (`nav_links(request)`, `dashboard_panel(request)`) and a `demo` module
(`populate(*, today, stdout)`); the shell only calls them, in the order below, and knows nothing else of the apps."""

from django.utils.module_loading import import_string

# Order of the main menu, of the panels on «Trang của tôi» and of the demo steps (later steps read earlier ones).
DOMAIN_APPS = ("learning", "assessment", "credentials", "plans", "survey", "monitoring", "reports")


def _each(module: str, function: str):
    for app in DOMAIN_APPS:
        yield import_string(f"kynangso.{app}.{module}.{function}")


def nav_links(request) -> list[tuple[str, str]]:
    return [link for nav in _each("panels", "nav_links") for link in nav(request)]


def dashboard_panels(request) -> list[str]:
    return [html for panel in _each("panels", "dashboard_panel") if (html := panel(request))]


def populate_demo(*, today, stdout) -> None:
    for populate in _each("demo", "populate"):
        populate(today=today, stdout=stdout)
