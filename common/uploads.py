"""Files of a multipart body counted and size-checked while they stream in.

Django's parser reads every file of a body to the end (into memory or a temporary file) before
a view can count them or look at their sizes: twenty 25 MB files cost a worker all their bytes
before the "at most 5 photos" rule ran. This handler, first in `request.upload_handlers`,
stops the parse at the first file past its field's count and at the first chunk past its
size, so a refused upload costs at most one file's limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from common.validation import FieldErrors

FILE_NAME_SHOWN = 80  # a file name quoted in a message is cut here


@dataclass(frozen=True)
class FileLimit:
    """At most `count` files of at most `max_bytes` each under one field name.

    The messages come from the domain that owns the field (a photo's wording is not a clip's):
    `too_many(n)` for the n-th file, one past the count; `too_large(name)` for a file that
    went past `max_bytes` (its full size is unknown: it was not read to the end)."""

    count: int
    max_bytes: int
    too_many: Callable[[int], str]
    too_large: Callable[[str], str]


@dataclass(frozen=True)
class UploadLimits:
    """The file fields an endpoint takes, and how much text may come with them."""

    files: dict[str, FileLimit]
    fields_bytes: int = 64 * 1024
    part_overhead: int = field(default=1024, repr=False)  # boundary and headers of one part

    @property
    def body_bytes(self) -> int:
        """The largest body these limits allow: the Content-Length check before reading."""
        files = sum(f.count * (f.max_bytes + self.part_overhead) for f in self.files.values())
        return files + self.fields_bytes


class UploadRefused(FieldErrors):
    """A file refused while streaming: a 400 naming its field, like any FieldErrors."""


class StreamingLimitHandler(FileUploadHandler):
    """Counts files per field and bytes per file as the parser hands them over; passes every
    chunk on unchanged to the next handler (memory or temporary file) while within limits."""

    def __init__(self, request, limits: UploadLimits) -> None:
        super().__init__(request)
        self.limits = limits
        self.counts: Counter[str] = Counter()
        self.current: FileLimit | None = None
        self.received = 0

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        limit = self.limits.files.get(field_name)
        if limit is None:
            fields = ", ".join(sorted(self.limits.files))
            # The client's field name is not repeated: only the ones that take files.
            message = _("Chỉ nhận tệp ở các trường: %(fields)s.") % {"fields": fields}
            raise UploadRefused({"non_field_errors": [message]})
        self.counts[field_name] += 1
        if self.counts[field_name] > limit.count:
            # Before a byte of it is read; the files before it are closed by the parser.
            raise UploadRefused({field_name: [limit.too_many(self.counts[field_name])]})
        self.current, self.received = limit, 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.current is not None and self.received > self.current.max_bytes:
            name = (self.file_name or "").strip()[:FILE_NAME_SHOWN]
            # The other handlers hold this file's first chunks: they drop them (a temporary
            # file is deleted), and the rest of the body is never read.
            for handler in getattr(self.request, "upload_handlers", ()):
                if handler is not self:
                    handler.upload_interrupted()
            raise UploadRefused({self.field_name: [self.current.too_large(name)]})
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
