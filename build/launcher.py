"""Entry point of the packaged executable: the same command line as `python -m r3izzy_desktop`."""

import sys

from r3izzy_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
