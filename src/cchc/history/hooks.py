"""The history app's background job (``cchc.common.jobs``): the daily signed checkpoint."""

import logging

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs

logger = logging.getLogger("cchc.history.checkpoint")


def checkpoint(now) -> str:
    from . import services

    text = services.checkpoint_line(services.write_checkpoint())
    # The line must also be kept outside the database (docs/security.md): it goes to the log,
    # which the log shipper keeps elsewhere.
    logger.info(text)
    return text


jobs.register(
    Job(
        "history-checkpoint",
        checkpoint,
        "30 0 * * *",
        _("Sign a digest of every history's head (the CCHC-CHECKPOINT line)."),
        once_per="day",
    )
)
