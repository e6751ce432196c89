"""A local Azure Communication Services Rooms + Identity data-plane emulator.

The unmodified official SDKs talk to it with only the connection string changed. It also
carries a small calling surface for the join page's demo adapter and plays Event Grid calling
events to a webhook. Stand-alone: stdlib and `cryptography` only; nothing here imports the bot
or its storage.
"""

from acs_emulator.server import EmulatedRoom, EmulatorConfig, RunningEmulator, start_emulator

__all__ = ["EmulatedRoom", "EmulatorConfig", "RunningEmulator", "start_emulator"]
