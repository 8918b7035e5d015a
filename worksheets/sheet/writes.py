"""Writing to a worksheet without losing anybody's words.

Every write is a compare-and-set: a conditional UPDATE that names the version the writer
started from. Zero rows updated means somebody else saved first, and the caller gets a
`Conflict` that carries the latest state, so the page can show both texts side by side.
Each accepted write bumps the worksheet's revision and is recorded as a `Change` in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from worksheets import limits
from worksheets.fields import FIELD_LABELS
from worksheets.models import (
    Change,
    Exchange,
    FieldText,
    Item,
    Risk,
    Stakeholder,
    StakeholderRole,
    User,
    Worksheet,
)
from worksheets.returning import update_returning
from worksheets.sheet import push
from worksheets.sheet.merge import Overlap, three_way
from worksheets.versioning import compare_and_set


@dataclass(frozen=True)
class ItemKind:
    """A kind of list entry on the sheet: its model, its editable fields and its parent."""

    key: str
    model: type[Item]
    fields: tuple[str, ...]
    label: str
    parent: str = "worksheet"  # the foreign key that scopes positions
    limit: int = 200  # entries per parent: worksheets/limits.py

    def too_many(self) -> str:
        where = "1つのステークホルダー" if self.parent == "stakeholder" else "1つのワークシート"
        return (
            f"{where}に登録できる{self.label}は{self.limit:,}件までです。"
            "不要なものを削除するか、まとめてから追加してください。"
        )


ITEM_KINDS = {
    kind.key: kind
    for kind in [
        ItemKind(
            "stakeholder", Stakeholder, ("name",), "ステークホルダー", limit=limits.STAKEHOLDERS
        ),
        ItemKind(
            "role",
            StakeholderRole,
            ("role",),
            "役割",
            parent="stakeholder",
            limit=limits.ROLES_PER_STAKEHOLDER,
        ),
        ItemKind(
            "exchange",
            Exchange,
            ("from_party", "to_party", "what"),
            "やり取り",
            limit=limits.EXCHANGES,
        ),
        ItemKind(
            "risk",
            Risk,
            ("description", "mitigation", "owner", "status"),
            "リスク",
            limit=limits.RISKS,
        ),
    ]
}


class TooMany(Exception):
    """The list is at its length limit: the message says so, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lock_worksheet(worksheet: Worksheet) -> None:
    """Lock the worksheet's row first, in every list write: one order for all of them.

    Adds, edits, moves and deletes of one worksheet's lists then run one after the other on
    PostgreSQL: two adds cannot take the same position, a role cannot be added to a
    stakeholder being deleted (a foreign-key violation at commit), and two opposite moves of
    a pair cannot deadlock. Each of them writes the worksheet's revision anyway, so nothing
    that could have run in parallel waits. (SQLite's IMMEDIATE transactions already queue
    writers; FOR UPDATE is a no-op there.)
    """
    Worksheet.objects.select_for_update().filter(pk=worksheet.pk).values_list("pk").first()


@dataclass
class Conflict(Exception):
    """Somebody saved first. `latest` is the current state, or None when it was deleted."""

    latest: FieldText | Item | None = None
    # "stale" | "deleted"; for a field also "unknown" (the writer's version never
    # existed) and "no_base" (history no longer holds the version the writer started from).
    reason: str = "stale"
    extra: dict[str, Any] = field(default_factory=dict)  # a field's overlapping spans ("spans")


@dataclass
class FieldConflict(Conflict):
    """A field's save lost: `latest` is the field's current row (never deleted, only emptied)."""

    latest: FieldText | None = None


def _bump(worksheet: Worksheet) -> int:
    """The worksheet's next revision, in one statement (UPDATE … RETURNING)."""
    now = timezone.now()
    [(revision,)] = update_returning(
        Worksheet.objects.filter(pk=worksheet.pk),
        ("revision",),
        revision=F("revision") + 1,
        updated_at=now,
    )
    worksheet.revision, worksheet.updated_at = revision, now
    _announce(worksheet.pk, revision)
    return revision


def _announce(worksheet_id: int, revision: int) -> None:
    """Open pages hear of the new revision once it is committed (worksheets/sheet/push.py)."""
    transaction.on_commit(partial(push.announce, worksheet_id, revision), robust=True)


