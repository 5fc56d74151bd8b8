"""``time-machine`` is the ``demo`` extra, not a runtime dependency: a production install
(``pip install .``) imports every module without it, and ``load-demo`` says how to add it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import cchc

# Run in a fresh interpreter where ``time_machine`` cannot be imported, as in a production install.
IMPORT_EVERY_MODULE = """
import importlib
import pkgutil
import sys


class NoTimeMachine:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("time_machine", "_time_machine"):
            raise ImportError(f"{name} is not installed (blocked by the test)")
        return None


sys.meta_path.insert(0, NoTimeMachine())
import django

django.setup()
import cchc

imported = 0
for module in pkgutil.walk_packages(cchc.__path__, "cchc."):
    name = module.name
    parts = name.split(".")
    if "tests" in parts or parts[-1] == "conftest" or parts[1] == "settings":
        continue  # tests are development code; settings are chosen by the environment
    importlib.import_module(name)
    imported += 1
assert "time_machine" not in sys.modules
print(imported)
"""


def test_every_module_imports_without_time_machine():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings.test",
        "PYTHONPATH": str(Path(cchc.__file__).resolve().parent.parent),
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 100  # the walk did reach the apps, the demo app included


@pytest.mark.django_db
def test_load_demo_without_time_machine_names_the_extra_and_writes_nothing(monkeypatch):
    from cchc.organisations.models import OrganisationUnit

    monkeypatch.setitem(sys.modules, "time_machine", None)  # ``import time_machine`` now fails
    with pytest.raises(CommandError, match=r"pip install 'cchc\[demo\]'"):
        call_command("load-demo")
    assert not OrganisationUnit.objects.exists()
