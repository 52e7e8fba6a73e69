"""`{% if request.user|edits_places %}`: the staff header's link to the tourism office's page,
shown to those layers.places.access lets edit places."""

from __future__ import annotations

from django import template

from layers.places.access import can_edit_places

register = template.Library()


@register.filter
def edits_places(user) -> bool:
    return can_edit_places(user)