def touch(worksheet: Worksheet) -> None:
    """Count a write of another app that the worksheet page shows (the kpis app's KPIs,
    measurements and effect notes) in the worksheet's revision and 最終更新.

    It takes a revision without a Change: the check-in reads such a revision as "the KPI
    section changed" and sends that section again (worksheets/sheet/checkin.py). Call it in
    the write's own transaction.
    """
    _bump(worksheet)


def _record(
    worksheet: Worksheet,
    user: User,
    kind: str,
    key: str | int,
    label: str,
    action: str,
    old: dict[str, Any],
    new: dict[str, Any],
) -> Change:
    return Change.objects.create(
        worksheet=worksheet,
        revision=_bump(worksheet),
        kind=kind,
        key=str(key),
        label=label,
        action=action,
        old=old,
        new=new,
        user=user,
    )


def field_state(worksheet: Worksheet, key: str) -> FieldText:
    """The field's row, or an unsaved empty one at version 0."""
    found = FieldText.objects.select_related("updated_by").filter(worksheet=worksheet, key=key)
    return found.first() or FieldText(worksheet=worksheet, key=key, text="", version=0)


def save_field(
    worksheet: Worksheet,
    key: str,
    text: str,
    base_version: int,
    user: User,
    action: str = Change.Action.EDIT,
    own: bool = False,
) -> FieldText:
    """Save `text`, written from the field's `base_version`; raise Conflict if it cannot be.

    `own`: the writer's box holds what they themselves sent in the save that made
    `base_version` — a save merged with others' words that their page has not taken in yet —
    so their edits are counted from that text, not from the merged one.

    From an older version, the writer's edits are merged into the field as it is now when the
    two changed different sentences (worksheets/sheet/merge.py), and the history records a
    merge naming the other authors; the returned row's text is then not `text`. Saving the
    text the field already holds is accepted whatever the version, and records nothing: two
    people who typed the same words do not conflict.
    """
    text = text.replace("\r\n", "\n")
    with transaction.atomic():
        # A compare-and-set that loses to a save made between our read and our write reads
        # again and merges again; three rounds lost in a row is a field under siege: conflict.
        for _ in range(3):
            saved = _save_field_once(worksheet, key, text, base_version, user, action, own)
            if saved is not None:
                return saved
        raise FieldConflict(latest=field_state(worksheet, key))


def _save_field_once(
    worksheet: Worksheet,
    key: str,
    text: str,
    base_version: int,
    user: User,
    action: str,
    own: bool,
) -> FieldText | None:
    """One compare-and-set round of save_field; None when somebody saved in between."""
    # Without who saved it last: only a refused or repeated save shows that, and loads them.
    found = list(FieldText.objects.filter(worksheet=worksheet, key=key)[:1])
    current = found[0] if found else FieldText(worksheet=worksheet, key=key, text="", version=0)
    if current.text == text and action != Change.Action.RESTORE:
        return current
    if base_version > current.version:
        raise FieldConflict(latest=current, reason="unknown")
    merge: dict[str, Any] = {}
    if own or current.version != base_version:
        if action == Change.Action.RESTORE:
            raise FieldConflict(latest=current)
        if own:
            base = _own_text(worksheet, key, base_version, user)
        else:
            base = _base_text(worksheet, key, base_version)
        if base is None:
            raise FieldConflict(latest=current, reason="no_base")
        base_text, since, names = base
        try:
            merged = three_way(base_text, text, current.text)
        except Overlap as overlap:
            raise FieldConflict(latest=current, extra={"spans": overlap.spans}) from None
        if merged == current.text:
            return current  # my edits are there already: a repeated save
        # Their names only: the changes themselves carry whole texts, and a busy field has many.
        others = User.objects.filter(
            pk__in=Change.objects.filter(
                worksheet=worksheet, kind="field", key=key, revision__gte=since
            ).values("user_id")
        ).exclude(pk=user.pk)
        authors = {*names, *(str(other) for other in others)}
        merge = {"base": base_version, "mine": text, "with": sorted(authors)}
        text = merged
    now = timezone.now()
    if current.version == 0:
        try:
            with transaction.atomic():
                saved = FieldText.objects.create(
                    worksheet=worksheet,
                    key=key,
                    text=text,
                    version=1,
                    updated_by=user,
                    updated_at=now,
                )
        except IntegrityError:
            return None
    else:
        rows = FieldText.objects.filter(worksheet=worksheet, key=key)
        version = compare_and_set(rows, current.version, text=text, updated_by=user, updated_at=now)
        if not version:
            return None
        # What was written is known: the row is not read back.
        saved = FieldText(
            pk=current.pk,
            worksheet=worksheet,
            key=key,
            text=text,
            version=version,
            updated_by=user,
            updated_at=now,
        )
    new: dict[str, Any] = {"text": text, "version": saved.version}
    if merge:
        new["merge"] = merge
    _record(worksheet, user, "field", key, FIELD_LABELS[key], action, {"text": current.text}, new)
    return saved


