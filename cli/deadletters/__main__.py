"""python -m cli.deadletters: see cli/deadletters/__init__.py."""

import sys

from cli.deadletters.command import main

sys.exit(main())
