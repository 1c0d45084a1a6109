"""Where tickets come from: export files and the ИС API."""
