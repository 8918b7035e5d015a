from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from worksheets.management.commands.load_demo import DEMO_PASSWORD
from worksheets.models import Membership, Organization, User, Worksheet


def run_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_creates_a_city_and_a_company_account_on_one_worksheet(db):
    output = run_demo()
    city = User.objects.get(username="demo-city")
    company = User.objects.get(username="demo-company")
    assert city.check_password(DEMO_PASSWORD)
    assert company.check_password(DEMO_PASSWORD)
    assert city.organization.get_kind_display() == "自治体"
    assert company.organization.get_kind_display() == "民間企業"
    worksheet = Worksheet.objects.get()
    assert set(worksheet.members.values_list("username", flat=True)) == {
        "demo-city",
        "demo-company",
    }
    assert "demo-city" in output and DEMO_PASSWORD in output


def test_running_the_demo_twice_changes_nothing(db):
    run_demo()
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Worksheet.objects.count(),
        Membership.objects.count(),
    )
    city_password = User.objects.get(username="demo-city").password
    output = run_demo()
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Worksheet.objects.count(),
        Membership.objects.count(),
    )
    assert User.objects.get(username="demo-city").password == city_password
    assert "すでにあります" in output


def test_readme_lists_the_demo_accounts():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("デモアカウント", 1)[1]
    assert "demo-city" in section and "demo-company" in section and DEMO_PASSWORD in section
