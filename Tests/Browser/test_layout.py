"""What a reader sees: screenshots at phone and desktop widths and of the print view, and no
sideways scrolling on a phone."""
import base64

import pytest

from conftest import PAGES, SHOTS


def full_page_screenshot(browser, path, width):
    browser.set_window_size(width, 900)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 600), 6000))
    browser.save_screenshot(str(path))


def test_screenshots_of_the_sample(browser, sites):
    SHOTS.mkdir(exist_ok=True)
    latest = (sites["sample"] / "situations/dprk/index.html").as_uri()
    browser.get(latest)
    # The top of the page as a reader first sees it, then the whole page.
    browser.set_window_size(390, 844)
    browser.save_screenshot(str(SHOTS / "phone-top.png"))
    browser.set_window_size(1280, 900)
    browser.save_screenshot(str(SHOTS / "desktop-top.png"))
    full_page_screenshot(browser, SHOTS / "phone.png", 390)
    full_page_screenshot(browser, SHOTS / "desktop.png", 1280)
    browser.get((sites["sample"] / "situations/dprk/print/index.html").as_uri())
    full_page_screenshot(browser, SHOTS / "print-view.png", 900)
    for name in ("phone.png", "desktop.png", "print-view.png"):
        assert (SHOTS / name).stat().st_size > 10_000


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_sideways_scroll_on_a_phone(browser, sites, kind, width):
    browser.set_window_size(width, 800)
    browser.get((sites["fixture"] / PAGES[kind]).as_uri())
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at {width}px"


@pytest.mark.parametrize("kind", sorted(set(PAGES) - {"print"}))
def test_the_content_keeps_clear_of_the_header_and_footer(browser, sites, kind):
    # Main's own padding sets the content apart from the site's header and footer; a rule for
    # the centred column (`.wrap`) once reset it to nothing, and the first line touched the header.
    browser.set_window_size(1280, 900)
    browser.get((sites["fixture"] / PAGES[kind]).as_uri())
    gaps = browser.execute_script("""
        const main = document.querySelector("main");
        const first = main.firstElementChild.getBoundingClientRect();
        const last = main.lastElementChild.getBoundingClientRect();
        const header = document.querySelector(".site-header").getBoundingClientRect();
        const footer = document.querySelector(".site-footer").getBoundingClientRect();
        return [first.top - header.bottom, footer.top - last.bottom];
    """)
    assert gaps[0] >= 16, f"{kind}: the content starts {gaps[0]}px below the header"
    assert gaps[1] >= 16, f"{kind}: the content ends {gaps[1]}px above the footer"


def test_chromium_prints_the_print_view_with_header_and_page_numbers(browser, sites, tmp_path):
    browser.get((sites["fixture"] / PAGES["print"]).as_uri())
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    path = tmp_path / "chromium.pdf"
    path.write_bytes(base64.b64decode(pdf["data"]))
    import subprocess
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Mass atrocity crimes are being committed in the north." in text
    assert "Page 1 of" in text
    assert "Ruritania · As of 1 August 2024" in text
    assert "https://docs.example.org/A/HRC/00/1" in "".join(text.split())


def test_the_versions_table_on_a_phone_says_what_each_value_is(browser, sites):
    # On a phone the table's rows become blocks and its headings are hidden: an issue number
    # alone ("3") or a bare dash for a column with nothing in it would say nothing to a reader.
    def cells(width):
        browser.set_window_size(width, 900)
        browser.get((sites["fixture"] / PAGES["versions"]).as_uri())
        return browser.execute_script("""
            return [...document.querySelectorAll(".versions tbody tr")].map(row =>
                [...row.cells].filter(cell => cell.getClientRects().length > 0).map(cell => cell.innerText.trim()));
        """)
    phone = cells(390)
    assert phone and all("—" not in row for row in phone), phone
    issues = [cell for row in phone for cell in row if cell.startswith("Issue ")]
    assert issues == ["Issue 3", "Issue 2", "Issue 1"], phone
    # On a desktop the column headings say it, and every column shows, dashes included.
    desktop = cells(1280)
    assert all(len(row) == 6 for row in desktop), desktop
    assert [row[1] for row in desktop] == ["—", "3", "2", "1"], desktop
