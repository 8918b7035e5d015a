"""How long each list of a project may grow: one declaration for the screen and both imports.

Far beyond any real project (the guide's cases name a dozen partners and a handful of KPIs),
and short of what makes a page, a PDF or an import slow: a project file with 20,000
stakeholders took 21 s to import, its page 34 s and its PDF over a minute and 2 GB.
"""

STAKEHOLDERS = 200
ROLES_PER_STAKEHOLDER = 30
EXCHANGES = 200
RISKS = 200
COMMENTS = 2_000  # per worksheet, replies included
KPIS = 100
MEASUREMENTS_PER_KPI = 1_000
EVIDENCE_PER_MEASUREMENT = 20
BREAKDOWN_CATEGORIES = 20  # per KPI: 圏域 or 年代 of a town, not its 町丁目
