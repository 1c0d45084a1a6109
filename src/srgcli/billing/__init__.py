"""The executor's own paperwork: the monthly act to the Customer, payments, receipts, income."""

from srgcli.billing.act import ActOutcome, find_act, issue_act
from srgcli.billing.income import IncomeSummary, income_summary
from srgcli.billing.payments import add_payment, add_receipt

__all__ = [
    "ActOutcome",
    "IncomeSummary",
    "add_payment",
    "add_receipt",
    "find_act",
    "income_summary",
    "issue_act",
]
