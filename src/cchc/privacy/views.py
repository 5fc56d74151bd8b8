"""The citizen's own personal data (Nghị định 13/2023/NĐ-CP, Điều 9 and 14: the data subject's
right to access and obtain their data): what the platform holds, and a JSON download of it.

Only the signed-in account's own records: the dossiers submitted from it and the feedback sent
from it (``services.export_account``); an anonymous visitor is sent to the login page.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.dossiers.models import Dossier
from cchc.feedback.models import Feedback

from . import services


@login_required
def personal_data(request):
    user = request.user
    context = {
        "dossier_count": Dossier.objects.filter(applicant_user=user).count(),
        "feedback_count": Feedback.objects.filter(sender_user=user).count(),
        "retention": services.retention_years(),
    }
    return render(request, "privacy/personal_data.html", context)


@login_required
@require_POST
def personal_data_download(request):
    data = services.export_account(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
