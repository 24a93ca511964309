"""lineage: trace how policy text travels between Chinese government documents."""

__version__ = "0.1.0"
