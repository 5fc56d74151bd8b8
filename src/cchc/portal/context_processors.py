from django.conf import settings
from django.utils.translation import gettext as _

from .menu import menu_for


def site(request):
    return {
        "agency_name": settings.CCHC_AGENCY_NAME or _("Administrative procedure portal"),
        "menu": menu_for(request.user, request.path) if hasattr(request, "user") else [],
    }
