"""The guide's knowledge as data: audiences, levels, check points, process steps and cases.

Everything here is loaded from `cases/content.py` by `manage.py load_guide` and can be
corrected afterwards in the admin. Natural keys (audience + number, slug, …) make the loader
idempotent.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class ServiceArea(models.TextChoices):
    """The guide's service areas (p.6, p.27)."""

    PREVENTION = "prevention", "介護予防・社会参加支援"
    MOBILITY = "mobility", "日常生活支援（移動支援）"
    DAILY_LIFE = "daily_life", "日常生活支援（移動支援以外）"
    CARE = "care", "生活機能維持・療養支援"


class Pattern(models.TextChoices):
    """The three patterns of co-creation (p.5)."""

    CUSTOMIZE = "customize", "既存事業を高齢者向けにカスタマイズ"
    NEW_BUSINESS = "new_business", "新規事業を開発"
    IMPLEMENT = "implement", "地域課題解決に必要なサービス等を実装"


class Audience(models.TextChoices):
    """Whom a check point speaks to, and so the side of the partnership a reader stands on.

    One concept: the guide's two audiences are the two sides of a project (worksheets'
    self-checks, checklists and the gap view are kept per audience).
    """

    WELFARE = "welfare", "福祉関係者"
    COMPANY = "company", "民間企業"

    @property
    def side_label(self) -> str:
        """The audience as a side of a project, where a reader may wonder which one is meant."""
        return {"welfare": "福祉関係者（自治体側）", "company": "民間企業（企業側）"}[self.value]


class Phase(models.TextChoices):
    """The three phases of check points; a level sends the reader to one of them."""

    PARTNERING = "partnering", "連携"
    DESIGN = "design", "事業設計"
    IMPLEMENTATION = "implementation", "実装・継続"

    @classmethod
    def rank(cls, phase: str) -> int:
        return list(cls.values).index(phase)


class Lane(models.TextChoices):
    """Who did an activity of the creation process: the two lanes of the timeline, or both."""

    MUNICIPALITY = "municipality", "自治体"
    COMPANY = "company", "企業"
    JOINT = "joint", "自治体・企業の共同"


class CaseKind(models.TextChoices):
    MAIN = "main", "主要事例"
    REFERENCE = "reference", "参考事例"


class EffectGroup(models.TextChoices):
    REGIONAL = "regional", "地域課題への効果"
    BUSINESS = "business", "ビジネスへの効果"


class EffectDimension(models.TextChoices):
    """The effects table of each main case (p.28): 地域課題 3 × ビジネス 4."""

    BEHAVIOUR = "behaviour", "住民の意識・行動の変化"
    HEALTH = "health", "住民の健康状態の変化"
    CARE_COST = "care_cost", "地域の要介護認定率・介護給付費の変化"
    PROFITABILITY = "profitability", "当該事業の収益黒字化"
    CORE_CUSTOMERS = "core_customers", "本業への集客増加"
    IMAGE = "image", "企業全体のイメージ向上"
    REVENUE = "revenue", "企業全体の収益増加"

    @classmethod
    def group_of(cls, key: str) -> str:
        regional = {cls.BEHAVIOUR, cls.HEALTH, cls.CARE_COST}
        return EffectGroup.REGIONAL if key in regional else EffectGroup.BUSINESS


