"""``make test`` never reports green without the browser tests (issue 9, item 14).

A missing chromium fails the browser tests with the way to install it (it used to skip them
silently outside CI); ``CCHC_SKIP_BROWSER_TESTS=1`` skips them on purpose and says so loudly, and
is refused in CI. ``make test`` installs chromium as ``.ci/run`` does, or stops and says how."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(settings.PACKAGE_DIR).parent.parent

PROBE = """
import pytest

pytestmark = pytest.mark.browser


def test_uses_the_browser(browser):
    assert browser
"""


def run_pytest(tmp_path, **env):
    test = tmp_path / "test_probe.py"
    test.write_text(PROBE)
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "CCHC_SKIP_BROWSER_TESTS")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir",
         str(REPO), "-p", "conftest", "-p", "no:cacheprovider", "-rs", str(test)],
        cwd=REPO, env={**environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
    )  # fmt: skip


def test_a_missing_chromium_fails_with_the_way_to_install_it(tmp_path):
    result = run_pytest(tmp_path, CCHC_CHROMIUM=str(tmp_path / "no-chromium"))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 error" in output and "skipped" not in output
    assert "chromium is missing" in output and "system-deps.sh --with-browser" in output


def test_the_developers_opt_out_skips_loudly(tmp_path):
    result = run_pytest(
        tmp_path, CCHC_CHROMIUM=str(tmp_path / "no-chromium"), CCHC_SKIP_BROWSER_TESTS="1"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 skipped" in output
    assert "1 BROWSER TESTS SKIPPED (CCHC_SKIP_BROWSER_TESTS=1)" in output
    assert "the browser tests are SKIPPED" in output  # in the header too


def test_the_opt_out_is_refused_in_ci(tmp_path):
    result = run_pytest(tmp_path, CCHC_SKIP_BROWSER_TESTS="1", CI="1")
    assert result.returncode == 4, result.stdout + result.stderr  # usage error
    assert "refused in CI" in result.stdout + result.stderr


def test_make_test_installs_chromium_or_stops():
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\ntest: lint\n")[1].split("\n\n")[0]
    assert "bash scripts/system-deps.sh --with-browser ||" in recipe
    assert "exit 1" in recipe
    assert recipe.rstrip().endswith("$(BIN)/python -m pytest")
    readme = (REPO / "README.md").read_text()
    assert "CCHC_SKIP_BROWSER_TESTS" in readme
