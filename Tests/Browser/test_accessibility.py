"""axe-core in headless Chromium: no WCAG 2.1 A/AA or best-practice violations on any kind of page."""
import importlib.util
import json
import pathlib

import pytest
from axe_selenium_python import Axe

from conftest import PAGES

# axe-selenium-python drives axe-core in the browser; the axe-core it bundles (3.1) predates the
# WCAG 2.1 rules, so we inject the current axe-core that axe-playwright-python ships.
AXE_SCRIPT = pathlib.Path(importlib.util.find_spec("axe_playwright_python").submodule_search_locations[0]) / "axe.min.js"

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def violations(browser, url):
    browser.set_window_size(1280, 900)
    browser.get(url)
    browser.set_script_timeout(120)
    axe = Axe(browser, script_url=str(AXE_SCRIPT))
    axe.inject()
    assert browser.execute_script("return axe.version").startswith("4.")
    results = axe.run(options=RULES)
    return results["violations"]


def describe(found):
    return json.dumps([{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in found], indent=1)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_kind_of_page_passes_axe(browser, sites, kind):
    found = violations(browser, (sites["fixture"] / PAGES[kind]).as_uri())
    assert found == [], describe(found)


@pytest.mark.parametrize("page", ["index.html", "situations/dprk/index.html", "situations/dprk/2025-06-16/changes/index.html"])
def test_sample_pages_pass_axe(browser, sites, page):
    found = violations(browser, (sites["sample"] / page).as_uri())
    assert found == [], describe(found)


def test_dark_mode_passes_axe(browser, sites):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        for kind in ("latest", "changes", "versions"):
            found = violations(browser, (sites["fixture"] / PAGES[kind]).as_uri())
            assert found == [], kind + describe(found)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_axe_catches_an_image_without_alt(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><main><h1>x</h1><img src="x.png"></main></body></html>'
    )
    found = violations(browser, page.as_uri())
    assert "image-alt" in {v["id"] for v in found}
