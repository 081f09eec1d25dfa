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

from sco_data.publish.datasette_compat import is_one_point_oh

from .serving import serving_a_fresh_build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
]
VIEWPORT = {"width": 1280, "height": 800}
WIDE = {"width": 1400, "height": 1000}  # the window the table pages are laid out for
QUOTE, ARTICLE, LINE = "putin-key-pillars", "ap-leaders-meet-2024-07-03", 51
QUOTE_WORDS = "one of the key pillars of a fair, multipolar world order"
TARGET_BACKGROUND = "rgb(255, 244, 194)"  # .sco-line:target in _sco_style.html


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-server")
    with serving_a_fresh_build(folder) as base:
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

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int] = VIEWPORT):
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=viewport)
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


# ------------------------------------------------------------------ browsing at a glance


@pytest.fixture
def wide(browser: Any, base_url: str) -> Iterator[Visit]:
    tab = Visit(browser, base_url, WIDE)
    yield tab
    tab.close()


def screenshot(page: Any, folder: Path, name: str) -> None:
    """Save a screenshot in the test's folder, and in $SCO_SCREENSHOTS when set (docs/)."""
    page.screenshot(path=folder / name)
    assert (folder / name).stat().st_size > 10_000
    if os.environ.get("SCO_SCREENSHOTS"):
        page.screenshot(path=Path(os.environ["SCO_SCREENSHOTS"]) / name)


@pytest.mark.parametrize("table", ["quotes", "attendees", "meetings"])
def test_the_first_row_and_its_source_line_are_in_the_first_screen(wide: Visit, table: str,
                                                                   tmp_path: Path):
    page = wide.page
    page.goto(f"{wide.base_url}/sco/{table}")
    row = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    line = page.locator("table.rows-and-columns tbody tr td.col-line a").first.bounding_box()
    assert row and row["y"] + row["height"] <= WIDE["height"], row
    assert line and line["x"] + line["width"] <= WIDE["width"] and line["y"] < WIDE["height"]
    # Not a column, not a sort's name, not a filter's choice (the schema at the foot keeps it).
    assert "listing_order" not in page.inner_text(".table-wrapper")
    assert page.locator("h3").first.inner_text().endswith("in reading order")
    assert page.locator("select[name=_filter_column] option[value=listing_order]").count() == 0
    if table == "quotes":
        screenshot(page, tmp_path, "table-quotes.png")


def test_every_table_fits_the_window_with_its_first_row_in_the_first_screen(wide: Visit):
    """Dense tables: at 1400×1000 no table is wider than the window, and the first row of
    each stands whole above the fold, with no internal column shown."""
    page = wide.page
    page.goto(f"{wide.base_url}/sco")
    tables = sorted({href.rsplit("/", 1)[1] for href in page.evaluate(
        "() => [...document.querySelectorAll(\"a[href^='/sco/']\")]"
        ".map(link => link.getAttribute('href'))")
        if href.count("/") == 2 and "?" not in href and "#" not in href})
    assert "quotes" in tables and "articles" in tables
    measured = {}
    for table in tables:
        page.goto(f"{wide.base_url}/sco/{table}")
        measured[table] = page.evaluate("""() => {
          const table = document.querySelector('table.rows-and-columns');
          const row = table && table.querySelector('tbody tr');
          if (!row) return null;
          const box = row.getBoundingClientRect();
          return {right: table.getBoundingClientRect().right, bottom: box.bottom,
                  headers: [...table.querySelectorAll('thead th')].map(th => th.dataset.column)};
        }""")
    shown = {table: found for table, found in measured.items() if found}
    assert len(shown) >= 20
    for table, found in shown.items():
        assert found["right"] <= WIDE["width"], (table, found["right"])
        assert found["bottom"] <= WIDE["height"], (table, found["bottom"])
        assert "listing_order" not in found["headers"], table


def test_facet_values_wrap_between_words_and_the_header_box_shows_its_placeholder(wide: Visit):
    page = wide.page
    page.goto(f"{wide.base_url}/sco/quotes")
    words = page.evaluate("""() => [...document.querySelectorAll('.facet-info li a')].map(a => {
        // Each line box of the link: a value broken inside a word ends a line mid-word.
        const range = document.createRange(); range.selectNodeContents(a);
        const lines = [...range.getClientRects()].length;
        return [a.textContent.trim(), lines, getComputedStyle(a.parentElement).wordBreak];
    })""")
    assert words and all(rule == "normal" for _, _, rule in words)
    box = page.locator("#sco-header-q")
    fits = box.evaluate("""input => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontSize} ${style.fontFamily}`;
        const inner = input.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        return context.measureText(input.placeholder).width <= inner;
    }""")
    assert fits
    buttons = page.evaluate("() => [...document.querySelectorAll('.sco-header-search button')]"
                            ".map(button => getComputedStyle(button).backgroundColor)")
    assert buttons == ["rgb(0, 123, 255)"]  # Datasette's own blue, as its Apply button


