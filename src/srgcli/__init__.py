"""srgcli: the executor's toolkit for handling client complaints about appraisal services."""

__version__ = "0.1.0"
