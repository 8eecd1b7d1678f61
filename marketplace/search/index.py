"""The two Whoosh indexes (scenarios, companies): schemas, opening, writing under a lock.

Whoosh allows one writer at a time; its file lock works across processes, so every gunicorn
worker waits its turn (with a timeout) instead of corrupting the index. A commit adds a new
small segment without merging anything, so a one-document update stays cheap; once there are
`MERGE_FROM` segments a commit merges the small ones (`MERGE_SMALL`, never the big one), so
queries do not slow down under many little segments.

A full reindex writes its segments as separate files, not one compound file (maintenance.py):
Whoosh opens a file inside a compound file by copying it into memory (`BytesIO`), so every
reader of a 100,000-document index (each writer's, to find the document an update replaces,
and each new searcher) would copy hundreds of megabytes. The small segments of single updates
stay compound: written as separate files, the full test suite met a one-document segment whose
stored-fields column was empty (not understood; the compound ones never showed it).
"""

from __future__ import annotations

import logging
import mmap
import os
import sys
import threading
import time
from array import array
from pathlib import Path

from whoosh import index as windex
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.scoring import BM25F
from whoosh.writing import MERGE_SMALL, NO_MERGE, LockError

from marketplace.search.analysis import spell_analyzer, stem_analyzer

log = logging.getLogger(__name__)

SCENARIOS = "scenarios"
COMPANIES = "companies"
# The published scenarios again, in an index of their own: matching reads the postings of a
# profile's dozen concepts, and over these (about 5% of all) it reads a twentieth as many.
# Scores stay those of the whole index (scoring.Scorer takes its statistics from SCENARIOS).
OPEN = "open"
NO_DEADLINE = 2**62  # a published scenario without a deadline stays open
MERGE_FROM = 8  # segments; each costs queries a lookup per term and a reader to open
WRITE_TIMEOUT = 10.0  # seconds a writer waits for the lock before the change is retried
# BM25F; short fields (titles, names) are normalised less by length, or a two-word title
# that shares one word with the query outranks a long one that is about it.
WEIGHTING = BM25F(B=0.75, K1=1.2, title_B=0.3, name_B=0.3, headline_B=0.3)


def _text(stored: bool = False, phrase: bool = True) -> TEXT:
    # field weights are applied at query time (analysis.SCENARIO_FIELDS, COMPANY_FIELDS)
    return TEXT(analyzer=stem_analyzer, stored=stored, phrase=phrase)


def _number() -> COLUMN:
    return COLUMN(NumericColumn("q"))  # signed 64-bit


BLOCK_POSTINGS = 2048  # Whoosh's default is 128: the scorer reads whole terms (scoring.py)


def codec():
    """How postings are written: blocks of BLOCK_POSTINGS, lightly compressed. Bigger
    blocks mean fewer reads, unpicklings and decompressions per term; a reader takes each
    segment's settings from the segment, so indexes written before still read."""
    from whoosh.codec.whoosh3 import W3Codec

    return W3Codec(blocklimit=BLOCK_POSTINGS, compression=1)


def scenario_schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        reference=ID(stored=True),
        stamp=STORED(),
        title=_text(stored=True),
        summary=_text(stored=True),
        # no positions in the long body: a third of the index, and unpickling them was a
        # third of a search's time; a phrase there is all its words (analysis.LOOSE_PHRASES)
        body=_text(phrase=False),
        cpv=_text(phrase=False),
        cpv_codes=KEYWORD(commas=False, lowercase=True),
        words=TEXT(analyzer=spell_analyzer, phrase=False),
        sector=ID(sortable=True),
        region=ID(sortable=True),
        state=ID(sortable=True),
        # filters, facets and sorts read these as columns (facets.py): no postings to write
        budget=_number(),
        deadline=_number(),
        published=_number(),
    )


def company_schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        stamp=STORED(),
        name=_text(stored=True),
        headline=_text(stored=True),
        capabilities=_text(),
        body=_text(phrase=False),  # as the scenarios' body
        words=TEXT(analyzer=spell_analyzer, phrase=False),
        sector=KEYWORD(commas=True, scorable=False),
        region=ID(sortable=True),
    )


class MappedFile(StructFile):
    """A segment's file read through a read-only memory map: `get`, which reads every term
    lookup, posting block and stored value, is a slice of the map, not a seek and a read of
    a buffered file (a system call each; a search makes dozens). The file is never written
    again once its segment is committed (Whoosh writes new files), so the map stays true."""

    def get(self, position: int, length: int) -> bytes:
        return self.file[position:position + length]

    def get_array(self, position: int, typecode: str, length: int) -> array:
        values = array(typecode)  # as StructFile: the file holds them big-endian
        values.frombytes(self.get(position, length * values.itemsize))
        if sys.byteorder == "little":
            values.byteswap()
        return values


class MappedStorage(FileStorage):
    """A directory whose files are read through memory maps (MappedFile); a compound
    segment file (`.seg`), which Whoosh maps on its own, and an empty file, which cannot be
    mapped, are opened as FileStorage opens them."""

    def open_file(self, name, **kwargs):
        if name.endswith(".seg"):
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as file:
            try:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty, or a file system that cannot map
                return super().open_file(name, **kwargs)
        return MappedFile(mapped, name=name, **kwargs)


SCHEMAS = {SCENARIOS: scenario_schema, OPEN: scenario_schema, COMPANIES: company_schema}
PUBLISHED = "published"


