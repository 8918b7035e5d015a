"""Signals by which apps that depend on worksheets join in, without worksheets importing them."""

from django.dispatch import Signal

# Sent after a new worksheet was filled from a starting template; kwargs: worksheet, template
# (a dict from worksheets/content.py WORKSHEET_TEMPLATES, whose "kpis" the kpis app creates),
# user.
template_applied = Signal()
