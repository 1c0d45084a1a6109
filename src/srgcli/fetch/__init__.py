"""`srgcli fetch`: tickets and order histories from export files or the ИС into the workspace."""

from srgcli.fetch.batch import import_files, import_readers, run_batch
from srgcli.fetch.files import BrokenSource, Reader, SourceRecord, open_source
from srgcli.fetch.importer import CHUNK, Importer
from srgcli.fetch.remote import fetch_from_is
from srgcli.fetch.summary import Conflict, FetchSummary, FetchWarning, Rejection, summary_json

__all__ = [
    "CHUNK",
    "BrokenSource",
    "Conflict",
    "FetchSummary",
    "FetchWarning",
    "Importer",
    "Reader",
    "Rejection",
    "SourceRecord",
    "fetch_from_is",
    "import_files",
    "import_readers",
    "open_source",
    "run_batch",
    "summary_json",
]
