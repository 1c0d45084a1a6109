"""The gate: spelling, grammar, style and etiquette checks that outgoing texts must pass."""
