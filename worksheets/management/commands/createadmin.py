"""The first organisation administrator of a real installation, from the command line.

    manage.py createadmin --organization 〇〇市 --kind municipality --prefecture 〇〇県 \
        --municipality 〇〇市 --username tanaka --last-name 田中 --first-name 一郎

The organisation is created when it does not exist yet. The password is asked for twice
(or read from SANPUKU_ADMIN_PASSWORD with --no-input) and checked by Django's validators. An
existing account of that organisation is made administrator instead, its password untouched.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from worksheets.models import Organization, OrganizationKind, User


class Command(BaseCommand):
    help = "組織の最初の管理者（職員のアカウントを管理できる人）を作成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="組織の名称")
        parser.add_argument(
            "--kind", default=OrganizationKind.MUNICIPALITY, choices=OrganizationKind.values
        )
        parser.add_argument("--prefecture", default="")
        parser.add_argument("--municipality", default="")
        parser.add_argument("--username", required=True)
        parser.add_argument("--last-name", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--department", default="")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="パスワードを環境変数 SANPUKU_ADMIN_PASSWORD から読みます",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self._organization(options)
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is not None:
            if user.organization_id != organization.pk:
                raise CommandError(
                    f"ユーザー名「{user.username}」は別の組織（{user.organization}）のアカウントです。"
                )
            User.objects.filter(pk=user.pk).update(is_org_admin=True, is_active=True)
            self.stdout.write(
                f"{user.display_name}さん（{user.username}）を{organization}の管理者にしました。"
            )
            return
        user = User(
            username=options["username"],
            last_name=options["last_name"],
            first_name=options["first_name"],
            email=options["email"],
            department=options["department"],
            organization=organization,
            is_org_admin=True,
        )
        user.set_password(self._password(user, options["no_input"]))
        with transaction.atomic():
            # Not `pk is None`: django-stubs types a model's pk as always set.
            if organization._state.adding:
                organization.save()
                user.organization = organization
            user.save()
        self.stdout.write(f"{organization}の管理者「{user.username}」を作成しました。")

    def _organization(self, options: dict[str, Any]) -> Organization:
        name, kind = options["organization"].strip(), options["kind"]
        existing = Organization.objects.filter(name=name).first()
        if existing is not None:
            if existing.kind != kind:
                raise CommandError(
                    f"「{name}」は「{existing.get_kind_display()}」としてすでに登録されています。"
                    f"--kind {existing.kind} を指定してください。"
                )
            return existing
        organization = Organization(
            name=name,
            kind=kind,
            prefecture=options["prefecture"],
            municipality=options["municipality"],
        )
        try:
            organization.clean()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return organization

    def _password(self, user: User, no_input: bool) -> str:
        if no_input:
            password = os.environ.get("SANPUKU_ADMIN_PASSWORD", "")
            if not password:
                raise CommandError("--no-input には環境変数 SANPUKU_ADMIN_PASSWORD が必要です。")
        else:
            password = getpass.getpass("パスワード: ")
            if password != getpass.getpass("パスワード（確認）: "):
                raise CommandError("確認用パスワードが一致しません。")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
