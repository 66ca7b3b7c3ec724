"""``{% if user|may_follow:"activity-windows" %}``: show a link only to roles it lets in."""

from __future__ import annotations

from typing import Any

from django import template

from exonc.platform import navigation

register = template.Library()


@register.filter
def may_follow(user: Any, url_name: str) -> bool:
    return navigation.may_follow(user, url_name)
