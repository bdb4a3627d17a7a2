"""``python -m skgan``: the skgan command line; ``python -m skgan --help`` lists it."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