def open_documents(docs: dict[str, dict | None]) -> dict[str, dict | None]:
    """What the index of published scenarios gets from a write to the scenarios index."""
    return {key: doc if doc is not None and doc.get("state") == PUBLISHED else None
            for key, doc in docs.items()}


SETTLED_NS = 2_000_000_000  # a directory time this old is past any file system's tick


class IndexStore:
    """The indexes under one directory, with one cached searcher per index and process."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self._lock = threading.RLock()
        self._indexes: dict[str, windex.Index] = {}
        self._searchers: dict[str, object] = {}
        self._listed: dict[str, tuple] = {}  # name -> (directory's inode and time, searcher)
        self._tocs: dict[str, tuple | None] = {}  # name -> its searcher's table of contents
        self.caches: dict[str, dict] = {}

    def path(self, name: str) -> Path:
        return self.directory / name

    def index(self, name: str) -> windex.Index:
        with self._lock:
            ix = self._indexes.get(name)
            if ix is None or not self.exists(name):  # deleted underneath us: start again
                path = self.path(name)
                ix = (MappedStorage(str(path)).open_index() if self.exists(name)
                      else self.create(name))
                self._indexes[name] = ix
            return ix

    def create(self, name: str) -> windex.Index:
        """A new empty index (replacing any); used at first use and by a full reindex."""
        path = self.path(name)
        path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            ix = MappedStorage(str(path)).create_index(SCHEMAS[name]())
            self._indexes[name] = ix
            self._drop_searcher(name)
        return ix

    def exists(self, name: str) -> bool:
        return windex.exists_in(str(self.path(name)))

    def searcher(self, name: str):
        """A searcher that sees every committed write; reopened only when the index changed."""
        with self._lock:
            searcher = self._searchers.get(name)
            if searcher is not None and self._current(name, searcher):
                return searcher
            if not self.exists(name):
                self._indexes.pop(name, None)
            self._drop_searcher(name)
            ix = self.index(name)
            toc = self._toc(name, ix.latest_generation())  # before opening: see _same_toc
            searcher = ix.searcher(weighting=WEIGHTING)
            self._searchers[name] = searcher
            self._tocs[name] = toc if toc and toc[0] == searcher.reader().generation() else None
            self.caches[name] = {}
            return searcher

    def _toc(self, name: str, generation: int) -> tuple | None:
        """The identity of a generation's table of contents: the file itself, not only its
        number (a new index starts again from generation 0)."""
        try:
            stat = os.stat(self.path(name) / f"_MAIN_{generation}.toc")
        except OSError:
            return None
        return generation, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size

    def _same_toc(self, name: str, searcher) -> bool:
        """Whether the table of contents of the searcher's generation is still the file it was
        opened from. Whoosh compares generation numbers only, and a new index (`create`)
        counts again from 0: a worker that did not search meanwhile would take its old
        generation N for the new index's N. Unknown (the file changed while the searcher was
        opened, or cannot be read): the number alone decides, as in Whoosh."""
        opened = self._tocs.get(name)
        if opened is None:
            return True
        return self._toc(name, opened[0]) == opened

    def _current(self, name: str, searcher) -> bool:
        """Whether `searcher` sees the last commit to the index, in any process.

        Whoosh's answer lists the index's directory: its generation's table of contents is
        there, so is the index (20 us). A commit, a merge or a new index adds or removes files,
        which changes the directory's modification time: while the directory is the same
        (inode) with the same time as at a listing that found this searcher current, that
        answer still holds. The listing is trusted so only when it came more than
        SETTLED_NS after that time, since a file system may keep coarse times (a commit in
        the same tick as the one before would show the same time)."""
        try:
            stat = os.stat(self.path(name))
        except OSError:
            return False
        seen = (stat.st_ino, stat.st_mtime_ns)
        if self._listed.get(name) == (seen, searcher):
            return True
        current = searcher.up_to_date() and self._same_toc(name, searcher)
        if current and time.time_ns() - stat.st_mtime_ns > SETTLED_NS:
            self._listed[name] = (seen, searcher)
        return current

    def _drop_searcher(self, name: str) -> None:
        self._listed.pop(name, None)
        self._tocs.pop(name, None)
        old = self._searchers.pop(name, None)
        self.caches.pop(name, None)
        if old is not None:
            old.close()

    def write(self, name: str, docs: dict[str, dict | None], attempts: int = 3) -> None:
        """Replace (or delete, for None) documents by id; retries on a busy lock."""
        self._write(name, docs, attempts)
        if name == SCENARIOS:
            self._write(OPEN, open_documents(docs), attempts)

    def _write(self, name: str, docs: dict[str, dict | None], attempts: int) -> None:
        for attempt in range(1, attempts + 1):
            try:
                writer = self.index(name).writer(timeout=WRITE_TIMEOUT, codec=codec())
            except LockError:
                log.warning("search: %s index busy (attempt %d)", name, attempt)
                time.sleep(0.2 * attempt)
                continue
            try:
                for key, doc in docs.items():
                    writer.delete_by_term("id", key)
                    if doc is not None:
                        writer.add_document(**doc)
                merge = len(writer.segments) + 1 >= MERGE_FROM
                writer.commit(mergetype=MERGE_SMALL if merge else NO_MERGE)
            except BaseException:
                writer.cancel()
                raise
            return
        raise LockError(f"the {name} index stayed locked; run `flask search reindex`")

    def close(self) -> None:
        with self._lock:
            for name in list(self._searchers):
                self._drop_searcher(name)
            self._indexes.clear()
