"""Rendering documents: the report's data context, Russian filters, DOCX templates in a sandbox."""
