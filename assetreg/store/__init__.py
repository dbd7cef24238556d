"""The registry on disk. One module per mechanism (compare git's object-file.c, refs/, lockfile.c):

- `layout`: the file's line layout, each table parsed when first asked for, checksums in the meta record;
- `atomic`: writing a file so that a crash leaves the old or the new one;
- `journal`: the hash-chained change log beside the registry;
- `backups`: the versions a write replaced;
- `queue`: the writers' queue and lock;
- `session`: one command's open registry, tying the others together.

The names below are what the rest of assetreg may use.
"""

from assetreg.store.atomic import atomic_write, atomic_write_all, output_failed
from assetreg.store.backups import backup_dir, backups
from assetreg.store.journal import head_text, journal_file, journal_path, log_head, os_user, pending_entry, read_journal
from assetreg.store.layout import META, SCHEMA_VERSION, Tables, load_tables, read_raw, read_records
from assetreg.store.queue import locked
from assetreg.store.session import RegistryStorage, Session, create_registry, open_registry

__all__ = [
    "META",
    "SCHEMA_VERSION",
    "RegistryStorage",
    "Session",
    "Tables",
    "atomic_write",
    "atomic_write_all",
    "backup_dir",
    "backups",
    "create_registry",
    "head_text",
    "journal_file",
    "journal_path",
    "load_tables",
    "locked",
    "log_head",
    "open_registry",
    "os_user",
    "output_failed",
    "pending_entry",
    "read_journal",
    "read_raw",
    "read_records",
]
