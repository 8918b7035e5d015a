"""The daily e-mail digest of notifications (cron, e.g. every morning at 7:00).

    manage.py notify_kpi_due && manage.py send_digest

Each person with an e-mail address gets one message listing what they have not yet read or
been mailed, leaving out the kinds they switched off in 名前・部署・表示の設定. Only notifications on a
worksheet the person is still a member of are mailed: an invitation to someone who is not a
member yet, or anything from a worksheet they have left, stays on the screen.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from worksheets.models import Membership, Notification, User


class Command(BaseCommand):
    help = "未読のお知らせを、1人1通のメールにまとめて送ります（EMAIL_HOST を設定した場合）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMAIL_ENABLED:
            self.stdout.write("メールの送信先（EMAIL_HOST）が設定されていないため、送りません。")
            return
        member = Exists(
            Membership.objects.filter(worksheet=OuterRef("worksheet"), user=OuterRef("recipient"))
        )
        pending = (
            Notification.objects.filter(member, read_at=None, emailed_at=None)
            .filter(recipient__is_active=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        by_person: dict[int, list[Notification]] = defaultdict(list)
        people: dict[int, User] = {}
        for notification in pending:
            person = notification.recipient
            if notification.kind in (person.digest_off or []):
                continue
            people[person.pk] = person
            by_person[person.pk].append(notification)
        sent = 0
        for person_id, notifications in by_person.items():
            person = people[person_id]
            send_mail(
                f"【sanpuku】お知らせ{len(notifications)}件",
                self._body(person, notifications),
                None,
                [person.email],
            )
            Notification.objects.filter(
                pk__in=[n.pk for n in notifications], emailed_at=None
            ).update(emailed_at=timezone.now())
            sent += len(notifications)
            kinds = "・".join(dict.fromkeys(n.get_kind_display() for n in notifications))
            self.stdout.write(f"{person.username}: {len(notifications)}件（{kinds}）")
        self.stdout.write(f"{len(by_person)}人に、合わせて{sent}件のお知らせを送りました。")

    def _body(self, person: User, notifications: list[Notification]) -> str:
        lines = [
            f"{person.display_name} 様",
            "",
            "sanpuku（産福共創ワークシート）からのお知らせです。",
            "",
        ]
        for n in notifications:
            lines += [f"・{n.text}", f"  {settings.SITE_URL.rstrip('/')}{n.url}", ""]
        lines += [
            "お知らせは、画面右上の「お知らせ」でも確認できます。",
            "メールで受け取る種類は「名前・部署・表示の設定」で変えられます。",
        ]
        return "\n".join(lines)
