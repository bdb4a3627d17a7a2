"""The ``skgan`` command line: ``parser`` (arguments, errors, exit codes),
``commands`` (fit, sample, resample, evaluate), ``tables`` (CSV and Parquet)
and ``demo``."""

from .parser import main

__all__ = ["main"]
