"""The executor's own paperwork: the monthly act to the Customer, payments, receipts, income."""
