"""Moving the process clock for demo data: ``time_machine``, an optional package (``cchc[demo]``).

The demo dossiers and feedback are made through the real services at past moments, so their
deadlines and hash-chained histories are what real use would produce. A production install does not
carry ``time_machine``: it is imported here, only when demo data is loaded, and its absence is
reported with the command that installs it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _


class TimeMachineMissing(ImproperlyConfigured):
    """The demo extra is not installed."""


def require_time_machine():
    """The ``time_machine`` module, or a clear error naming the install command."""
    try:
        import time_machine
    except ImportError:
        raise TimeMachineMissing(
            _(
                "Loading demo data needs the time-machine package, which a production install "
                "does not include: pip install 'cchc[demo]'"
            )
        ) from None
    return time_machine


def travel(moment: datetime):
    """A context manager in which ``timezone.now()`` is ``moment`` and stands still."""
    return require_time_machine().travel(moment, tick=False)
