"""Signals by which apps that depend on worksheets join in, without worksheets importing them."""

from django.dispatch import Signal

# Sent after a new worksheet was filled from a starting template; kwargs: worksheet, template
# (a dict from worksheets/content.py WORKSHEET_TEMPLATES, whose "kpis" the kpis app creates),
# user.
template_applied = Signal()

# Sent while a project document is built (worksheets/project.py); kwargs: worksheet. Each
# receiver returns a dict of top-level keys to add, e.g. {"kpis": [...]} from the kpis app.
worksheet_export = Signal()

# Sent while a project document is imported into a new worksheet, inside its transaction;
# kwargs: worksheet, document, user. A receiver raises WorksheetFileError for bad parts.
worksheet_import = Signal()

# Sent while the sheet is written as an Excel 様式 (worksheets/handover/xlsx.py); kwargs:
# document (the project document). Each receiver returns {"boxes": {slot key: [lines]},
# "tables": [(tab title, header, rows)]} for the parts its app owns, e.g. the KPI boxes.
sheet_workbook = Signal()

# Sent while a worksheet is copied into a new one or into an existing one
# (worksheets/members/copy.py), inside its transaction; kwargs: source, worksheet (the copy or
# the destination), user, parts (the set of chosen part keys, e.g. {"fields", "kpis"}). The
# kpis app copies the KPI definitions when "kpis" is chosen, after the destination's own, and
# returns the names it left behind (the destination has a KPI of that name); it raises
# worksheets.sheet.writes.TooMany past the KPI limit, which refuses the whole copy.
worksheet_copied = Signal()

# Sent while the dashboard filters by KPI status, and for an organisation's portfolio; kwargs:
# today, and user (the user's worksheets) or worksheet_ids (those). Each receiver returns
# {worksheet id: "overdue" | "due" | "on_track"} for the worksheets it knows of (the kpis app:
# those of the user's worksheets that have KPIs with a measurement schedule).
kpi_status = Signal()
