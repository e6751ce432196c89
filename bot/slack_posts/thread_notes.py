"""The one-line notes told in a card's thread and in confirmations ("@ana extended …")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.text import mention, slack_date

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bot.services.domain import Role
    from bot.services.room_changes import Change


def people_text(user_ids: Iterable[str]) -> str:
    names = [mention(u) for u in user_ids]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def change_note(change: Change) -> str:
    """What happened, from the actor's point of view, for everybody in the thread."""
    who, after, before = mention(change.actor.user_id), change.after, change.before
    if change.action == "extended":
        return f"{who} extended the room until {slack_date(after.valid_until)}."
    if change.action == "rescheduled":
        return (
            f"{who} rescheduled the room: {slack_date(after.valid_from)} to "
            f"{slack_date(after.valid_until)}."
        )
    if change.action in {"pstn_enabled", "pstn_disabled"}:
        state = "on" if after.pstn_dial_out_enabled else "off"
        return f"{who} turned PSTN dial-out {state}."
    if change.action == "deleted":
        return f"{who} deleted the room."
    return _roster_note(who, change, {m.slack_user_id: m.role for m in before.members})


def _roster_note(who: str, change: Change, before: dict[str, Role]) -> str:
    after = {m.slack_user_id: m.role for m in change.after.members}
    added = [u for u in after if u not in before]
    gone = [u for u in before if u not in after]
    moved = [u for u in after if u in before and before[u] is not after[u]]
    parts = [f"added {people_text([u])} as {after[u].value}" for u in added]
    parts += [f"made {people_text([u])} {after[u].value}" for u in moved]
    if gone:
        parts.append(f"removed {people_text(gone)}")
    return f"{who} {'; '.join(parts)}." if parts else f"{who} left the roster as it was."
