"""``python -m playground`` runs the same command as ``nn-playground``."""

import sys

from playground.cli import main

sys.exit(main())
