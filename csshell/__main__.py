"""``python -m csshell`` runs the command line."""
import sys

from csshell.cli import main

sys.exit(main())
