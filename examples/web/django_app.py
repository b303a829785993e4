"""The voice menu of `ivr` as a Django application, in one file.

Run it with ``python examples/web/django_app.py runserver 8080`` and point the PBX's
notification URL at ``http://HOST:8080/``; set ``ALLOWED_HOSTS`` (comma-separated) to the
names the PBX reaches it by. In a Django project, the view and the URL patterns below are all
you need (the PBX sends no CSRF token: hence ``csrf_exempt``).
"""

from __future__ import annotations

import os
import secrets
import sys

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(32),
        ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","),
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from ivr import CONTEXT, MAX_BODY, PATHS, answer

from ozml.notifications import NotificationError
from ozml.notifications.django import from_request, refuse, respond


@csrf_exempt
@require_POST
def notification(request: HttpRequest) -> HttpResponse:
    try:
        note = from_request(request, max_bytes=MAX_BODY)
    except NotificationError as error:
        return refuse(error)  # type: ignore[no-any-return]
    base_url = request.build_absolute_uri("/")
    return respond(answer(note, base_url), CONTEXT)  # type: ignore[no-any-return]


urlpatterns = [path(p.lstrip("/"), notification) for p in PATHS]

application = get_wsgi_application()

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
