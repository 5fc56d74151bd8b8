"""``make demo``: the development settings, but served as users meet the site.

Debug is off, so a mistyped address answers the Vietnamese 404 page (templates/404.html), not
Django's English debug page, and an error the Vietnamese 500 page. Static files are served by the
application itself (WhiteNoise, straight from the apps' static folders: no ``collectstatic``).

Developers who want Django's debug pages run ``cchc runserver`` (``cchc.settings.dev``, debug on),
or ``DJANGO_DEBUG=1 make demo``.
"""

from .base import env_bool
from .dev import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True  # serve from the apps' static folders, as runserver does in debug
WHITENOISE_AUTOREFRESH = True  # a changed CSS or script is served at once (development machine)
