"""Error reports to Sentry (or a server speaking its protocol) when ``SENTRY_DSN`` is set.

Nothing personal leaves the server: no user, address or cookies (``send_default_pii=False``), no
request bodies, and ID and phone numbers masked in messages and exception texts (the same rule as
the logs, :mod:`cchc.common.logs`). ``sentry-sdk`` is an optional extra (``pip install
'cchc[sentry]'``); production settings call :func:`init_sentry` only when a DSN is given.
"""

from __future__ import annotations

from .logs import mask_personal_data


def scrub(event: dict, hint: dict | None = None) -> dict:
    """Mask ID and phone numbers in an event's message, exception values and breadcrumbs."""
    if isinstance(event.get("message"), str):
        event["message"] = mask_personal_data(event["message"])
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = mask_personal_data(logentry["message"])
    if logentry.get("params"):
        logentry["params"] = [mask_personal_data(str(param)) for param in logentry["params"]]
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = mask_personal_data(exception["value"])
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = mask_personal_data(crumb["message"])
    request = event.get("request") or {}
    request.pop("data", None)
    request.pop("cookies", None)
    if isinstance(request.get("query_string"), str):
        request["query_string"] = ""
    return event


def init_sentry(dsn: str, environment: str = "production") -> None:
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,  # a frame's locals may hold a citizen's data
        before_send=scrub,
        traces_sample_rate=0.0,
    )
