"""A real browser, against the real server: from the quotes table to the highlighted source line.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; every request for anything but
the test server is blocked, so the pages must be whole by themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .serving import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
]
VIEWPORT = {"width": 1280, "height": 800}
QUOTE, ARTICLE, LINE = "putin-key-pillars", "ap-leaders-meet-2024-07-03", 51
QUOTE_WORDS = "one of the key pillars of a fair, multipolar world order"
TARGET_BACKGROUND = "rgb(255, 244, 194)"  # .sco-line:target in _sco_style.html


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-server")
    with serving(["--output", str(folder / "sco.db")], folder / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = "Debian's Chromium is missing: apt-get install -y chromium (as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Visit:
    """A browser tab limited to the test server, collecting blocked requests and page errors."""

    def __init__(self, browser: Any, base_url: str):
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.route("**/*", self._only_the_server)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error"
                     and self.errors.append(message.text))

    def _only_the_server(self, route: Any) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()
        assert self.blocked == [], f"pages asked for outside URLs: {self.blocked}"
        assert self.errors == [], f"pages reported errors: {self.errors}"


@pytest.fixture
def visit(browser: Any, base_url: str) -> Iterator[Visit]:
    tab = Visit(browser, base_url)
    yield tab
    tab.close()


def assert_scrolled_to_highlighted_line(page: Any, line: int) -> Any:
    target = page.locator(":target")
    assert target.get_attribute("id") == f"L{line}"
    assert page.evaluate("window.scrollY") > 0
    box = target.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]
    assert target.evaluate("line => getComputedStyle(line).backgroundColor") == TARGET_BACKGROUND
    return target


def test_quote_row_page_citation_opens_the_article_at_the_highlighted_line(
        visit: Visit, tmp_path: Path):
    page = visit.page
    page.goto(f"{visit.base_url}/")
    page.locator('a[href="/sco/quotes"]').first.click()
    page.wait_for_url("**/sco/quotes")
    page.locator(f'a[href="/sco/quotes/{QUOTE}"]').click()
    page.wait_for_url(f"**/sco/quotes/{QUOTE}")
    assert page.locator("h2#sources").inner_text() == "Sources (3)"
    page.locator("a.sco-source-link").first.click()
    page.wait_for_url(f"**/-/articles/{ARTICLE}?citation=quotes-{QUOTE}-1#L{LINE}")
    target = assert_scrolled_to_highlighted_line(page, LINE)
    assert QUOTE_WORDS in target.locator("mark.sco-focus").first.inner_text()
    assert "(the citation you followed)" in target.inner_text()
    page.screenshot(path=tmp_path / "source-line.png")
    assert (tmp_path / "source-line.png").stat().st_size > 10_000


def test_two_clicks_from_home_page_to_a_quotes_source_line(visit: Visit):
    page = visit.page
    page.goto(f"{visit.base_url}/")
    page.locator('a[href="/sco/quotes"]').first.click()  # one
    page.wait_for_url("**/sco/quotes")
    row = page.locator("tr", has=page.locator(f'a[href="/sco/quotes/{QUOTE}"]'))
    row.locator(f'a[href="/-/articles/{ARTICLE}#L{LINE}"]').click()  # two
    page.wait_for_url(f"**/-/articles/{ARTICLE}#L{LINE}")
    target = assert_scrolled_to_highlighted_line(page, LINE)
    assert QUOTE_WORDS in " ".join(target.locator("mark").all_inner_texts())


def test_search_finds_a_quote_by_a_word_in_it(visit: Visit):
    page = visit.page
    page.goto(f"{visit.base_url}/sco/quotes")
    page.fill('input[name="_search"]', "multipolar")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sco/quotes?_search=multipolar*")
    assert page.locator(f'a[href="/sco/quotes/{QUOTE}"]').count() == 1
    assert "1 row where search matches" in page.locator("h3").first.inner_text()
