"""The command-line interface: one module per command group, each only parses and renders."""
