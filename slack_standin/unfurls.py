"""App unfurls: which links of a message Slack shares with the app, and what it attached.

Slack stores the links of a message as `<url>` or `<url|label>` and sends the app a
`link_shared` event for those on its unfurl domains; a subdomain matches, and the event's
`domain` is the registered one (Slack's link_shared reference: a link to
`yet.another-example.com` arrives with domain `another-example.com`). Each distinct link is
sent once, in text order; Slack documents no cap on links per event, so the stand-in sets none.
Unfurls the app attaches (chat.unfurl) show as attachments of the message, as in
conversations.history: `is_app_unfurl`, `app_unfurl_url`, and the unfurl's own fields.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

Json = dict[str, Any]
SOURCE = "conversations_history"  # a sent message; `composer` links are not modelled
_LINK = re.compile(r"<(https?://[^|<>\s]+)(?:\|[^<>]*)?>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def links_in(text: str, domains: Iterable[str]) -> list[Json]:
    """The `links` of a link_shared event for a message with `text` (as Slack stores it)."""
    found: list[Json] = []
    registered = [d.lower() for d in domains]
    for match in _LINK.finditer(text):
        url = _unescaped(match.group(1))
        domain = matching_domain(url, registered)
        if domain is not None and url not in (link["url"] for link in found):
            found.append({"domain": domain, "url": url})
    return found


def matching_domain(url: str, domains: Iterable[str]) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


@dataclass
class Share:
    """One message's links, as sent to the app in link_shared."""

    channel: str
    message_ts: str
    links: list[Json]
    is_bot_user_member: bool
    thread_ts: str | None = None
    unfurl_id: str = field(init=False)

    def __post_init__(self) -> None:
        # Slack's unfurl_id: "C123456.123456789.987501.<64 hex digits>".
        digest = hashlib.sha256(f"{self.channel}/{self.message_ts}".encode()).hexdigest()
        self.unfurl_id = f"{self.channel}.{self.message_ts}.{digest}"

    @property
    def urls(self) -> list[str]:
        return [str(link["url"]) for link in self.links]

    def event(self, user_id: str) -> Json:
        event: Json = {"type": "link_shared", "channel": self.channel, "user": user_id}
        event |= {"message_ts": self.message_ts, "unfurl_id": self.unfurl_id, "source": SOURCE}
        if self.thread_ts:
            event["thread_ts"] = self.thread_ts
        return event | {
            "links": copy.deepcopy(self.links),
            "is_bot_user_member": self.is_bot_user_member,
        }


class Unfurls:
    """Shared links per message, and the unfurls attached to them (url → unfurl)."""

    def __init__(self) -> None:
        self._shares: dict[tuple[str, str], Share] = {}
        self._attached: dict[tuple[str, str], dict[str, Json]] = {}

    def share(self, share: Share) -> Share:
        """Record a link_shared; sharing again for the same message adds the new links."""
        known = self._shares.get((share.channel, share.message_ts))
        if known is not None:
            known.links += [link for link in share.links if link["url"] not in known.urls]
            return known
        self._shares[(share.channel, share.message_ts)] = share
        return share

    def find(self, channel: str, ts: str) -> Share | None:
        return self._shares.get((channel, ts))

    def by_unfurl_id(self, unfurl_id: str) -> Share | None:
        return next((s for s in self._shares.values() if s.unfurl_id == unfurl_id), None)

    def attach(self, share: Share, unfurls: Mapping[str, Json]) -> None:
        """Later calls for the same message change the same unfurls, as Slack's do."""
        key = (share.channel, share.message_ts)
        self._attached.setdefault(key, {}).update(copy.deepcopy(dict(unfurls)))

    def attached(self, channel: str, ts: str) -> dict[str, Json]:
        return copy.deepcopy(self._attached.get((channel, ts), {}))

    def decorated(self, channel: str, message: Json) -> Json:
        """`message` with its app unfurls as attachments, as conversations.history shows them."""
        unfurls = self._attached.get((channel, str(message.get("ts"))))
        if not unfurls:
            return message
        shown = [
            {"id": index, "app_unfurl_url": url, "is_app_unfurl": True, **copy.deepcopy(unfurl)}
            for index, (url, unfurl) in enumerate(unfurls.items(), start=1)
        ]
        return {**message, "attachments": [*(message.get("attachments") or []), *shown]}

    def clear(self) -> None:
        self._shares.clear()
        self._attached.clear()


def _unescaped(url: str) -> str:
    for entity, character in _ENTITIES:
        url = url.replace(entity, character)
    return url
