"""Every link as the browser reads it, opened from the file system: a second opinion on the
build's own link check, which reads the pages' bytes. Chromium resolves each link, image,
stylesheet and icon of every page; each must lead to a file of the site (not a folder, which
the file system shows as a listing), and each `#id` to an element of that page."""
import html.parser
import pathlib
import urllib.parse

import pytest

# 404.html links from the site's root path on purpose: a host serves it at any missing address.
SKIPPED = {"404.html"}


class Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


def ids_of(page: pathlib.Path) -> set:
    parser = Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.ids


def pages_of(site: pathlib.Path):
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).as_posix() not in SKIPPED)


def problems_of(browser, site: pathlib.Path):
    """Each link of the site's pages that leads nowhere, and how many links were looked at."""
    site = site.resolve()
    ids = {}
    problems = []
    checked = 0
    for page in pages_of(site):
        browser.get(page.as_uri())
        targets = browser.execute_script("""
            return [...document.querySelectorAll("a[href], link[href], img[src], script[src]")]
                .map(e => e.href || e.src);
        """)
        for target in targets:
            url = urllib.parse.urlsplit(target)
            if url.scheme != "file":
                continue
            checked += 1
            path = pathlib.Path(urllib.parse.unquote(url.path))
            where = f"{page.relative_to(site)}: {target[len(site.as_uri()) + 1:] if site in path.parents else target}"
            if site not in path.parents:
                problems.append(f"{where} leads outside the site")
            elif not path.is_file():
                problems.append(f"{where} is {'a folder' if path.is_dir() else 'missing'}")
            elif url.fragment:
                if path not in ids:
                    ids[path] = ids_of(path)
                if urllib.parse.unquote(url.fragment) not in ids[path]:
                    problems.append(f"{where} names no id of that page")
    return problems, checked


@pytest.mark.parametrize("name", ["sample", "fixture"])
def test_every_link_leads_to_a_file_and_an_id_of_the_site(browser, sites, name):
    problems, checked = problems_of(browser, sites[name])
    assert checked > 100, f"only {checked} links were looked at"
    assert problems == []


def test_the_check_sees_what_is_broken(browser, tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<p id="here">A</p>', encoding="utf-8")
    (site / "index.html").write_text(
        "<a href='a/index.html#here'>ok</a> <a href=a/>folder</a> <a href='a/index.html#there'>no id</a> "
        '<img src="missing.png" alt=""> <a href="../elsewhere.html">out</a> <a href="https://example.org/">web</a>',
        encoding="utf-8")
    problems, checked = problems_of(browser, site)
    assert checked == 5
    assert problems == [
        "index.html: a/ is a folder",
        "index.html: a/index.html#there names no id of that page",
        "index.html: missing.png is missing",
        f"index.html: {(tmp_path / 'elsewhere.html').as_uri()} leads outside the site",
    ]
