"""The bot's webhook: Telegram POSTs updates here with the secret set by setWebhook."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases import telegram_link

MAX_UPDATE_BYTES = 64 * 1024


@csrf_exempt  # Telegram is not a browser: the secret token header authenticates it
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    expected = settings.TELEGRAM_WEBHOOK_SECRET
    if not expected:
        raise Http404  # no bot configured
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse(status=403)
    if len(request.body) > MAX_UPDATE_BYTES:
        return HttpResponse(status=413)
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not isinstance(update, dict):
        return HttpResponse(status=400)
    reply = telegram_link.handle_update(update)
    if reply is None:
        return HttpResponse(status=200)
    return JsonResponse(reply.as_webhook_answer())
