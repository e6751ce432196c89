"""A seeded mix of `/room` commands, played by groups of people, and what counts as an answer.

Each group (an organizer, two invitees and an outsider) works on its own rooms, one command at
a time; groups run side by side. A command "ends clearly" when everything RoomBot told the
person privately is one of the app's own answers: a success, or a domain error's message.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field

from bot.listeners.guard import SORRY
from slack_standin import Workspace
from slack_standin.workspace import Channel, User
from tests.support.slack_stack import Stack

# What a finished command may say. Successes first, then every domain error a command in the
# mix can meet (ACS faults, access rules, rooms that are gone, ACS validation).
SUCCESSES = (
    r"^Room #\d+ is ready \(ACS room ID `[^`]+`\)\.",
    r"^(Your rooms|All rooms in this workspace)",
    r"^Delete room #\d+\?$",
    r"^<@\w+> weren't in room #\d+\.$",
    r"^Room #\d+: ",  # a room card shown privately (show), or a change confirmed
)
DOMAIN_ERRORS = (
    r"^RoomBot could not reach ACS at \S+: it kept failing \(HTTP 50[03]\) after retries\. ",
    r"^ACS is rate limiting RoomBot right now\. Try again (in \d+ s|soon)\.$",
    r"^Only the organizer or a RoomBot admin can ",
    r"^Only the organizer or a RoomBot admin \(or a Presenter, ",
    r"^I can't find room #\d+ in this workspace\.$",
    r"^Room #\d+ was deleted\.$",
    r"^ACS has no room \S+; it was deleted or has expired\.$",
)
_ANSWERS = [re.compile(p) for p in (*SUCCESSES, *DOMAIN_ERRORS)]
_FAILED = [re.compile(p) for p in DOMAIN_ERRORS]


def is_clear(text: str) -> bool:
    """One of the app's own answers; never empty, never the generic apology or a traceback."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    if not text.strip() or text == SORRY or "Traceback" in text:
        return False
    return any(pattern.search(text) for pattern in _ANSWERS)


def is_failure(text: str) -> bool:
    return any(pattern.search(text) for pattern in _FAILED)


@dataclass
class Group:
    index: int
    stack: Stack
    rng: random.Random
    rooms: list[int] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, str, str, str]:
        n = self.index
        return f"own{n}", f"inva{n}", f"invb{n}", f"out{n}"


@dataclass
class Outcome:
    command: str
    user: str
    seconds: float
    said: list[str]


def add_group(workspace: Workspace, index: int) -> None:
    """Four more people, and a channel of their own: RoomBot paces posts to one channel at
    Slack's one per second, so groups sharing a channel would wait on each other's cards."""
    channel = Channel(f"C0G{index:03d}", f"g{index}", [workspace.bot_user_id])
    for role in ("own", "inva", "invb", "out"):
        user = User(_user_id(role, index), f"{role}{index}", f"{role.title()} {index}", tz="UTC")
        user.tz_label, user.tz_offset = "Coordinated Universal Time", 0
        workspace.users[user.id] = user
        channel.members.append(user.id)
    workspace.channels[channel.id] = channel


def _user_id(role: str, index: int) -> str:
    return f"U07{role.upper()}{index:03d}"


def play_one(group: Group, step: int) -> Outcome:
    user, command = _next_command(group, step)
    before = len(group.stack.replies(user))
    started = time.perf_counter()
    if command.startswith(":press "):
        group.stack.press(command.removeprefix(":press "), user=user)
    else:
        group.stack.run(command, user=user, channel=f"g{group.index}")
    seconds = time.perf_counter() - started
    said = group.stack.replies(user)[before:]
    confirm = next((t for t in said if re.match(r"^Delete room #\d+\?$", t)), None)
    if confirm is not None:  # answer the confirmation as a person would: press Delete
        started = time.perf_counter()
        said += _press_delete(group, int(confirm.split("#")[1].rstrip("?")))
        seconds = max(seconds, time.perf_counter() - started)
    _learn(group, said)
    return Outcome(command, user, seconds, said)


def _next_command(group: Group, step: int) -> tuple[str, str]:
    own, inva, invb, out = group.names
    a, b = (f"<@{_user_id(r, group.index)}>" for r in ("inva", "invb"))
    rng = group.rng
    if not group.rooms or rng.random() < 0.12:
        pstn = " pstn" if rng.random() < 0.3 else ""
        return own, f"/room create G{group.index}n{step} for 2h {a} as presenter {b}{pstn}"
    room = rng.choice(group.rooms)
    if group.gone and rng.random() < 0.03:
        room = rng.choice(group.gone)
    choices = [
        (own, f"/room show #{room}"),
        (own, "/room list"),
        (inva, "/room list all"),
        (own, f"/room extend #{room} by 30m"),
        (own, f"/room reschedule #{room} from tomorrow {rng.randrange(8, 18)}:00 for 2h"),
        (own, f"/room pstn #{room} {rng.choice(['on', 'off'])}"),
        (own, f"/room invite #{room} {a} as {rng.choice(['consumer', 'attendee'])}"),
        (own, f"/room role #{room} {b} {rng.choice(['collaborator', 'presenter'])}"),
        (own, f"/room remove #{room} {a}"),
        (inva if rng.random() < 0.5 else invb, f"/room invite #{room} {a} as attendee"),
        (out, f"/room extend #{room} by 1h"),
        (out, f"/room pstn #{room} on"),
        (out, f"/room delete #{room}"),
        (own, f"/room delete #{room}"),
    ]
    return rng.choice(choices)


def _learn(group: Group, said: list[str]) -> None:
    """Follow the group's rooms: new ones from creations, and deletions confirmed."""
    for text in said:
        made = re.match(r"^Room #(\d+) is ready", text)
        if made and int(made.group(1)) not in group.rooms:
            group.rooms.append(int(made.group(1)))
        deleted = re.match(r"^Room #(\d+): <@\w+> deleted the room\.$", text)
        if deleted and int(deleted.group(1)) in group.rooms:
            group.rooms.remove(int(deleted.group(1)))
            group.gone.append(int(deleted.group(1)))


def _press_delete(group: Group, number: int) -> list[str]:
    own = group.names[0]
    before = len(group.stack.replies(own))
    group.stack.press("Delete", number, user=own)
    return group.stack.replies(own)[before:]
