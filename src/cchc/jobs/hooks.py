"""With a queue configured (``CCHC_QUEUE_URL``), jobs asked for by ``request_run`` go to it and
``/readyz`` checks that its broker answers."""

from cchc.common.health import ReadinessCheck, readiness_checks
from cchc.common.jobs import set_dispatcher
from cchc.conf import conf


def broker_answers() -> None:
    from .queue import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)


if conf.QUEUE_URL:
    from .queue import send

    set_dispatcher(send)
    readiness_checks.register(ReadinessCheck("queue", broker_answers, order=40))
