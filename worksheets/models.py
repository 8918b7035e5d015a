from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases import japanese_calendar as jc
from cases.models import Audience, BudgetStageKind, Lane, Pattern, ServiceArea
from worksheets.fields import Party, Section
from worksheets.versioning import Versioned

# Evidence links are opened by colleagues: http and https only, never javascript: or file:.
web_url = URLValidator(
    schemes=["http", "https"], message="http:// または https:// で始まるURLを入力してください。"
)


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", "自治体"
    CARE_CENTER = "care_center", "地域包括支援センター"
    CARE_PROVIDER = "care_provider", "介護施設・事業所"
    SOCIAL_WELFARE_COUNCIL = "welfare_council", "社会福祉協議会"
    NEIGHBORHOOD = "neighborhood", "自治会"
    COMPANY = "company", "民間企業"
    UNIVERSITY = "university", "大学・研究機関"
    OTHER = "other", "その他"


class Organization(models.Model):
    kind = models.CharField("種別", max_length=20, choices=OrganizationKind.choices)
    name = models.CharField("名称", max_length=100)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    municipality = models.CharField("市区町村", max_length=50, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    # The organisation decides: its projects' overview (worksheets/members/portfolio.py) for
    # its administrators only, or for every one of its staff, read-only.
    portfolio_for_staff = models.BooleanField(
        "プロジェクト一覧を職員全員に公開",
        default=False,
        help_text="オンにすると、組織の職員全員がプロジェクト一覧を閲覧できます。",
    )

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
        return Audience.COMPANY if self.kind == OrganizationKind.COMPANY else Audience.WELFARE

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == OrganizationKind.MUNICIPALITY and not (
            self.prefecture and self.municipality
        ):
            raise ValidationError("自治体の場合は都道府県と市区町村を入力してください。")


class FiscalYearStyle(models.TextChoices):
    WAREKI = "wareki", "和暦（令和〇年）"
    SEIREKI = "seireki", "西暦"


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
        "日付と年度の表示",
        max_length=10,
        choices=FiscalYearStyle.choices,
        default=FiscalYearStyle.WAREKI,
    )
    # Manages the accounts of their own organisation (staff list, colleagues' accounts and
    # passwords, ownerships of someone leaving). Not a Django superuser: the admin site stays
    # for the operators of the installation.
    # The kinds of notification this person does not want in the daily e-mail digest.
    digest_off = models.JSONField("メールで知らせない種類", default=list, blank=True)
    is_org_admin = models.BooleanField(
        "組織の管理者",
        default=False,
        help_text="所属組織のアカウントを管理できます（職員一覧・追加・利用停止・パスワード再設定・担当の移管）。",
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
    COMMENTER = "commenter", "コメント可"
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
    # Raised by one on every accepted write; a check-in with the current revision has nothing
    # to fetch, which keeps the polling of open pages to a single cheap query.
    revision = models.PositiveIntegerField(default=0)
    # Compare-and-set for the basic information above (title, region, area, pattern), which
    # only owners edit: independent of the sheet's revision, which every save raises.
    info_version = models.PositiveIntegerField(default=1)
    # A finished project: read-only (worksheets/access.py), hidden from the dashboard unless
    # asked for, restorable by an owner.
    archived_at = models.DateTimeField("アーカイブ日時", null=True, blank=True)

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

    # The role held on an archived worksheet: its page is read-only whatever the role, so
    # worksheets/access.py lowers `role` in memory and keeps the real one here to show.
    held_role: str = ""

    @property
    def role_label(self) -> str:
        return Role(self.held_role or self.role).label

    def has_role(self, role: str) -> bool:
        """At least `role`: what the permission helper (worksheets/access.py) asks."""
        return Role.rank(self.role) >= Role.rank(role)

    # The words views and templates use; nobody compares role strings by hand.
    @property
    def can_edit(self) -> bool:
        return self.has_role(Role.EDITOR)

    @property
    def can_comment(self) -> bool:
        return self.has_role(Role.COMMENTER)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """A single-use link that makes whoever accepts it a member with the given role."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    role = models.CharField("役割", max_length=10, choices=Role.choices, default=Role.EDITOR)
    note = models.CharField("宛先メモ", max_length=100, blank=True)
    # Whom the link is for. All optional: what is left blank, the invitee fills in when creating
    # an account; with no organisation named, the invitee chooses an existing one or a new one.
    organization = models.ForeignKey(
        Organization,
        verbose_name="招待する方の所属",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_name = models.CharField("招待する方の姓", max_length=150, blank=True)
    first_name = models.CharField("招待する方の名", max_length=150, blank=True)
    email = models.EmailField("招待する方のメールアドレス", blank=True)
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
    def invitee_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()


def creator_is_owner() -> models.Exists:
    """An invitation holds only while the owner who made it is still an (active) owner.

    An owner who is demoted, removed or hands the project over takes back every link they
    sent: it was their authority that the link carried.
    """
    return models.Exists(
        Membership.objects.filter(
            worksheet=models.OuterRef("worksheet"),
            user=models.OuterRef("created_by"),
            user__is_active=True,
            role=Role.OWNER,
        )
    )


def withdraw_invitations(worksheet: Worksheet, user: User) -> int:
    """Marks the open invitations `user` made on `worksheet` as withdrawn; how many."""
    return Invitation.objects.filter(
        worksheet=worksheet, created_by=user, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())


# --- The worksheet itself: fields, list items, history, comments -------------------------------


class FieldText(Versioned):
    """The text of one field of one worksheet, with its own version for compare-and-set.

    One row per field (rather than one column per field) so that every field has its own
    version, author and time, and edits to different fields never touch the same row.
    A missing row is an empty field at version 0.
    """

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "記入欄"
        verbose_name_plural = "記入欄"
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "key"], name="fieldtext_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet_id}:{self.key}"


class Item(Versioned):
    """What every list entry shares: its place in the list and a version for compare-and-set.

    Positions are unique per parent, from 1 (a move parks an entry at 0 for a moment).
    """

    position = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    # Not columns: the worksheet page sets them for its template (sheet/context.py dress_items):
    # the id and version as text, the entry's three URLs and the name its buttons give it.
    sid: str
    v: str
    save_url: str
    move_url: str
    delete_url: str
    label: str

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Stakeholder(Item):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField("ステークホルダー", max_length=200)

    class Meta(Item.Meta):
        verbose_name = "ステークホルダー"
        verbose_name_plural = "ステークホルダー"
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "position"], name="stakeholder_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderRole(Item):
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("役割", max_length=300)

    class Meta(Item.Meta):
        verbose_name = "役割"
        verbose_name_plural = "役割"
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "position"], name="role_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.role


class Exchange(Item):
    """One thing that passes from one party to another, e.g. 利用者→事業者：利用料."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="exchanges")
    from_party = models.CharField("提供する側", max_length=10, choices=Party.choices)
    to_party = models.CharField("受け取る側", max_length=10, choices=Party.choices)
    what = models.CharField("やり取りされるもの", max_length=300)

    class Meta(Item.Meta):
        verbose_name = "やり取り"
        verbose_name_plural = "やり取り"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_party=models.F("to_party")), name="exchange_two_parties"
            ),
            models.UniqueConstraint(
                fields=["worksheet", "position"], name="exchange_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_party_display()}→{self.get_to_party_display()}：{self.what}"


class RiskStatus(models.TextChoices):
    OPEN = "open", "未対応"
    IN_PROGRESS = "in_progress", "対応中"
    SETTLED = "settled", "解決済み"


class Risk(Item):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField("リスク", max_length=1000)
    mitigation = models.CharField("対応策", max_length=1000, blank=True)
    owner = models.CharField("担当", max_length=200, blank=True)
    status = models.CharField(
        "状況", max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )

    class Meta(Item.Meta):
        verbose_name = "解決すべきリスク"
        verbose_name_plural = "解決すべきリスク"
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "position"], name="risk_unique_position"),
        ]

    def __str__(self) -> str:
        return self.description


