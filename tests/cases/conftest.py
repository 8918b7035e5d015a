from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def guide(db) -> None:
    """The guide's content, loaded the way `make run` loads it."""
    call_command("load_guide", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
