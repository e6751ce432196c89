"""The console's own verbs: what a person would do in Slack besides typing a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.console.steps import demo_channel, demo_user, post_message, run_step

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.console.session import ConsoleSession

HELP = """\
Type what you would type in Slack, e.g.  /room create Standup tomorrow 9am for 15m @ben
Console verbs:
  :as NAME                  act as another demo user (ana, ben, cho, dev, eve)
  :in CHANNEL               type in another channel (general, design)
  :press LABEL [#N]         press a button (e.g. ":press Extend +1d #1", ":press Delete #1")
  :submit field=value ...   submit the open form (e.g. :submit title="Retro" start="fri 10am"
                            duration=1h attendees=ben,cho channel=design pstn=on)
  :home                     open your RoomBot App Home
  :shortcut                 use the "Create room" shortcut
  :step NAME field=value …  run a Workflow Builder step (create, invite, extend, delete), e.g.
                            :step create title="Standup" duration=15m attendees=ben,cho
                            :step extend room=#1 duration=30m    :step delete room=#1
  :post TEXT                post a message as you (a line with a link is posted as one too);
                            RoomBot's join links in it unfurl into the room's compact card
  :users                    list the demo users and channels
  :help                     this text;  :quit (or end of input) leaves"""


def _as(session: ConsoleSession, rest: str) -> None:
    session.user = demo_user(session, rest)
    print(f"(console) you are now @{session.workspace.users[session.user].name}")


def _in(session: ConsoleSession, rest: str) -> None:
    session.channel = demo_channel(session, rest)
    print(f"(console) you are now in #{session.workspace.channels[session.channel].name}")


def _home(session: ConsoleSession, rest: str) -> None:
    event = {
        "type": "app_home_opened",
        "user": session.user,
        "tab": "home",
        "channel": session.workspace.open_dm(session.user).id,
    }
    session.transcript.ack(session.slack.event(event))


def _shortcut(session: ConsoleSession, rest: str) -> None:
    response = session.slack.shortcut(
        user_id=session.user,
        callback_id="create_room_shortcut",
        trigger_id=session.standin.new_trigger_id(session.user),
    )
    session.transcript.ack(response)


def _users(session: ConsoleSession, rest: str) -> None:
    for user in session.workspace.humans():
        admin = "  (admin)" if user.is_admin else ""
        print(f"  @{user.name:<6} {user.real_name:<22} {user.tz}{admin}")
    for channel in session.workspace.channels.values():
        if not channel.is_im:
            print(f"  #{channel.name}")


VERBS: dict[str, Callable[[ConsoleSession, str], None]] = {
    ":as": _as,
    ":in": _in,
    ":press": lambda session, rest: session.press(rest),
    ":submit": lambda session, rest: session.submit(rest),
    ":home": _home,
    ":shortcut": _shortcut,
    ":step": run_step,
    ":post": post_message,
    ":users": _users,
    ":help": lambda session, rest: print(HELP),
}
