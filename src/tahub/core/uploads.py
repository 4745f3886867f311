"""Checking uploaded documents, for every app that stores attachments.

A file is judged by its content (its first bytes), never by its name or the type the browser
declares; the name it is stored under is chosen by the server, and the name people see is
reduced to a plain file name (no folders, no control characters).
"""

import re
import secrets
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an attachment may be, judged by its content: extension → content type.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def display_name(name, extension):
    """The name people see: the last part of ``name`` whatever the separators, without control or
    reserved characters or leading dots; ``attachment.<extension>`` when nothing is left."""
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = UNSAFE_IN_NAMES.sub("", last).strip().lstrip(".").strip()
    if not cleaned:
        return f"attachment.{extension}"
    stem, suffix = PurePosixPath(cleaned).stem, PurePosixPath(cleaned).suffix
    return f"{stem[: 200 - len(suffix)]}{suffix}"


def check_document(upload, *, max_bytes=MAX_ATTACHMENT_BYTES):
    """``(data, extension, content_type)`` of an uploaded document, or ValidationError.

    Refused: a name with folder parts (``../``, ``\\``) or control characters; more than
    ``max_bytes``; content that is not one of ``DOCUMENT_TYPES``; a name whose extension says
    something else than the content.
    """
    name = upload.name or ""
    if re.search(r"[\\/\x00-\x1f\x7f]", name) or not name.strip(". "):
        raise ValidationError(
            _("The file's name has folder parts or hidden characters; rename it (for example “report.pdf”) "
              "and attach it again.")
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)})
    kind = filetype.guess(data)
    declared = PurePosixPath(re.split(r"[\\/]", upload.name or "")[-1]).suffix.lower().lstrip(".")
    declared = "jpg" if declared == "jpeg" else declared
    if kind is None or kind.extension not in DOCUMENT_TYPES or (declared and declared != kind.extension):
        raise ValidationError(
            _("Attach a PDF, Word, Excel or PowerPoint file, or a PNG or JPEG image; this file is not one "
              "(its content does not match what its name says).")
        )
    return data, kind.extension, DOCUMENT_TYPES[kind.extension]


def new_token():
    """A random name for a stored file."""
    return secrets.token_hex(16)