def test_the_cite_box_copies_the_citation(wide: Visit, tmp_path: Path):
    wide.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=wide.base_url)
    page = wide.page
    page.goto(f"{wide.base_url}/sco/quotes/{QUOTE}")
    expected = page.locator("#sco-cite-text").inner_text().strip()
    # The author and the outlet, as the article names them.
    assert expected.startswith(f"sco_data 0.1.0, quotes/{QUOTE}: Burrows, with Simina "
                               "Mistreanu, Krutika Pathi and Suzan Fraser, The Associated Press, ")
    assert expected.count("; ") == 2  # three sources
    page.get_by_role("button", name="Copy the citation").click()
    page.wait_for_function("document.getElementById('sco-copy-status').textContent !== ''")
    assert page.locator("#sco-copy-status").inner_text() == "Copied."
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.locator("#cite").scroll_into_view_if_needed()
    screenshot(page, tmp_path, "cite-box.png")


def test_the_header_search_finds_a_quote_by_a_word_and_a_person_by_an_alias(wide: Visit,
                                                                            tmp_path: Path):
    page = wide.page
    page.goto(f"{wide.base_url}/sco/attendees")
    page.fill("#sco-header-q", "pillars")
    page.keyboard.press("Enter")
    page.wait_for_url("**/-/search?q=pillars")
    page.locator(f'#quotes a[href="/sco/quotes/{QUOTE}"]').click()
    page.wait_for_url(f"**/sco/quotes/{QUOTE}")
    page.fill("#sco-header-q", "Mokhbar")
    page.keyboard.press("Enter")
    page.wait_for_url("**/-/search?q=Mokhbar")
    person = page.locator('#people a[href="/sco/people/mohammad-mokhber"]')
    assert person.inner_text() == "Mohammad Mokhber"
    assert "also written “Mohammad Mokhbar”" in page.locator("#people").inner_text()
    page.goto(f"{wide.base_url}/-/search?q=putin+xi")
    # What the two names share comes first among the meetings.
    first = page.locator("#meetings li").first.inner_text()
    assert "Putin" in first and "Xi" in first and "names Vladimir Putin and Xi Jinping" in first
    screenshot(page, tmp_path, "search.png")


def test_a_mistyped_record_address_suggests_the_record(wide: Visit):
    page = wide.page
    response = page.goto(f"{wide.base_url}/sco/people/vladimir-putn")
    assert response is not None and response.status == 404
    wide.errors.remove("Failed to load resource: the server responded with a status of 404 "
                       "(Not Found)")  # the page's own status, as the console reports it
    page.locator('a[href="/sco/people/vladimir-putin"]').first.click()
    page.wait_for_url("**/sco/people/vladimir-putin")


def test_the_single_source_facts_read_as_words(wide: Visit):
    page = wide.page
    page.goto(f"{wide.base_url}/sco/single_source_facts")
    text = page.inner_text("table.rows-and-columns")
    assert "to position the U.N. as an inclusive organization" in text
    assert "Alexander Gabuev" in text


@pytest.mark.parametrize(("path", "name"), [("/-/network", "network.png"),
                                            ("/-/timeline", "timeline.png")])
def test_the_pictures_render_with_putin_xi_and_the_summit(wide: Visit, tmp_path: Path,
                                                           path: str, name: str):
    page = wide.page
    page.goto(f"{wide.base_url}/")
    page.locator(f'a[href="{path}"]').first.click()
    page.wait_for_url(f"**{path}")
    svg = page.locator("figure.sco-picture svg")
    box = svg.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400
    drawn = svg.text_content()
    assert "Putin" in drawn and "Xi" in drawn
    for words in ("Vladimir Putin", "Xi Jinping", "SCO summit in Astana"):
        assert words in page.inner_text("body"), words
    # Every meeting's line or bar is a link to its page.
    first = svg.locator("a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href}")
    page.go_back()
    screenshot(page, tmp_path, name)


NARROW = {"width": 400, "height": 900}  # a phone


@pytest.mark.parametrize("table", ["quotes", "meetings"])
def test_the_column_chooser_opens_where_datasette_offers_one(browser: Any, base_url: str,
                                                             table: str):
    """Datasette 1.0 offers "Choose columns" on small screens, with scripts the project's table
    template must keep; 0.65 offers none."""
    tab = Visit(browser, base_url, NARROW)
    try:
        page = tab.page
        page.goto(f"{base_url}/sco/{table}")
        button = page.locator("button.choose-columns-mobile")
        assert button.count() == (1 if is_one_point_oh() else 0)
        if is_one_point_oh():
            button.click()
            dialog = page.locator("column-chooser dialog")
            dialog.wait_for(state="visible", timeout=5_000)
            assert dialog.get_attribute("open") is not None
    finally:
        tab.close()  # no page error, no outside request