class Change(models.Model):
    """One accepted write to a worksheet: who, when, what it was before and after.

    A plain model rather than a history library: saves are compare-and-set UPDATEs, which
    bypass the model signals such libraries listen to, and the history must be written in the
    same transaction as the write it records — no more, no less.
    """

    class Action(models.TextChoices):
        EDIT = "edit", "編集"
        ADD = "add", "追加"
        DELETE = "delete", "削除"
        MOVE = "move", "並べ替え"
        RESTORE = "restore", "復元"

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="changes")
    # The worksheet's revision after this change; check-ins ask for changes above a revision.
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)  # "field" or an item kind ("stakeholder", …)
    key = models.CharField(max_length=40)  # the field key, or the item's id
    label = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    # Not a column: the history page sets it for its template, as (op, text) pairs.
    diff: list[tuple[str, str]]

    class Meta:
        verbose_name = "変更履歴"
        verbose_name_plural = "変更履歴"
        ordering = ["-revision"]
        indexes = [models.Index(fields=["worksheet", "revision"])]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_action_display()}）"


class Comment(models.Model):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField("セクション", max_length=20, choices=Section.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField("コメント", max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Not columns: the worksheet page sets them for its template, on every comment (its id as
    # text and its resolve URL) and on each thread's first comment (the replies).
    sid: str
    resolve_url: str
    reply_list: list[Comment]

    class Meta:
        verbose_name = "コメント"
        verbose_name_plural = "コメント"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


# --- The guide inside the project: self-check, checklist, process tracker, budget calendar ---
# Kept together at the end of this module; the guide's content itself lives in the cases app.


class SelfCheck(Versioned):
    """One side's answers to the self-check questions for one worksheet, and the level they give.

    One row per side: the members of a side answer together, the latest answer stands, and the
    history keeps who changed it from what.
    """

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="self_checks")
    side = models.CharField("立場", max_length=10, choices=Audience.choices)
    answers = models.JSONField("回答", default=dict)
    level = models.PositiveSmallIntegerField("取組レベル")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField("回答日時", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "セルフチェック"
        verbose_name_plural = "セルフチェック"
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "side"], name="selfcheck_unique_side"),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet}（{self.get_side_display()}）レベル{self.level}"


