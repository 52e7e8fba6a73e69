"""Local photo storage whose files appear whole or not at all.

Django's FileSystemStorage writes straight into the final name, so a crash or a full disk
mid-write leaves a truncated photo under a real name. Here the bytes go to a temporary file
in the same folder, are flushed to disk, and are then linked to the final name (which, like
O_EXCL, fails if the name was taken meanwhile, so no file is ever overwritten); the temporary
name is removed either way. Rows reference the name only after it exists in full.
"""

from __future__ import annotations

import os
import tempfile

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        while True:
            handle, temporary = tempfile.mkstemp(prefix=".part-", dir=directory)
            try:
                with os.fdopen(handle, "wb") as out:
                    if hasattr(content, "chunks"):
                        for chunk in content.chunks():
                            out.write(chunk)
                    else:
                        out.write(content.read())
                    out.flush()
                    os.fsync(out.fileno())
                if self.file_permissions_mode is not None:
                    os.chmod(temporary, self.file_permissions_mode)
                try:
                    os.link(temporary, full_path)  # atomic, and refuses an existing name
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                    continue
                return str(name).replace("\\", "/")
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
