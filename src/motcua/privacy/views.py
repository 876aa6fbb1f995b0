"""The data subject's right of access: a logged-in citizen downloads everything held about them as JSON."""

import json

from django.http import HttpResponse
from django.utils import timezone

from motcua.portal.submission import citizen_required
from motcua.privacy.services import export_person


@citizen_required
def my_data(request):
    data = export_person(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.json"'
    response["Cache-Control"] = "no-store"
    return response
