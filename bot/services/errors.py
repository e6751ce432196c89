"""Domain errors. Each carries a message a Slack user can act on; the edge shows it as is."""

from __future__ import annotations


class RoomBotError(Exception):
    """Base of every error the app expects and explains to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(RoomBotError):
    """The request itself is malformed (bad time, unknown role, ...). `field` names the input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WindowInvalid(InvalidInput):
    """The validity window breaks an ACS rule; `rule` says which one."""

    TOO_LONG = "too_long"  # more than 180 days, or end before start
    END_IN_PAST = "end_in_past"
    START_TOO_FAR = "start_too_far"  # start more than 180 days ahead

    def __init__(self, message: str, *, rule: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.rule = rule


class ParticipantInvalid(InvalidInput):
    """A participant id or role was refused."""


class RoomNotFound(RoomBotError):
    """The room does not exist (in this workspace, or in ACS any more)."""


class AccessDenied(RoomBotError):
    """The user may not do this; the message says who can, `ask` names a person to ask."""

    def __init__(self, message: str, *, ask: str | None = None) -> None:
        super().__init__(message)
        self.ask = ask


class AcsUnavailable(RoomBotError):
    """ACS could not give an answer now; retrying later may work."""


class Throttled(AcsUnavailable):
    """ACS is rate limiting us."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnreachable(AcsUnavailable):
    """ACS did not answer (network, DNS, TLS, timeout, or repeated 5xx)."""


class CredentialsRejected(RoomBotError):
    """ACS refused our credentials: an operator must fix the connection string."""


class AcsRequestFailed(RoomBotError):
    """ACS refused the request for a reason not covered above."""


class ConfigurationError(RoomBotError):
    """A setting is missing or malformed."""


class StoreUnavailable(RoomBotError):
    """RoomBot's own database could not be reached; nothing was changed."""


class RoomBusy(RoomBotError):
    """Other changes to the room held it longer than a change may wait for its turn."""


class ChangedSince(RoomBotError):
    """A button acted on a room state that is no longer the room's."""
