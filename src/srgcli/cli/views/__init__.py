"""Rendering shared by several commands: tables, gate issues, the ticket list."""
