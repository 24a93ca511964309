"""Why an input was not read, and what reading and parsing a document noted, shown in the interface language.

The reader writes its reasons in English: the JSON contract's ``skipped[].reason`` stays so.
The CLI's one-line messages and the report's list of inputs not read show them translated
where they are one of these phrases or patterns; the rest (an operating system's own
error text inside "cannot read: ...") is shown as written.
"""

from __future__ import annotations

import re

from lineage.i18n import N_, Phrasebook, message_pattern

PHRASES = (
    N_("no such file or directory"),
    N_("symlink loop"),
    N_("not a regular file"),
    N_("empty file"),
    N_("empty: only whitespace"),
    N_("empty: no text after decoding"),
    N_("binary: contains NUL bytes"),
    N_("undecodable: decodes as GB18030 only to control characters"),
    # lineage.ingest.read's _MAGIC
    N_("binary: a PDF file"),
    N_("binary: a PNG image"),
    N_("binary: a JPEG image"),
    N_("binary: a GIF image"),
    N_("binary: a ZIP archive (docx/xlsx?)"),
    N_("binary: an OLE2 file (doc/xls?)"),
    N_("binary: a gzip archive"),
    N_("binary: an SQLite database"),
    N_("binary: an ELF binary"),
    N_("binary: an RTF file"),
)

PATTERNS = (
    (
        re.compile(r"undecodable: (?P<encoding>\S+) BOM but invalid (?P=encoding) at byte (?P<byte>\d+)"),
        N_("undecodable: %(encoding)s BOM but invalid %(encoding)s at byte %(byte)s"),
    ),
    (
        re.compile(
            r"undecodable: not UTF-8 \(bad byte at (?P<utf8>\d+)\), GB18030 \(bad byte at (?P<gb>\d+)\) nor Big5"
        ),
        N_("undecodable: not UTF-8 (bad byte at %(utf8)s), GB18030 (bad byte at %(gb)s) nor Big5"),
    ),
    (
        re.compile(r"too large: (?P<size>[\d,]+) bytes \(limit (?P<limit>[\d,]+); see --max-size\)"),
        N_("too large: %(size)s bytes (limit %(limit)s; see --max-size)"),
    ),
    (
        re.compile(r"too large: more than (?P<limit>[\d,]+) bytes \(limit; see --max-size\)"),
        N_("too large: more than %(limit)s bytes (limit; see --max-size)"),
    ),
    (
        re.compile(r"unsupported file type '(?P<suffix>[^']*)' \(expected \.txt or \.html\)"),
        N_("unsupported file type '%(suffix)s' (expected .txt or .html)"),
    ),
    (
        re.compile(r"binary: (?P<share>\d+%) of its characters are control or private-use characters"),
        N_("binary: %(share)s of its characters are control or private-use characters"),
    ),
    (re.compile(r"cannot read: (?P<why>.*)"), N_("cannot read: %(why)s")),
    (re.compile(r"cannot read folder: (?P<why>.*)"), N_("cannot read folder: %(why)s")),
    (re.compile(r"broken symlink \(to (?P<target>.*)\)"), N_("broken symlink (to %(target)s)")),
    (re.compile(r"symlink loop: points back to (?P<folder>.*)"), N_("symlink loop: points back to %(folder)s")),
    (
        re.compile(r"symlink to a folder already read as (?P<folder>.*)"),
        N_("symlink to a folder already read as %(folder)s"),
    ),
    (re.compile(r"internal error: (?P<error>.*)"), N_("internal error: %(error)s")),
    (re.compile(r"internal error while parsing: (?P<error>.*)"), N_("internal error while parsing: %(error)s")),
)

reason_text = Phrasebook(PHRASES, PATTERNS)
"""A reason the reader gave, in the current language."""


# What reading and parsing note on a document (Document.warnings, stored in English)
WARNING_PHRASES = (
    N_("no body text found"),
    N_(
        "reading: Big5 (traditional Chinese): lineage's rules and comparisons are written for simplified "
        "Chinese, so titles, dates, parts and text shared with simplified documents may be missed"
    ),
)
# Each note's message, read back from the note it made (see _pattern)
WARNING_MESSAGES = (
    N_("hard-wrapped at %(width)s characters; lines re-joined"),
    N_(
        "reading: the file ends in the middle of a character: its last %(n)s byte (%(hex)s, an incomplete "
        "%(encoding)s character) was not read"
    ),
    N_(
        "reading: the file ends in the middle of a character: its last %(n)s bytes (%(hex)s, an incomplete "
        "%(encoding)s character) were not read"
    ),
    N_(
        "reading: the file starts in the middle of a character: its first %(n)s byte (%(hex)s, part of a "
        "UTF-8 character) was not read"
    ),
    N_(
        "reading: the file starts in the middle of a character: its first %(n)s bytes (%(hex)s, part of a "
        "UTF-8 character) were not read"
    ),
    N_("reading: UTF-16 without a byte-order mark; its text reads as %(encoding)s"),
    N_(
        "reading: decoded as GB18030, but only %(share)s of its non-ASCII characters read as Chinese text: "
        "the encoding may be another one"
    ),
    N_(
        "reading: %(n)s bad byte sequence for %(encoding)s (at byte %(where)s) read as U+FFFD: spans index "
        "the text decoded with errors='replace'"
    ),
    N_(
        "reading: %(n)s bad byte sequences for %(encoding)s (at byte %(where)s) read as U+FFFD: spans index "
        "the text decoded with errors='replace'"
    ),
    N_("date estimate: the title says %(title)s, but the text cites %(ref)s (%(year)s): the title's bound is not used"),
    N_(
        "date estimate: the title says %(title)s, but the text refers to %(ref)s (%(year)s): the title's bound is "
        "not used"
    ),
)


WARNING_PATTERNS = tuple((message_pattern(m), m) for m in WARNING_MESSAGES)
warning_text = Phrasebook(WARNING_PHRASES, WARNING_PATTERNS)
"""A note reading or parsing wrote on a document, in the current language (JSON keeps it English)."""
