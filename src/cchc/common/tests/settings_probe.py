"""Read ``cchc.settings.base`` afresh with chosen environment variables, as a server would at
start, without touching the settings of the running tests."""

import importlib.util
import itertools

from cchc.settings import base

_loads = itertools.count()
# Cleared before each read, so the shell running the tests does not choose for them.
VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CCHC_SESSION_ENGINE",
    "CCHC_MEDIA_STORAGE",
    "CCHC_S3_BUCKET",
    "CCHC_S3_ENDPOINT_URL",
    "CCHC_S3_REGION",
    "CCHC_S3_PREFIX",
    "CCHC_S3_ADDRESSING_STYLE",
    "CCHC_S3_PRESIGNED_SECONDS",
    "CCHC_FILE_OFFLOAD",
    "CCHC_FILE_OFFLOAD_PREFIX",
)


def load_base_settings(monkeypatch, var_dir, **env):
    """A fresh copy of the base settings module read with exactly these variables."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CCHC_VAR_DIR", str(var_dir))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    name = f"cchc_settings_probe_{next(_loads)}"
    spec = importlib.util.spec_from_file_location(name, base.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
