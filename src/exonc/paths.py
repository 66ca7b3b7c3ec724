"""File paths built from data, kept inside their folder.

Whenever a path is made of identifiers that came from people or files — a study ID, an
uploaded file's name, a guide's slug — build it with :func:`inside`: it joins the parts
under *base*, resolves ``..`` and symbolic links, and refuses with :class:`UnsafePath`
anything that would end outside *base* (or that holds a NUL byte, or an absolute part).
Delete with :func:`remove_inside`, which refuses in the same way before removing a thing.

Study IDs are also checked against the protocol's pattern wherever participants are enrolled
(:mod:`exonc.protocol.study_ids`); this module is the second line, where the file is written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from exonc.errors import UnsafePath

__all__ = ["UnsafePath", "inside", "remove_inside"]


def inside(base: str | os.PathLike[str], *parts: str) -> Path:
    """``base / parts…`` resolved, refused unless it stays strictly under *base*."""
    root = Path(base).resolve()
    for part in parts:
        _check_part(part)
    target = root.joinpath(*parts).resolve()
    if target == root or not target.is_relative_to(root):
        raise UnsafePath(
            "would lead outside its folder",
            value=os.path.join(*parts) if parts else "",
            hint="use only letters, digits, hyphens and dots within a name",
        )
    return target


def remove_inside(base: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Remove *path* (a file, or a folder with everything in it) if it lies under *base*.

    A missing *path* is fine; one outside *base* (or *base* itself) is refused and left
    alone. A symbolic link is removed as a link, never followed.
    """
    root = Path(base).resolve()
    given = Path(path)
    resolved = given.parent.resolve() / given.name
    if resolved == root or not resolved.is_relative_to(root) or given.name in ("", ".", ".."):
        raise UnsafePath("is outside the folder it may be removed from", value=str(path))
    if resolved.is_symlink() or resolved.is_file():
        resolved.unlink(missing_ok=True)
    elif resolved.is_dir():
        shutil.rmtree(resolved, ignore_errors=True)


def _check_part(part: str) -> None:
    if not part or "\x00" in part or os.path.isabs(part):
        raise UnsafePath(
            "cannot be part of a file path",
            value=part,
            hint="use only letters, digits, hyphens and dots within a name",
        )
