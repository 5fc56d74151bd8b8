"""The import contracts of pyproject.toml bite: an upward import or a cycle fails lint-imports.

``make test`` runs ``lint-imports`` on the tree as it is; this test proves the contracts are not
vacuous by planting one violation of each kind in a copy of the package (docs/adr/0010).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]  # src/
REPO = SRC.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(package_root: Path, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--config", str(config), "--no-cache"],
        cwd=package_root,
        env={"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(
        SRC / "cchc", tmp_path / "cchc", ignore=shutil.ignore_patterns("__pycache__", "vendor")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _plant(copy: Path, module: str, line: str) -> None:
    path = copy / "cchc" / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_every_contract(copy):
    result = _lint(copy, copy / "pyproject.toml")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "module, line, expected",
    [
        pytest.param(
            "dossiers/models.py",
            "from cchc.reports import models as _reports  # noqa",
            [
                "Apps are layered: an app imports only from the layers below it BROKEN",
                "cchc.dossiers.models -> cchc.reports.models",
            ],
            id="an upward import breaks the layers",
        ),
        pytest.param(
            "notifications/services.py",
            "from cchc.documents import formatting  # noqa",
            ["cchc.notifications.services -> cchc.documents.formatting"],
            id="siblings do not import each other",
        ),
        pytest.param(
            "index766/overrides.py",
            "from cchc.index766 import models as _models  # noqa",
            ["No import cycles between the modules of any package BROKEN"],
            id="a cycle inside an app is refused",
        ),
        pytest.param(
            "workdays/engine/deadline.py",
            "import django  # noqa",
            ["The pure engines import no Django and no app BROKEN"],
            id="a pure engine may not use Django",
        ),
    ],
)
def test_a_planted_violation_breaks_its_contract(copy, module, line, expected):
    _plant(copy, module, line)
    result = _lint(copy, copy / "pyproject.toml")
    assert result.returncode == 1
    for text in expected:
        assert text in result.stdout
