"""Model files: tagged JSON (``serialization``), the archive (``model_file``), and
:func:`skgan.load` (``loading``)."""
