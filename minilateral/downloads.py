"""The Content-Disposition of a download named after what the official called it."""

import re
import unicodedata
from urllib.parse import quote

# Characters no file system or browser keeps in a file name (a "/" would make the name a path,
# and a browser keeps only what follows it): each becomes a hyphen.
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(title, extension):
    """`title.extension` with every character a file name cannot hold replaced, so that the
    whole title survives: "OECD/UN brief" becomes "OECD-UN brief.csv"."""
    name = " ".join(UNSAFE.sub("-", title).split()).strip(" .-")[:150] or "download"
    return f"{name}.{extension}"


def attachment_disposition(title, extension):
    """An attachment header with the name in UTF-8 (RFC 6266 and RFC 5987, filename*) and an
    ASCII look-alike for the rare client that reads only filename."""
    name = download_name(title, extension)
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = fallback.replace("%", "-") or f"download.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
