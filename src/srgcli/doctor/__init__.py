"""`srgcli doctor`, `backup` and `restore`: check a workspace, copy it whole, bring it back."""

from srgcli.doctor.checks import Check, run_checks

__all__ = ["Check", "run_checks"]
