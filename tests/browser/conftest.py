"""Browser tests drive Debian's Chromium with Playwright against Django's live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API keeps an event loop in this thread; the test code's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (the test command does this).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


def _wait_for_idle_server(limit: float = 5.0) -> None:
    """Wait (at most `limit` seconds) until the live server handles no request: its threaded server runs each one in
    a thread named after `process_request_thread`. An answer sent just before the page closed may still be writing."""
    import threading
    import time

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not any("process_request_thread" in thread.name for thread in threading.enumerate()):
            return
        time.sleep(0.05)


@pytest.fixture
def page_for(chromium, live_server):
    """Open a browser page of the given width on the live server."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = chromium.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True, locale="vi-VN"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        return page

    yield open_page
    # Stop every page's scripts first (the exam page retries unsent answers and ticks its timer): a request still
    # reaching the live server while the test database is flushed fails the teardown with «table is locked».
    for context in contexts:
        for page in context.pages:
            try:
                page.goto("about:blank", timeout=5000)
            except Exception:  # a page already closed or crashed has nothing left to send
                pass
    for context in contexts:
        context.close()
    _wait_for_idle_server()
