"""skgan's version, in a module that imports nothing (``skgan --version``)."""

__version__ = "0.1.0.dev0"
