"""Translatable labels for the engine's codes (group keys, states, ratings, statuses).

The engine carries the Vietnamese legal names; pages and the admin use these English msgids so
that the interface follows the active language like the rest of the platform.
"""

from django.utils.translation import gettext_lazy as _

from . import engine

GROUP_LABELS = {
    "public_disclosure": _("Public disclosure and transparency"),
    "progress": _("Progress and results of handling"),
    "online_services": _("Online public services"),
    "online_payment": _("Online payment"),
    "satisfaction": _("Satisfaction"),
    "digitisation": _("Digitisation of dossiers"),
}

STATE_LABELS = {
    engine.OK: _("Scored"),
    engine.MISSING: _("No data"),
    engine.DISPLAY_ONLY: _("For information only"),
}

RATING_LABELS = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "fair": _("Fair"),
    "average": _("Average"),
    "weak": _("Weak"),
}

STATUS_LABELS = {
    engine.VERIFIED: _("Confirmed by a source"),
    engine.DEFAULT: _("Default, not confirmed by a source"),
    engine.CONFIGURED: _("Set by an administrator"),
}

DATA_LABELS = {
    engine.PLATFORM: _("Computed from the platform's data"),
    engine.PARTIAL: _("Partly computable: the national definition also uses national data"),
    engine.NATIONAL: _("Needs national data (CSDLQG, DVCQG) the platform does not hold"),
}

# Why an indicator shows no figures: the national data the platform never holds, or nothing to count
# in the period ("Nếu mẫu số = 0: hiển thị 0 hoặc N/A", VPCP technical description: here N/A).
NO_DATA_REASONS = {
    engine.NATIONAL: _(
        "the platform does not hold this data: it comes from national systems (CSDLQG, DVCQG)"
    ),
    engine.PARTIAL: _("nothing to count in this period (the denominator is 0)"),
    engine.PLATFORM: _("nothing to count in this period (the denominator is 0)"),
}


def no_data_reason(data: str):
    """The reason an indicator whose counts are ``None`` shows no figures."""
    return NO_DATA_REASONS.get(data, NO_DATA_REASONS[engine.PLATFORM])
