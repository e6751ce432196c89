"""`python -m acs_emulator`."""

import sys

from acs_emulator.cli import main

if __name__ == "__main__":
    sys.exit(main())
