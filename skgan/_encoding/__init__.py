"""Data to the numbers a GAN learns from, and exactly back.

``columns``: the input checks every table passes; ``codecs``: one column to
numbers and back; ``tabular``: :class:`~skgan.TabularEncoder`, a table of
codecs; ``image``: :class:`~skgan.ImageScaler` and the layout of images.
"""