Base = tuple[str, int, list[str]]  # the text, the revision others' saves count from, their names


def _base_text(worksheet: Worksheet, key: str, version: int) -> Base | None:
    """The field's text at `version`, if history still holds it.

    Read as what the save that made `version + 1` replaced, not as what made `version`: a
    project file brings history from another installation whose versions mean nothing here,
    while every version above the first was saved here, after anything imported.
    """
    if version == 0:
        return "", 0, []
    successor = (
        Change.objects.filter(worksheet=worksheet, kind="field", key=key, new__version=version + 1)
        .order_by("-revision")
        .values_list("old", "revision")
        .first()
    )
    if successor is None or "text" not in successor[0]:
        return None
    return successor[0]["text"], successor[1], []


def _own_text(worksheet: Worksheet, key: str, version: int, user: User) -> Base | None:
    """What `user` sent in their save that made `version`, and whose words it was merged with."""
    saved = (
        Change.objects.filter(
            worksheet=worksheet, kind="field", key=key, new__version=version, user=user
        )
        .order_by("-revision")
        .values_list("new", "revision")
        .first()
    )
    if saved is None:
        return None
    new, revision = saved
    merge = new.get("merge") or {}
    return merge.get("mine", new.get("text", "")), revision + 1, list(merge.get("with", []))


# --- list items ------------------------------------------------------------------------------


def item_values(item: Item, kind: ItemKind) -> dict[str, Any]:
    return {name: getattr(item, name) for name in kind.fields}


def item_label(item: Item, kind: ItemKind) -> str:
    if isinstance(item, StakeholderRole):  # kind.key == "role"
        return f"役割（{item.stakeholder.name}）：{item.role}"[:300]
    return f"{kind.label}：{item}"[:300]


def _scope(kind: ItemKind, parent: models.Model) -> dict[str, Any]:
    return {kind.parent: parent}


def add_item(
    worksheet: Worksheet, kind: ItemKind, parent: models.Model, values: dict[str, Any], user: User
) -> Item:
    """Append an item. Adds never conflict: two people adding at once both keep theirs.

    TooMany when the list is full; Conflict("deleted") when the stakeholder a role is added
    to was deleted meanwhile.
    """
    with transaction.atomic():
        lock_worksheet(worksheet)
        if (
            isinstance(parent, Stakeholder)
            and not Stakeholder.objects.filter(pk=parent.pk, worksheet=worksheet).exists()
        ):
            raise Conflict(latest=None, reason="deleted")
        scope = _scope(kind, parent)
        found = kind.model._default_manager.filter(**scope).aggregate(
            m=Max("position"), n=Count("pk")
        )
        if found["n"] >= kind.limit:
            raise TooMany(kind.too_many())
        last = found["m"]
        item = kind.model._default_manager.create(
            **scope,
            **values,
            position=(last or 0) + 1,
            version=1,
            updated_by=user,
            updated_at=timezone.now(),
        )
        if isinstance(item, StakeholderRole) and isinstance(parent, Stakeholder):
            item.stakeholder = parent
        _record(worksheet, user, kind.key, item.pk, item_label(item, kind), "add", {}, values)
    return item


def _locked(kind: ItemKind, worksheet: Worksheet, item_id: int) -> models.QuerySet[Item]:
    filters: dict[str, Any] = {"pk": item_id}
    filters["stakeholder__worksheet" if kind.key == "role" else "worksheet"] = worksheet
    return kind.model._default_manager.filter(**filters)


