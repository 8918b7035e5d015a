"""`make bench`, part 2: the PDF worker's render time and peak memory for three projects.

Renders in the worker's own way (pdf_queue: the packet's HTML, then WeasyPrint in a forked
child within the budget, pdf_budget.py) on a throwaway SQLite database: the demo worksheet,
a full one (the guide's example with KPIs, measurements and a comment) and a large one (30
stakeholders with two roles each, a 5,000-character field, 20 KPIs). Prints the median of
BENCH_PDF_RUNS renders (5 by default) and the child's peak RSS, against issue 16's targets.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGETS = {"demo": 0.5, "full": 1.0, "large": 2.0}
PEAK_TARGET_MB = 300


def setup(var_dir: str) -> None:
    os.environ.update(
        SANPUKU_VAR_DIR=var_dir,
        DATABASE_URL=f"sqlite:///{var_dir}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="sanpuku.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup_local", verbosity=0)


def projects() -> dict[str, Any]:
    from kpis.models import Kpi, Measurement
    from worksheets.management.commands.load_demo import DEMO_WORKSHEET_TITLE
    from worksheets.models import (
        Comment,
        FieldText,
        Membership,
        Role,
        Stakeholder,
        StakeholderRole,
        Worksheet,
    )
    from worksheets.sheet.writes import apply_template

    demo = Worksheet.objects.get(title=DEMO_WORKSHEET_TITLE)
    owner = Membership.objects.filter(worksheet=demo, role=Role.OWNER).get().user
    full = Worksheet.objects.create(title="満記入のワークシート", organization=demo.organization)
    apply_template(full, "guide_example", owner)
    for kpi in Kpi.objects.filter(worksheet=full)[:3]:
        for n, month in enumerate([4, 7, 10, 1], 1):
            Measurement.objects.create(
                kpi=kpi,
                period_kind="quarter",
                period_start=date(2026 if month >= 4 else 2027, month, 1),
                value=Decimal(120 * n),
            )
    Comment.objects.create(worksheet=full, section="risks", author=owner, body="協議日程を確認")
    large = Worksheet.objects.create(title="大きなワークシート", organization=demo.organization)
    text = "".join(f"「記録{n:04d}」では、移動（送迎）の希望を聞き取った。" for n in range(1, 190))
    FieldText.objects.create(worksheet=large, key="persona", text=text[:5000])
    for n in range(1, 31):
        stakeholder = Stakeholder.objects.create(worksheet=large, name=f"関係者{n:02d}", position=n)
        for m, suffix in enumerate(["甲", "乙"], 1):
            StakeholderRole.objects.create(
                stakeholder=stakeholder, role=f"役割{n:02d}-{suffix}", position=m
            )
    for n in range(1, 21):
        Kpi.objects.create(
            worksheet=large,
            group=("common", "regional", "business")[n % 3],
            name=f"指標{n:02d}：外出が増えたと答えた人の割合",
            target_text=f"{60 + n}%",
            position=n,
        )
    return {"demo": demo, "full": full, "large": large}


def main() -> int:
    runs = max(1, int(os.environ.get("BENCH_PDF_RUNS", "5")))
    with tempfile.TemporaryDirectory(prefix="sanpuku-pdf-bench-") as var_dir:
        setup(var_dir)
        from django.conf import settings
        from django.utils import timezone

        from worksheets.handover.pdf import packet_context, render_html
        from worksheets.handover.pdf_budget import render_within_budget
        from worksheets.portable.document import worksheet_document

        print(f"PDF（ワーカーでの作成、{runs}回の中央値）")
        print(
            f"{'project':8} {'html s':>7} {'render s':>9} {'cpu s':>6} {'target':>7} {'peak MB':>8} {'KB':>5}"
        )
        for name, worksheet in projects().items():
            document = worksheet_document(worksheet)
            htmls, renders, cpus, peaks, size = [], [], [], [], 0
            for _ in range(runs):
                started = time.monotonic()
                context = packet_context(
                    document,
                    paper="A3",
                    label="最新（確定前）",
                    printed_at=timezone.now(),
                    changes=[],
                )
                html = render_html(context)
                htmls.append(time.monotonic() - started)
                rendered = render_within_budget(
                    html,
                    "A3",
                    seconds=settings.PDF_RENDER_SECONDS,
                    memory_mb=settings.PDF_RENDER_MEMORY_MB,
                )
                renders.append(rendered.seconds)
                cpus.append(rendered.cpu_seconds)
                peaks.append(rendered.peak_rss_kb / 1024)
                size = len(rendered.pdf)
            render = statistics.median(renders)
            # Against the child's CPU time: wall time on a shared machine measures the neighbours.
            mark = "ok" if statistics.median(cpus) <= TARGETS[name] else "over"
            peak = max(peaks)
            peak_mark = "ok" if peak <= PEAK_TARGET_MB else "over"
            print(
                f"{name:8} {statistics.median(htmls):7.3f} {render:9.3f} {statistics.median(cpus):6.3f} "
                f"{TARGETS[name]:5.1f}{mark:>4} {peak:6.0f}{peak_mark:>4} {size / 1024:7.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
