"""Template helpers of the logging form: keep what was typed when a submission is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def typed(submitted: Mapping[str, Any], key: str, suffix: str, default: Any = "") -> Any:
    """The value typed into field ``KEY_SUFFIX`` (after a refusal), else *default*."""
    name = f"{key}_{suffix}" if suffix else key
    if name in submitted:
        return submitted[name]
    if isinstance(default, float):
        return f"{default:g}"
    return "" if default is None else default


@register.simple_tag
def ticked(submitted: Mapping[str, Any], name: str) -> str:
    """``checked`` when the checkbox *name* was ticked in the refused submission."""
    return "checked" if submitted.get(name) == "on" else ""


@register.filter
def label(value: str) -> str:
    """``new_or_worse_bone_pain`` → ``new or worse bone pain``."""
    return str(value).replace("_", " ")