def save_item(
    worksheet: Worksheet,
    kind: ItemKind,
    item_id: int,
    values: dict[str, Any],
    base_version: int,
    user: User,
    action: str = Change.Action.EDIT,
) -> Item:
    with transaction.atomic():
        lock_worksheet(worksheet)
        current = _locked(kind, worksheet, item_id).first()
        if current is None:
            raise Conflict(latest=None, reason="deleted")
        old = item_values(current, kind)
        if old == values:
            return current
        if current.version != base_version:
            raise Conflict(latest=current)
        now = timezone.now()
        rows = _locked(kind, worksheet, item_id)
        version = compare_and_set(rows, base_version, **values, updated_by=user, updated_at=now)
        if not version:
            raise Conflict(latest=_locked(kind, worksheet, item_id).first())
        # The row read above, with what was just written: not read back.
        saved = current
        for name, value in values.items():
            setattr(saved, name, value)
        saved.version, saved.updated_by, saved.updated_at = version, user, now
        _record(worksheet, user, kind.key, item_id, item_label(saved, kind), action, old, values)
    return saved


def delete_item(
    worksheet: Worksheet, kind: ItemKind, item_id: int, base_version: int, user: User
) -> None:
    """Delete an item unless it changed since the deleter last saw it."""
    with transaction.atomic():
        lock_worksheet(worksheet)
        current = _locked(kind, worksheet, item_id).first()
        if current is None:
            return  # already gone: the outcome the user asked for
        old: dict[str, Any] = dict(item_values(current, kind))
        if isinstance(current, StakeholderRole):  # kind.key == "role"
            old["_parent"] = current.stakeholder_id  # so that a restore knows where it belonged
        if isinstance(current, Stakeholder):
            # Its roles go with it (a cascade writes no history): keep their words here, read
            # inside this transaction, so a restore brings them back — even one added a moment ago.
            old["_roles"] = list(
                current.roles.order_by("position", "pk").values_list("role", flat=True)
            )
        label = item_label(current, kind)
        deleted, _ = _locked(kind, worksheet, item_id).filter(version=base_version).delete()
        if not deleted:
            raise Conflict(latest=current)
        _record(worksheet, user, kind.key, item_id, label, Change.Action.DELETE, old, {})


def move_item(
    worksheet: Worksheet, kind: ItemKind, item_id: int, base_version: int, step: int, user: User
) -> None:
    """Swap an item with its neighbour above (step=-1) or below (step=1).

    Both rows are compared and set; if either moved or changed meanwhile, nothing moves.
    Positions are unique per parent, so the item waits at position 0 (never a list's) while
    its neighbour takes its place.
    """
    with transaction.atomic():
        lock_worksheet(worksheet)
        item = _locked(kind, worksheet, item_id).first()
        if item is None:
            raise Conflict(latest=None, reason="deleted")
        if item.version != base_version:
            raise Conflict(latest=item)
        # By the parent's id: the parent itself need not be read.
        parent_id = f"{kind.parent}_id"
        siblings = kind.model._default_manager.filter(**{parent_id: getattr(item, parent_id)})
        if step < 0:
            neighbour = (
                siblings.filter(position__lt=item.position).order_by("-position", "-pk").first()
            )
        else:
            neighbour = (
                siblings.filter(position__gt=item.position).order_by("position", "pk").first()
            )
        if neighbour is None:
            return
        rows = kind.model._default_manager
        moved = [
            compare_and_set(rows.filter(pk=row.pk), row.version, position=position, updated_by=user)
            for row, position in [(item, 0), (neighbour, item.position)]
        ]
        if not all(moved):
            transaction.set_rollback(True)
            raise Conflict(latest=item)
        rows.filter(pk=item.pk).update(position=neighbour.position)
        _record(
            worksheet,
            user,
            kind.key,
            item_id,
            item_label(item, kind),
            Change.Action.MOVE,
            {"position": item.position},
            {"position": neighbour.position},
        )


def changes_since(worksheet: Worksheet, revision: int) -> models.QuerySet[Change]:
    return Change.objects.filter(worksheet=worksheet, revision__gt=revision).select_related("user")


