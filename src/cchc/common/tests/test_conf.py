"""``cchc.conf``: every CCHC_* setting is declared once, read through it, and documented."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc import conf as conf_module
from cchc.conf import BY_NAME, SETTINGS, conf
from cchc.settings import base

SRC = Path(conf_module.__file__).resolve().parent
DOCS = SRC.parent.parent / "docs" / "settings.md"
NAME = re.compile(r"\bCCHC_[A-Z0-9_]*[A-Z0-9]\b")
# Read by the settings modules themselves (paths, the production cookie switch) or computed there
# from other settings; their declaration documents them.
COMPUTED_IN_SETTINGS = {"CCHC_VAR_DIR", "CCHC_SECURE_COOKIES", "CCHC_REQUEST_MAX_BYTES"}


def test_every_setting_is_declared_once():
    names = [setting.name for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert all(name.startswith("CCHC_") for name in names)


def test_the_base_settings_define_only_declared_settings_with_the_declared_defaults(monkeypatch):
    defined = {name for name in vars(base) if name.startswith("CCHC_")}
    assert defined <= set(BY_NAME), defined - set(BY_NAME)
    for name in defined - COMPUTED_IN_SETTINGS:
        assert BY_NAME[name].coerce(getattr(base, name)) == BY_NAME[name].default, name


def test_no_module_reads_a_cchc_setting_around_conf():
    """``getattr(settings, "CCHC_…")``/``settings.CCHC_…`` only in cchc.conf and the settings."""
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if (
            relative.parts[0] in ("settings",)
            or "tests" in relative.parts
            or path.name == "conf.py"
        ):
            continue
        text = path.read_text()
        # Also ``getattr(settings, name, …)`` with the name in a variable: a private reader.
        if re.search(r"getattr\(\s*settings\s*,|settings\.CCHC_", text):
            offenders.append(str(relative))
    assert offenders == []


def test_every_name_used_in_the_code_is_declared():
    used = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.relative_to(SRC).parts:
            continue
        used |= set(NAME.findall(path.read_text()))
    # CCHC_SKIP_BROWSER_TESTS is an environment switch of the test run, not a setting.
    undeclared = used - set(BY_NAME) - {"CCHC_SKIP_BROWSER_TESTS"}
    assert undeclared == set()


def test_docs_list_exactly_the_declared_settings():
    documented = set(NAME.findall(DOCS.read_text()))
    assert documented == set(BY_NAME)


def test_values_are_read_live(settings):
    settings.CCHC_FEEDBACK_ANSWER_DAYS = 7
    assert conf.FEEDBACK_ANSWER_DAYS == 7
    del settings.CCHC_FEEDBACK_ANSWER_DAYS
    assert conf.FEEDBACK_ANSWER_DAYS == 15  # the declared default when unset


@pytest.mark.parametrize(
    "name, value",
    [
        ("CCHC_FEEDBACK_ANSWER_DAYS", "15"),
        ("CCHC_FEEDBACK_ANSWER_DAYS", True),
        ("CCHC_APOLOGY_HORIZON_HOURS", -1),
        ("CCHC_FORMS_2025_FROM", "15/09/2025"),
        ("CCHC_NOTIFICATION_BACKENDS", ["email"]),
        ("CCHC_FILE_OFFLOAD", "sendfile"),
    ],
)
def test_a_wrong_value_names_the_setting(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        getattr(conf, name.removeprefix("CCHC_"))


def test_an_undeclared_name_is_an_error():
    with pytest.raises(AttributeError, match="CCHC_NO_SUCH_THING"):
        _ = conf.NO_SUCH_THING
