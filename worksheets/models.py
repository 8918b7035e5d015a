from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Pattern, ServiceArea


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", "自治体"
    CARE_CENTER = "care_center", "地域包括支援センター"
    CARE_PROVIDER = "care_provider", "介護施設・事業所"
    SOCIAL_WELFARE_COUNCIL = "welfare_council", "社会福祉協議会"
    NEIGHBORHOOD = "neighborhood", "自治会"
    COMPANY = "company", "民間企業"
    UNIVERSITY = "university", "大学・研究機関"
    OTHER = "other", "その他"


class Side(models.TextChoices):
    """Which side of the partnership an organisation speaks for in the guide's check points."""

    WELFARE = "welfare", "福祉関係者（自治体側）"
    COMPANY = "company", "民間企業（企業側）"


class Organization(models.Model):
    kind = models.CharField("種別", max_length=20, choices=OrganizationKind.choices)
    name = models.CharField("名称", max_length=100)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    municipality = models.CharField("市区町村", max_length=50, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "参加主体"
        verbose_name_plural = "参加主体"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organization_unique_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def side(self) -> str:
        """Companies answer the company points; everyone else stands on the welfare side."""
        return Side.COMPANY if self.kind == OrganizationKind.COMPANY else Side.WELFARE

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == OrganizationKind.MUNICIPALITY and not (
            self.prefecture and self.municipality
        ):
            raise ValidationError("自治体の場合は都道府県と市区町村を入力してください。")


class FiscalYearStyle(models.TextChoices):
    WAREKI = "wareki", "和暦（令和7年度）"
    SEIREKI = "seireki", "西暦（2025年度）"


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,  # only for administrators created from the command line
        blank=True,
    )
    department = models.CharField("部署", max_length=100, blank=True)
    fiscal_year_style = models.CharField(
        "年度の表示", max_length=10, choices=FiscalYearStyle.choices, default=FiscalYearStyle.WAREKI
    )

    class Meta:
        verbose_name = "利用者"
        verbose_name_plural = "利用者"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.last_name} {self.first_name}".strip()
        return name or self.username


class Role(models.TextChoices):
    """A member's role on one worksheet; the order of the choices is the order of power."""

    VIEWER = "viewer", "閲覧者"
    COMMENTER = "commenter", "コメント者"
    EDITOR = "editor", "編集者"
    OWNER = "owner", "オーナー"

    @classmethod
    def rank(cls, role: str) -> int:
        return list(cls.values).index(role)


class Worksheet(models.Model):
    """One co-creation project and its 認識共有ワークシート."""

    title = models.CharField("プロジェクト名", max_length=100)
    region = models.CharField("対象地域", max_length=100, blank=True)
    service_area = models.CharField(
        "サービス領域", max_length=20, choices=ServiceArea.choices, blank=True
    )
    pattern = models.CharField("創出パターン", max_length=20, choices=Pattern.choices, blank=True)
    # The project belongs to the organisation that opened it, not to a person: staff rotate.
    organization = models.ForeignKey(
        Organization, verbose_name="主担当の組織", on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="worksheets"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("最終更新", default=timezone.now)

    class Meta:
        verbose_name = "ワークシート（共創プロジェクト）"
        verbose_name_plural = "ワークシート（共創プロジェクト）"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("worksheet_detail", args=[self.pk])


class Membership(models.Model):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("役割", max_length=10, choices=Role.choices)
    created_at = models.DateTimeField("参加日時", auto_now_add=True)
    # Who gave whom which role, and when: asked for at every handover.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "メンバー"
        verbose_name_plural = "メンバー"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.worksheet} ({self.get_role_display()})"

    def has_role(self, role: str) -> bool:
        return Role.rank(self.role) >= Role.rank(role)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """A single-use link that makes whoever accepts it a member with the given role."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    role = models.CharField("役割", max_length=10, choices=Role.choices, default=Role.EDITOR)
    note = models.CharField("宛先メモ", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有効期限", default=default_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "招待"
        verbose_name_plural = "招待"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.worksheet} への招待（{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("invitation_accept", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return not (self.accepted_at or self.revoked_at or self.is_expired)
