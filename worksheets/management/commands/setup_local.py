"""`make run`'s preparation in one process: migrate, load the guide, create the demo.

Three management commands started one after another paid Django's start-up three times (and,
before the PDF check became a deployment check, loaded Pango and HarfBuzz three times).
Each step keeps its own behaviour: a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "マイグレーション・ポイント集の読み込み・デモの作成を1つのプロセスで行います。"

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("load_guide", verbosity=verbosity)
        call_command("load_demo", verbosity=verbosity)