class Stance(models.Model):
    """One of an audience's basic stances (基本的な考え方, p.9–10)."""

    audience = models.CharField("対象", max_length=10, choices=Audience.choices)
    order = models.PositiveSmallIntegerField("順序")
    title = models.CharField("見出し", max_length=100)
    body = models.TextField("説明")
    page = models.PositiveSmallIntegerField("出典ページ")

    class Meta:
        verbose_name = "基本的な考え方"
        verbose_name_plural = "基本的な考え方"
        ordering = ["audience", "order"]
        constraints = [
            models.UniqueConstraint(fields=["audience", "order"], name="stance_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}：{self.title}"


class Level(models.Model):
    """取組レベル: where a partnership stands, and which phase's points to read next."""

    audience = models.CharField("対象", max_length=10, choices=Audience.choices)
    number = models.PositiveSmallIntegerField("レベル")
    title = models.CharField("名称", max_length=100)
    summary = models.TextField("説明")
    # Empty for level 4, the goal state: no phase is left to work through.
    phase = models.CharField("読むべき段階", max_length=20, choices=Phase.choices, blank=True)
    page = models.PositiveSmallIntegerField("出典ページ")

    class Meta:
        verbose_name = "取組レベル"
        verbose_name_plural = "取組レベル"
        ordering = ["audience", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audience", "number"], name="level_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} レベル{self.number}：{self.title}"


class Checkpoint(models.Model):
    """確認ポイント: one of the guide's 25 points, for one audience and phase."""

    audience = models.CharField("対象", max_length=10, choices=Audience.choices)
    phase = models.CharField("段階", max_length=20, choices=Phase.choices)
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("見出し", max_length=100)
    qualifier = models.CharField("対象の限定", max_length=50, blank=True)
    explanation = models.TextField("解説")
    page = models.PositiveSmallIntegerField("出典ページ")

    class Meta:
        verbose_name = "確認ポイント"
        verbose_name_plural = "確認ポイント"
        ordering = ["audience", "phase", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "phase", "number"], name="checkpoint_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}・{self.get_phase_display()}{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("checkpoint_detail", args=[self.audience, self.phase, self.number])

    @property
    def label(self) -> str:
        """①共創を生み出す機運の醸成"""
        return f"{circled(self.number)}{self.title}"


def circled(number: int | None) -> str:
    """1 → ①, as the guide numbers its points."""
    if number is None:
        return ""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


class ProcessStep(models.Model):
    """創出プロセスの段階: the eight steps of p.28."""

    number = models.PositiveSmallIntegerField("番号", unique=True)
    name = models.CharField("名称", max_length=50)
    description = models.TextField("説明")
    page = models.PositiveSmallIntegerField("出典ページ")

    class Meta:
        verbose_name = "創出プロセスの段階"
        verbose_name_plural = "創出プロセスの段階"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{circled(self.number)}{self.name}"


class CaseQuerySet(models.QuerySet["Case"]):
    # Plain icontains: the ORM escapes %, _ and \ itself, and LIKE/ILIKE behave the same for
    # Japanese on SQLite and PostgreSQL (kana and kanji have no case to fold).
    SEARCH_FIELDS = ("title", "summary", "overview", "keywords", "companies", "places", "relations")

    def search(self, text: str) -> CaseQuerySet:
        """Cases containing every word of `text` (split at half- or full-width spaces)."""
        queryset = self
        for term in text.split():
            any_field = models.Q()
            for name in self.SEARCH_FIELDS:
                any_field |= models.Q(**{f"{name}__icontains": term})
            queryset = queryset.filter(any_field)
        return queryset

    def with_area(self, area: str) -> CaseQuerySet:
        return self.filter(pk__in=CaseArea.objects.filter(area=area).values("case_id"))

    def with_step(self, number: int) -> CaseQuerySet:
        return self.filter(
            pk__in=CaseActivity.objects.filter(step__number=number).values("case_id")
        )

    def with_points_for(self, audience: str) -> CaseQuerySet:
        return self.filter(pk__in=CasePoint.objects.filter(audience=audience).values("case_id"))


class Case(models.Model):
    """事例: a main case (p.29–40) or a reference case (p.41–42)."""

    slug = models.SlugField("識別子", unique=True)
    kind = models.CharField("種類", max_length=10, choices=CaseKind.choices)
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("事例名", max_length=100)
    companies = models.CharField("企業", max_length=200, blank=True)
    places = models.CharField("主な地域", max_length=300, blank=True)
    pattern = models.CharField("パターン", max_length=20, choices=Pattern.choices, blank=True)
    summary = models.TextField("概要")
    overview = models.TextField("取組の内容")
    relations = models.TextField("関係者のつながり", blank=True)
    keywords = models.TextField("キーワード", blank=True)
    page = models.PositiveSmallIntegerField("出典ページ")
    pages = models.CharField("出典ページの範囲", max_length=20)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "事例"
        verbose_name_plural = "事例"
        ordering = ["kind", "number"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.slug])


class CaseArea(models.Model):
    """A case belongs to one or more service areas; a row each keeps filtering portable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField("サービス領域", max_length=20, choices=ServiceArea.choices)

    class Meta:
        verbose_name = "事例のサービス領域"
        verbose_name_plural = "事例のサービス領域"
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "area"], name="casearea_unique"),
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class CaseFact(models.Model):
    """A place, number or date of a case, with the date it was true (as of)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="facts")
    order = models.PositiveSmallIntegerField("順序")
    label = models.CharField("項目", max_length=100)
    value = models.CharField("内容", max_length=300)
    as_of = models.CharField("時点", max_length=30, blank=True)

    class Meta:
        verbose_name = "事例の数値・事実"
        verbose_name_plural = "事例の数値・事実"
        ordering = ["case", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="casefact_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.value}"


class CaseStakeholder(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stakeholders")
    order = models.PositiveSmallIntegerField("順序")
    name = models.CharField("関係者", max_length=100)
    role = models.TextField("役割")

    class Meta:
        verbose_name = "事例の関係者"
        verbose_name_plural = "事例の関係者"
        ordering = ["case", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="casestakeholder_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseActivity(models.Model):
    """Who did what at one step of a case's creation process (the two-lane timeline)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField("順序")
    step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="case_activities")
    lane = models.CharField("担い手", max_length=20, choices=Lane.choices)
    department = models.CharField("部署", max_length=100, blank=True)
    text = models.TextField("取組")

    class Meta:
        verbose_name = "事例の創出プロセス"
        verbose_name_plural = "事例の創出プロセス"
        ordering = ["case", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="caseactivity_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.step}・{self.get_lane_display()}：{self.text[:30]}"


class CasePoint(models.Model):
    """A case's own points ①–④ for one side."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="points")
    audience = models.CharField("対象", max_length=10, choices=Audience.choices)
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("見出し", max_length=100)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "事例のポイント"
        verbose_name_plural = "事例のポイント"
        ordering = ["case", "audience", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "audience", "number"], name="casepoint_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}：{circled(self.number)}{self.title}"


class CaseEffect(models.Model):
    """One cell of a case's effects table."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="effects")
    dimension = models.CharField("効果の観点", max_length=20, choices=EffectDimension.choices)
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "事例の効果"
        verbose_name_plural = "事例の効果"
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "dimension"], name="caseeffect_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case}：{self.get_dimension_display()}"


class CheckpointExample(models.Model):
    """An example under a check point, citing the case page it comes from (e.g. P.30ポイント③)."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="examples")
    order = models.PositiveSmallIntegerField("順序")
    text = models.TextField("例")
    # Empty where the guide's example names no published case (社名・事例集非公表).
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="citations"
    )
    case_page = models.PositiveSmallIntegerField("事例のページ", null=True, blank=True)
    case_point = models.PositiveSmallIntegerField("事例のポイント番号", null=True, blank=True)

    class Meta:
        verbose_name = "確認ポイントの例"
        verbose_name_plural = "確認ポイントの例"
        ordering = ["checkpoint", "order"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "order"], name="example_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def citation(self) -> str:
        """P.30ポイント③, as the guide cites a case."""
        if not self.case_page:
            return ""
        return f"P.{self.case_page}" + (
            f"ポイント{circled(self.case_point)}" if self.case_point else ""
        )


class MonitoringItem(models.Model):
    """What the guide suggests each side measure (p.16, p.23)."""

    audience = models.CharField("対象", max_length=10, choices=Audience.choices)
    order = models.PositiveSmallIntegerField("順序")
    category = models.CharField("区分", max_length=50)
    name = models.CharField("項目", max_length=100)
    page = models.PositiveSmallIntegerField("出典ページ")

    class Meta:
        verbose_name = "モニタリング項目"
        verbose_name_plural = "モニタリング項目"
        ordering = ["audience", "order"]
        constraints = [
            models.UniqueConstraint(fields=["audience", "order"], name="monitoring_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetStageKind(models.TextChoices):
    """The usual stages of a municipal budget, in the order they happen."""

    PROPOSAL = "proposal", "事業提案・要求"
    ASSESSMENT = "assessment", "査定"
    DRAFT = "draft", "予算案"
    ASSEMBLY = "assembly", "議会"
    EXECUTION = "execution", "執行"
