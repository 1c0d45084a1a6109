"""The workspace: its folder, config and database; all the SQL of srgcli lives in this package."""

from srgcli.workspace.config import CONFIG_NAME, Config, load_config
from srgcli.workspace.db import DB_NAME, transaction
from srgcli.workspace.folder import (
    ENV_VAR,
    Workspace,
    create_workspace,
    find_root,
    open_workspace,
)

__all__ = [
    "CONFIG_NAME",
    "DB_NAME",
    "ENV_VAR",
    "Config",
    "Workspace",
    "create_workspace",
    "find_root",
    "load_config",
    "open_workspace",
    "transaction",
]