class ChecklistState(models.TextChoices):
    NOT_STARTED = "todo", "未着手"
    DOING = "doing", "取組中"
    DONE = "done", "済"
    NOT_APPLICABLE = "na", "該当なし"


class ChecklistItem(Versioned):
    """The state of one check point in one worksheet.

    The points are per audience, so the municipality side and the company side each keep their
    own items; a missing row means 未着手.
    """

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="checklist_items"
    )
    checkpoint = models.ForeignKey(
        "cases.Checkpoint", on_delete=models.CASCADE, related_name="checklist_items"
    )
    state = models.CharField(
        "状況", max_length=10, choices=ChecklistState.choices, default=ChecklistState.NOT_STARTED
    )
    note = models.TextField("メモ", blank=True)
    evidence_url = models.URLField(
        "根拠資料のURL",
        max_length=500,
        blank=True,
        validators=[web_url],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "チェックリスト"
        verbose_name_plural = "チェックリスト"
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "checkpoint"], name="checklistitem_unique_checkpoint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet}：{self.checkpoint}（{self.get_state_display()}）"


class ProcessProgress(Versioned):
    """Where a worksheet's project stands among the eight creation steps."""

    worksheet = models.OneToOneField(
        Worksheet, on_delete=models.CASCADE, related_name="process_progress"
    )
    current_step = models.ForeignKey(
        "cases.ProcessStep",
        verbose_name="現在の段階",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", default=timezone.now)

    class Meta:
        verbose_name = "創出プロセスの進捗"
        verbose_name_plural = "創出プロセスの進捗"

    def __str__(self) -> str:
        return f"{self.worksheet}：{self.current_step or '未設定'}"


class ProcessActivity(Versioned):
    """A dated activity of the project at one creation step, by the municipality, company or both."""

    worksheet = models.ForeignKey(
        Worksheet, on_delete=models.CASCADE, related_name="process_activities"
    )
    step = models.ForeignKey(
        "cases.ProcessStep", verbose_name="段階", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("日付", validators=[jc.DayInRange("日付")])
    lane = models.CharField("担い手", max_length=20, choices=Lane.choices)
    department = models.CharField("部署", max_length=100, blank=True)
    text = models.TextField("取組の内容", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "創出プロセスの取組"
        verbose_name_plural = "創出プロセスの取組"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_lane_display()}：{self.text[:30]}"


class BudgetStage(Versioned):
    """One stage of a municipality's own budget cycle, replacing the default (cases.budget).

    Each stage has its own version; the form carries the five, and a save lands only if none
    of them moved since the editor opened it.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name="自治体",
        on_delete=models.CASCADE,
        related_name="budget_stages",
        limit_choices_to={"kind": OrganizationKind.MUNICIPALITY},
    )
    stage = models.CharField("段階", max_length=20, choices=BudgetStageKind.choices)
    start_month = models.PositiveSmallIntegerField(
        "開始月", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_month = models.PositiveSmallIntegerField(
        "終了月", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    in_budget_year = models.BooleanField(
        "予算の年度中", default=False, help_text="オフなら、予算の前年度に行う段階です。"
    )
    what_to_bring = models.TextField("この時期に持っていくもの・すること", max_length=500)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新日時", default=timezone.now)

    class Meta:
        verbose_name = "予算スケジュール"
        verbose_name_plural = "予算スケジュール"
        constraints = [
            models.UniqueConstraint(fields=["organization", "stage"], name="budgetstage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}：{self.get_stage_display()}"


# --- Handover: snapshots and handover records ---


class Snapshot(models.Model):
    """A version of the whole project frozen under a label (「この版を確定」).

    It stores the plain project document (worksheets/project.py), not references to rows, so
    later edits, deletions and even deactivated accounts leave it exactly as it was confirmed.
    """

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField("版の名前", max_length=100)
    document = models.JSONField("内容")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確定した人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("確定日時", default=timezone.now)

    class Meta:
        verbose_name = "確定した版"
        verbose_name_plural = "確定した版"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.worksheet}：{self.label}"


class HandoverStatus(models.TextChoices):
    PENDING = "pending", "確認待ち"
    ACKNOWLEDGED = "acknowledged", "確認済み"
    # An owner withdrew it before the successor acknowledged; its version is kept.
    CANCELLED = "cancelled", "取り消し済み"


class Handover(models.Model):
    """引き継ぎ: who hands the project to whom, what is pending, and the version handed over.

    Ownership passes only when the successor acknowledges it. People are kept as accounts, which
    are deactivated rather than deleted when someone leaves (PROTECT keeps it that way), so the
    record always names both.
    """

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="前任者",
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    from_post = models.CharField("前任者の所属・役職", max_length=200, blank=True)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="後任者",
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    date = models.DateField("引き継ぎ日", validators=[jc.DayInRange("引き継ぎ日")])
    memo = models.TextField("引き継ぎ事項（未了の事項など）", max_length=5000)
    snapshot = models.OneToOneField(
        Snapshot, verbose_name="引き継いだ版", on_delete=models.PROTECT, related_name="handover"
    )
    status = models.CharField(
        "状況", max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    created_at = models.DateTimeField("記録日時", default=timezone.now)
    acknowledged_at = models.DateTimeField("確認日時", null=True, blank=True)

    class Meta:
        verbose_name = "引き継ぎ"
        verbose_name_plural = "引き継ぎ"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.worksheet}：{self.from_user} → {self.to_user}（{self.date}）"


# --- Notifications ---------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    INVITED = "invited", "ワークシートへの招待"
    COMMENT = "comment", "参加したセクションへのコメント"
    REPLY = "reply", "自分のコメントへの返信"
    HANDOVER = "handover", "確認を待っている引き継ぎ"
    KPI_DUE = "kpi_due", "KPIの測定値の入力期限"
    ROLE_CHANGED = "role_changed", "自分の役割の変更"


class Notification(models.Model):
    """Something that concerns one person, with the page it is about.

    Shown in the header's bell and the list; sent in the daily digest (send_digest) unless the
    person switched its kind off. `key` makes a repeated event (a KPI still due tomorrow) one
    notification, not one a day.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("種類", max_length=20, choices=NotificationKind.choices)
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField("内容", max_length=300)
    url = models.CharField(max_length=500)
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key",
            )
        ]

    def __str__(self) -> str:
        return self.text


# The rendered PDFs live in their own module for length; imported here so Django finds them.
from worksheets.pdf_renders import PdfFailure as PdfFailure  # noqa: E402
from worksheets.pdf_renders import PdfRender as PdfRender  # noqa: E402
from worksheets.pdf_renders import PdfStatus as PdfStatus  # noqa: E402
