"""RoomBot's SQL store: SQLModel tables, engine and sessions, repositories, migrations.

Nothing here imports the bot, the ACS emulator, Slack or Azure packages, and importing a
module never touches the database.
"""
