"""The rooms of worksheets/ depend one way: no circle between them, and the core none of them.

worksheets/urls.py routes to every room and apps.py connects receivers at start-up: those two
are the only core modules that name a room.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "worksheets"
ROOMS = ("sheet", "members", "guide", "handover", "portable")
IMPORT = re.compile(r"^\s*from worksheets\.(" + "|".join(ROOMS) + r")\b", re.M)


def imports_of(paths: list[Path]) -> set[str]:
    return {m for path in paths for m in IMPORT.findall(path.read_text())}


def test_the_rooms_import_each_other_without_a_circle():
    graph = {room: imports_of(list((ROOT / room).rglob("*.py"))) - {room} for room in ROOMS}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph[start]
        )

    assert [room for room in ROOMS if reaches(room, room)] == [], graph


def test_the_core_modules_name_no_room_but_the_router_and_the_app_config():
    core = [p for p in ROOT.glob("*.py") if p.name not in ("urls.py", "apps.py")]
    assert imports_of(core) == set()


def test_worksheets_never_imports_kpis():
    offenders = [
        str(p.relative_to(ROOT.parent))
        for p in ROOT.rglob("*.py")
        if re.search(r"^\s*(from|import) kpis\b", p.read_text(), re.M)
    ]
    assert offenders == []
