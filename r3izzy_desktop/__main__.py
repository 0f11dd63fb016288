import sys

from r3izzy_desktop.cli import main

sys.exit(main())
