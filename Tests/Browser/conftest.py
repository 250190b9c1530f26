"""Builds the sites the browser checks look at: the sample and a fixture with every kind of page."""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOSSIER = ROOT / ".build" / "debug" / "dossier"
SHOTS = ROOT / "Screenshots"


def build(content: pathlib.Path, output: pathlib.Path, *flags: str) -> pathlib.Path:
    """Builds a copy of the content, so the lock file the build writes stays out of the repository.
    The copy sits beside the output, in pytest's temporary folder, which pytest prunes."""
    work = output.parent / (output.name + "-work")
    shutil.copytree(content, work / "Content")
    subprocess.run(
        [str(DOSSIER), "build", "--content", str(work / "Content"), "--templates", str(ROOT / "Templates"),
         "--output", str(output), *flags],
        check=True, env={**os.environ, "NO_COLOR": "1"},
    )
    return output


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("sites")
    return {
        "sample": build(ROOT / "Content", base / "sample"),
        "fixture": build(ROOT / "Tests" / "Fixtures" / "every-page" / "Content", base / "fixture", "--drafts"),
    }


# Every kind of page, in the fixture site.
PAGES = {
    "index": "index.html",
    "latest": "situations/ruritania/index.html",
    "snapshot-archived": "situations/ruritania/2024-01-10/index.html",
    "snapshot-corrected": "situations/ruritania/2024-06-01/index.html",
    "draft": "situations/ruritania/2024-09-01/index.html",
    "versions": "situations/ruritania/versions/index.html",
    "changes": "situations/ruritania/2024-08-01/changes/index.html",
    "print": "situations/ruritania/2024-08-01/print/index.html",
    "plain-page": "pages/about/index.html",
    "not-found": "404.html",
}


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--force-color-profile=srgb", "--hide-scrollbars", "--allow-file-access-from-files"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    # Chromium keeps its profile lock (a folder with a socket) in the temporary folder and leaves
    # it behind when the driver ends it: give it one of pytest's, which pytest prunes.
    env = dict(os.environ, TMPDIR=str(tmp_path_factory.mktemp("chromium")))
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver", env=env),
                              options=options)
    yield driver
    driver.quit()