def apply_template(worksheet: Worksheet, key: str, user: User) -> None:
    """Fill a new worksheet from one of the starting templates in worksheets/content.py."""
    from worksheets.content import WORKSHEET_TEMPLATES
    from worksheets.signals import template_applied

    template = WORKSHEET_TEMPLATES[key]
    with transaction.atomic():
        for field_key, text in template["fields"].items():
            if text:
                save_field(worksheet, field_key, text, 0, user)
        for stakeholder in template["stakeholders"]:
            parent = add_item(
                worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": stakeholder["name"]}, user
            )
            for role in stakeholder["roles"]:
                add_item(worksheet, ITEM_KINDS["role"], parent, {"role": role}, user)
        for flow in template["exchanges"]:
            for what in flow["items"]:
                values = {"from_party": flow["from"], "to_party": flow["to"], "what": what}
                add_item(worksheet, ITEM_KINDS["exchange"], worksheet, values, user)
        for risk in template["risks"]:
            values = {
                "description": risk["description"],
                "mitigation": risk.get("mitigation", ""),
                "owner": risk.get("owner", ""),
                "status": "open",
            }
            add_item(worksheet, ITEM_KINDS["risk"], worksheet, values, user)
        # KPIs live in the kpis app, which depends on this one: it listens for this signal.
        template_applied.send(sender=Worksheet, worksheet=worksheet, template=template, user=user)


class NotRestorable(Exception):
    """A change that cannot be undone; the message says why, in Japanese."""


def restore_change(worksheet: Worksheet, change: Change, user: User) -> None:
    """Put back what `change` replaced or removed, as a new change of its own."""
    kind = ITEM_KINDS.get(change.kind)
    if change.kind == "field":
        current = field_state(worksheet, change.key)
        save_field(
            worksheet,
            change.key,
            change.old.get("text", ""),
            current.version,
            user,
            action=Change.Action.RESTORE,
        )
    elif kind and change.action == Change.Action.EDIT and change.old:
        item = _locked(kind, worksheet, int(change.key)).first() if change.key.isdecimal() else None
        if item is None:
            raise NotRestorable("この項目はすでに削除されているため、復元できません。")
        values = {k: v for k, v in change.old.items() if k in kind.fields}
        save_item(worksheet, kind, item.pk, values, item.version, user, Change.Action.RESTORE)
    elif kind and change.action == Change.Action.DELETE:
        parent: Worksheet | Stakeholder = worksheet
        if kind.parent == "stakeholder":
            stakeholder = Stakeholder.objects.filter(
                worksheet=worksheet, pk=change.old.get("_parent") or 0
            ).first()
            if stakeholder is None:
                raise NotRestorable(
                    "元のステークホルダーが削除されているため、この役割は復元できません。"
                    "先にステークホルダーを復元してください。"
                )
            parent = stakeholder
        values = {k: v for k, v in change.old.items() if k in kind.fields}
        with transaction.atomic():
            restored = add_item(worksheet, kind, parent, values, user)
            for role in change.old.get("_roles", []):
                add_item(worksheet, ITEM_KINDS["role"], restored, {"role": role}, user)
    else:
        raise NotRestorable("この変更は復元の対象ではありません。")


def record_ownership_move(
    worksheet: Worksheet, by: User, departing: User, successor: User
) -> Change:
    """A move of ownership by an organisation administrator, in the worksheet's history.

    Call it in the transaction that changes the roles. Not restorable: roles are changed on the
    members page.
    """
    return _record(
        worksheet,
        by,
        "owner",
        departing.pk,
        "オーナー（組織の管理者による担当の移管）",
        Change.Action.EDIT,
        {"owner": departing.display_name},
        {"owner": successor.display_name},
    )


def record_copy(worksheet: Worksheet, source: Worksheet, user: User) -> Change:
    """The first line of a copied worksheet's history: 「〇〇から複製」.

    Call it in the copy's transaction, before anything is written into the copy.
    """
    return _record(
        worksheet,
        user,
        "copy",
        source.pk,
        f"「{source.title}」から複製"[:300],
        Change.Action.ADD,
        {},
        {"source": source.title},
    )


def record_archive(worksheet: Worksheet, user: User, archived: bool) -> Change:
    """An owner archived the project (read-only from then on) or restored it, in its history.

    Call it in the transaction that sets `archived_at`. Not restorable from the history page:
    the dashboard's button undoes it.
    """
    return _record(
        worksheet,
        user,
        "archive",
        worksheet.pk,
        "アーカイブ（閲覧のみにする）" if archived else "アーカイブから戻す",
        Change.Action.EDIT,
        {"archived": not archived},
        {"archived": archived},
    )
