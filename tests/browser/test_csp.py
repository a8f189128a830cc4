"""The main pages load in headless Chromium under the strict Content-Security-Policy without a single violation:
no inline script or style, nothing from another origin, htmx working without its injected style, and the REST
API's Swagger UI served from our own static files (issue 13, finding 11)."""

import datetime

import pytest

from kynangso.accounts.models import Role
from tests.browser.helpers import login
from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2025"

# Recorded in the page before any of its own scripts run (Playwright injects this through the DevTools protocol,
# which the page's policy does not govern).
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' + event.sourceFile
                              + ':' + event.lineNumber);
});
"""


def watched(page):
    """The page, recording CSP violations from the event and from the console."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(LISTEN)
    page.console_violations = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + page.console_violations


def visit(page, path: str) -> list[str]:
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    return violations(page)


@pytest.fixture
def people(province):
    admin = make_user("quantri_xa", Role.UNIT_ADMIN, province.a, password=PASSWORD)
    learner = make_user("nguoi_dan_01", Role.LEARNER, province.a, password=PASSWORD)
    person = make_person(
        province.a, "Lê Thị Mai", phone="0901234567", sex="female", user=learner, birth_date=datetime.date(1958, 8, 20)
    )
    return type("People", (), {"admin": admin, "learner": learner, "person": person})


def test_public_pages_load_without_a_policy_violation(page_for, db):
    page = watched(page_for(1280))
    for path in ("/", "/dang-nhap/", "/chung-nhan/", "/theo-doi/cong-khai/", "/hoc/"):
        assert visit(page, path) == [], path


def test_a_learners_pages_load_without_a_policy_violation(page_for, people):
    page = watched(page_for(360, 740))
    login(page, "nguoi_dan_01", PASSWORD)
    for path in ("/trang-cua-toi/", "/sat-hach/", "/hoc/lo-trinh/", "/chung-nhan/cua-toi/"):
        assert visit(page, path) == [], path


def test_a_unit_admins_pages_and_htmx_search_work_without_a_policy_violation(page_for, people):
    page = watched(page_for(1280))
    login(page, "quantri_xa", PASSWORD)
    for path in (
        "/trang-cua-toi/",
        f"/nguoi/{people.person.pk}/",
        "/theo-doi/",
        "/ke-hoach/",
        "/bao-cao/",
        "/hoc/lop/",
        "/quan-tri/",
        "/quan-tri/people/person/",
    ):
        assert visit(page, path) == [], path
    # The people search is an htmx swap: it must work, and htmx must not inject its indicator <style>.
    assert visit(page, "/nguoi/") == []
    page.locator("#id_q").fill("Mai")
    page.wait_for_function("document.querySelector('main').innerText.includes('Lê Thị Mai')")
    assert violations(page) == []
    assert page.evaluate("document.querySelectorAll('head style').length") == 0


def test_the_api_docs_render_from_our_own_static_files(page_for, people):
    page = watched(page_for(1280))
    login(page, "quantri_xa", PASSWORD)
    external = []
    page.on(
        "request",
        lambda request: external.append(request.url) if not request.url.startswith((page.base_url, "data:")) else None,
    )
    assert visit(page, "/api/v1/docs") == []
    page.wait_for_selector("#swagger-ui .info .title")
    assert "Kỹ Năng Số API" in page.inner_text("#swagger-ui .info .title")
    assert violations(page) == []
    assert external == []
