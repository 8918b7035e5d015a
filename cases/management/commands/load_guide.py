"""Load the guide's content (cases/content.py) into the database.

Idempotent: every row is found by its natural key (audience + number, a case's slug, …), so a
second run creates nothing and changes nothing.

Admin edits win by default. Without `--update` the command only creates rows that are missing,
so a correction made in the admin survives `make run`, which calls this command on every start.
With `--update` the rows are overwritten with the texts of content.py (use it after content.py
itself was corrected). Rows that an administrator added and content.py does not know are never
deleted.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand
from django.db import models, transaction

from cases import content
from cases.models import (
    Case,
    CaseActivity,
    CaseArea,
    CaseEffect,
    CaseFact,
    CasePoint,
    CaseStakeholder,
    Checkpoint,
    CheckpointExample,
    Level,
    MonitoringItem,
    ProcessStep,
    Stance,
)


class Command(BaseCommand):
    help = "ポイント集の内容（確認ポイント・取組レベル・事例など）をデータベースに読み込みます。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="既にある行も content.py の内容で上書きします（管理画面での修正は失われます）。",
        )

    @transaction.atomic
    def handle(self, *args: str, update: bool = False, **options: Any) -> None:
        self.update = update
        self.created = 0
        self.updated = 0
        self.load_stances()
        self.load_levels()
        steps = self.load_steps()
        cases = self.load_cases(steps)
        self.load_checkpoints(cases)
        self.load_monitoring_items()
        self.stdout.write(
            f"ポイント集を読み込みました（新規 {self.created} 件・更新 {self.updated} 件）。"
        )

    def put[M: models.Model](
        self, model: type[M], keys: dict[str, Any], values: Mapping[str, Any]
    ) -> M:
        """One row by its natural key: created if missing, overwritten only with --update."""
        row = model._default_manager.filter(**keys).first()
        if row is None:
            self.created += 1
            return model._default_manager.create(**keys, **values)
        if self.update:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                row.save(update_fields=changed)
                self.updated += 1
        return row

    def load_stances(self) -> None:
        for audience in content.AUDIENCES:
            for order, stance in enumerate(audience["stances"], start=1):
                self.put(
                    Stance,
                    {"audience": audience["key"], "order": order},
                    {"title": stance["title"], "body": stance["body"], "page": stance["page"]},
                )

    def load_levels(self) -> None:
        for level in content.LEVELS:
            self.put(
                Level,
                {"audience": level["audience"], "number": level["number"]},
                {
                    "title": level["title"],
                    "summary": level["summary"],
                    "phase": level["phase"],
                    "page": level["page"],
                },
            )

    def load_steps(self) -> dict[int, ProcessStep]:
        return {
            step["number"]: self.put(
                ProcessStep,
                {"number": step["number"]},
                {
                    "name": step["name"],
                    "description": step["description"],
                    "page": step["page"],
                },
            )
            for step in content.PROCESS_STEPS
        }

    def load_cases(self, steps: dict[int, ProcessStep]) -> dict[str, Case]:
        cases = {}
        for data in content.CASES:
            case = self.put(
                Case,
                {"slug": data["slug"]},
                {
                    "kind": data["kind"],
                    "number": data["number"],
                    "title": data["title"],
                    "companies": "、".join(data["companies"]),
                    "places": "、".join(
                        f"{m['prefecture']}{m['name']}" for m in data["municipalities"]
                    ),
                    "pattern": data["pattern"],
                    "summary": data["summary"],
                    "overview": data["overview"],
                    "relations": data["relations"],
                    "keywords": "、".join(data["keywords"]),
                    "page": data["page"],
                    "pages": data["pages"],
                },
            )
            cases[data["slug"]] = case
            for area in data["areas"]:
                self.put(CaseArea, {"case": case, "area": area}, {})
            for order, fact in enumerate(data["facts"], start=1):
                self.put(CaseFact, {"case": case, "order": order}, fact)
            for order, person in enumerate(data["stakeholders"], start=1):
                self.put(CaseStakeholder, {"case": case, "order": order}, person)
            for order, activity in enumerate(data["process"], start=1):
                self.put(
                    CaseActivity,
                    {"case": case, "order": order},
                    {
                        "step": steps[activity["step"]],
                        "lane": activity["lane"],
                        "department": activity["department"],
                        "text": activity["text"],
                    },
                )
            for point in data["points"]:
                self.put(
                    CasePoint,
                    {"case": case, "audience": point["audience"], "number": point["number"]},
                    {"title": point["title"], "text": point["text"]},
                )
            for dimension, text in data["effects"].items():
                self.put(CaseEffect, {"case": case, "dimension": dimension}, {"text": text})
        return cases

    def load_checkpoints(self, cases: dict[str, Case]) -> None:
        for data in content.POINTS:
            checkpoint = self.put(
                Checkpoint,
                {"audience": data["audience"], "phase": data["phase"], "number": data["number"]},
                {
                    "title": data["title"],
                    "qualifier": data["qualifier"],
                    "explanation": data["explanation"],
                    "page": data["page"],
                },
            )
            for order, example in enumerate(data["examples"], start=1):
                self.put(
                    CheckpointExample,
                    {"checkpoint": checkpoint, "order": order},
                    {
                        "text": example["text"],
                        "case": cases.get(example["case"]),
                        "case_page": example["case_page"],
                        "case_point": example["case_point"],
                    },
                )

    def load_monitoring_items(self) -> None:
        for order, item in enumerate(content.MONITORING_ITEMS, start=1):
            self.put(
                MonitoringItem,
                {"audience": item["audience"], "order": order},
                {"category": item["category"], "name": item["name"], "page": item["page"]},
            )
