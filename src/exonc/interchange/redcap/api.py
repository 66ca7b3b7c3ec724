"""Downloading a REDCap project through REDCap's API (``exonc redcap pull``).

Every request is an HTTP POST of form fields to the project's API URL (``…/api/``) with
the project's token, as REDCap's API documentation describes: ``content=metadata`` (the
data dictionary), ``content=event`` and ``content=formEventMapping`` (events and their
instruments), and ``content=record`` with ``type=flat``, ``rawOrLabel=raw``,
``rawOrLabelHeaders=raw`` and ``exportCheckboxLabel=false`` (one row per record and event,
coded values, checkbox options as ``name___code``). ``format=csv`` for the files,
``returnFormat=json`` so that an error comes back as ``{"error": "…"}`` with an HTTP status
of 400 (bad request), 401 (token missing or wrong), 403 (no API rights), 404, 406, 500 or
501. The client takes an :class:`httpx.Client`, so tests pass one whose transport answers
like REDCap (a stand-in, not a live REDCap server).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx

from exonc.errors import InterchangeError
from exonc.interchange.data_dir import write_csv, write_files
from exonc.interchange.redcap.dictionary import API_HEADER, DICTIONARY_HEADER
from exonc.interchange.redcap.project import (
    DESIGNATION_FILE,
    DICTIONARY_FILE,
    EVENTS_FILE,
    RECORDS_FILE,
)

__all__ = ["pull_project", "read_token"]

EXPORTS = {
    DICTIONARY_FILE: {"content": "metadata"},
    EVENTS_FILE: {"content": "event"},
    DESIGNATION_FILE: {"content": "formEventMapping"},
    RECORDS_FILE: {
        "content": "record",
        "type": "flat",
        "rawOrLabel": "raw",
        "rawOrLabelHeaders": "raw",
        "exportCheckboxLabel": "false",
    },
}


def read_token(path: Path) -> str:
    """The API token in *path* (one line; REDCap's tokens are 32 hexadecimal characters)."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InterchangeError("cannot be read", file=str(path), hint=str(exc)) from exc
    if len(token) != 32 or any(c not in "0123456789abcdefABCDEF" for c in token):
        raise InterchangeError(
            "does not hold a REDCap API token (32 hexadecimal characters)", file=str(path)
        )
    return token


def pull_project(client: httpx.Client, url: str, token: str, out: Path) -> dict[str, int]:
    """Download the project's four files into *out* (all or nothing); rows per file."""
    texts = {name: _export(client, url, token, form) for name, form in EXPORTS.items()}
    counts: dict[str, int] = {}

    def write(staging: Path) -> None:
        for name, text in texts.items():
            header, *rows = list(csv.reader(io.StringIO(text)))
            if name == DICTIONARY_FILE and tuple(header) == API_HEADER:
                header = list(DICTIONARY_HEADER)  # the same columns under REDCap's own names
            write_csv(staging / name, header, rows)
            counts[name] = len(rows)

    write_files(out, write)
    return counts


def _export(client: httpx.Client, url: str, token: str, fields: dict[str, str]) -> str:
    data = {"token": token, "format": "csv", "returnFormat": "json", **fields}
    try:
        answer = client.post(url, data=data)
    except httpx.HTTPError as exc:
        raise InterchangeError(f"REDCap could not be reached ({exc})", value=url) from None
    if answer.status_code != 200:
        content = fields["content"]
        raise InterchangeError(
            f"REDCap answered {answer.status_code} to content={content}: {_error(answer)}",
            value=url,
            hint="check the URL (it ends in /api/), the token and your API export rights",
        )
    return answer.text


def _error(answer: httpx.Response) -> str:
    try:
        message = json.loads(answer.text).get("error")
    except (ValueError, AttributeError):
        message = None
    return str(message) if message else answer.reason_phrase
