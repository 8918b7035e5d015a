from django.db import models


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
