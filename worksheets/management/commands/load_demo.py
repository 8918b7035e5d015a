"""Create the demo: a municipality and a company account sharing the guide's filled example.

Running it again changes nothing: every object is looked up before it is created.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.models import Membership, Organization, OrganizationKind, Role, User, Worksheet
from worksheets.sheet.writes import apply_template

DEMO_PASSWORD = "sanpuku-demo-2026"
DEMO_WORKSHEET_TITLE = "A圏域・B圏域のデマンド交通（デモ）"
DEMO_ACCOUNTS = [
    # username, last name, first name, organisation (kind, name, prefecture, municipality), dept
    (
        "demo-city",
        "山田",
        "花子",
        (OrganizationKind.MUNICIPALITY, "〇〇市", "〇〇県", "〇〇市"),
        "健康福祉部 高齢福祉課",
        Role.OWNER,
    ),
    (
        "demo-company",
        "佐藤",
        "健",
        (OrganizationKind.COMPANY, "〇〇社", "", ""),
        "新規事業開発部",
        Role.EDITOR,
    ),
]
# The demo municipality's organisation administrator: manages the city's staff accounts
# (「職員の管理」), and is no member of the demo worksheet.
DEMO_ADMIN = ("demo-admin", "田中", "一郎", "総務部 情報政策課")


class Command(BaseCommand):
    help = "デモ用の自治体・企業アカウントと、記入例（p.26）のワークシートを作成します。"

    @transaction.atomic
    def handle(self, *args: str, **options: Any) -> None:
        users = []
        for username, last, first, (kind, name, pref, city), dept, role in DEMO_ACCOUNTS:
            organization, _ = Organization.objects.get_or_create(
                kind=kind, name=name, defaults={"prefecture": pref, "municipality": city}
            )
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    last_name=last,
                    first_name=first,
                    organization=organization,
                    department=dept,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            users.append((user, role))
        admin = self.create_admin(users[0][0].organization)

        owner = users[0][0]
        worksheet = Worksheet.objects.filter(title=DEMO_WORKSHEET_TITLE).first()
        created = worksheet is None
        if worksheet is None:
            worksheet = self.create_worksheet(owner)
        for user, role in users:
            Membership.objects.get_or_create(
                worksheet=worksheet, user=user, defaults={"role": role}
            )

        self.stdout.write(
            ("デモを作成しました。" if created else "デモはすでにあります。")
            + f"ワークシート「{worksheet.title}」"
        )
        self.stdout.write("デモアカウント（パスワードはいずれも " + DEMO_PASSWORD + "）:")
        for user, role in users:
            self.stdout.write(
                f"  {user.username}  {user.display_name}（{user.organization}・{Role(role).label}）"
            )
        self.stdout.write(
            f"  {admin.username}  {admin.display_name}（{admin.organization}・組織の管理者）"
        )

    def create_admin(self, organization: Organization | None) -> User:
        username, last, first, dept = DEMO_ADMIN
        admin = User.objects.filter(username=username).first()
        if admin is None:
            admin = User(
                username=username,
                last_name=last,
                first_name=first,
                organization=organization,
                department=dept,
                is_org_admin=True,
            )
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        return admin

    def create_worksheet(self, owner: User) -> Worksheet:
        assert owner.organization is not None
        template = WORKSHEET_TEMPLATES["guide_example"]
        worksheet = Worksheet.objects.create(
            title=DEMO_WORKSHEET_TITLE,
            region=template["region"],
            service_area=template["service_area"],
            pattern=template["pattern"],
            organization=owner.organization,
            created_by=owner,
        )
        apply_template(worksheet, "guide_example", owner)
        return worksheet
