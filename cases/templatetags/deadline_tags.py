"""`{{ deadline|deadline_title }}`: a deadline's title in the page's language (dashboard lists)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from cases import panels
from cases.models import Deadline

register = template.Library()


@register.filter
def deadline_title(deadline: Deadline) -> str:
    return panels.deadline_title(deadline, language=get_language() or "en")
