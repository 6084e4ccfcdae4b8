"""An incremental build's dumps: the previous build's dumps with the changed parts cut out and re-written.

Every dump is sorted: N-Triples by line, N-Quads by graph then line; Oxigraph writes Turtle as one block
per subject and TriG as one block per graph (each after the same ``@prefix`` header), JSON-LD as one
object per graph in a top-level array, in the order of its input. So serialising a sorted part of the
data gives exactly the blocks the whole would contain, and a changed block is found by binary search
over the previous file's bytes (a few dozen probes), then replaced: the cost is that of the change and
one copy of the file, not a parse of 10^6 triples. The incremental-equals-full test holds this to byte
identity.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.build.dumps import DUMP_PREFIXES
from kg.publish.jsonld import Compactor
from kg.vocab.rdf import GRAPH

Data = bytes | mmap.mmap  # a previous dump, mapped: binary search touches a few pages of it
Starts = Callable[[Data, int], int]  # the first block start at or after a position
Key = Callable[[Data, int], bytes]  # the key of the block starting at a position
Piece = bytes | tuple[int, int]  # new text, or a byte range of the previous dump, copied by the kernel


class Dump:
    """A previous build's dump, memory-mapped (read-only), and written anew from pieces of it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("rb")
        size = os.fstat(self._file.fileno()).st_size
        self.data: Data = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def write(self, target: Path, pieces: Iterable[Piece]) -> None:
        """Write *pieces* to *target*: unchanged ranges with ``copy_file_range`` (no copy through Python)."""
        source = self._file.fileno()
        with target.open("wb") as out:
            for piece in pieces:
                if isinstance(piece, bytes):
                    out.write(piece)
                    continue
                out.flush()
                offset, end = piece
                while offset < end:
                    copied = os.copy_file_range(source, out.fileno(), end - offset, offset)
                    if copied == 0:
                        raise OSError(f"{self.path}: could not copy bytes {offset}..{end}")
                    offset += copied

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            self.data.close()
        self._file.close()


def _line_start(data: Data, pos: int) -> int:
    if pos <= 0:
        return 0
    found = data.find(b"\n", pos - 1)
    return len(data) if found < 0 else found + 1


def _line(data: Data, start: int) -> bytes:
    end = data.find(b"\n", start)
    return data[start:] if end < 0 else data[start:end]


def nt_key(data: Data, start: int) -> bytes:
    """An N-Triples dump line's key: the line without `` .``."""
    return _line(data, start)[:-2]


def nq_graph(data: Data, start: int) -> bytes:
    """An N-Quads dump line's graph, in N-Triples form."""
    return _line(data, start).rsplit(b" ", 2)[1]


def lower_bound(data: Data, key: bytes, starts: Starts, key_at: Key, begin: int = 0, end: int | None = None) -> int:
    """The first block start in [*begin*, *end*) whose key is not below *key*, or *end* (blocks are sorted
    by key; ``starts(data, pos)`` finds the first block start at or after pos, or *end*)."""
    end = len(data) if end is None else end
    lo, hi = begin, end
    while lo < hi:
        mid = (lo + hi) // 2
        at = starts(data, mid) if mid > begin else begin
        if at < end and key_at(data, at) < key:
            lo = mid + 1
        else:
            hi = mid
    return starts(data, lo) if lo > begin else begin


@dataclass
class Edits:
    """Byte ranges of a file to replace, applied in one pass."""

    data: Data
    begin: int = 0  # where the blocks start (after a header)
    changes: list[tuple[int, int, bytes, bytes]] | None = None

    def replace(self, start: int, end: int, text: bytes, order: bytes = b"") -> None:
        """Replace [start, end) by *text*; insertions at one place go in *order*."""
        self.changes = (self.changes or []) + [(start, end, order, text)]

    def result(self) -> list[Piece]:
        pieces: list[Piece] = []
        position = 0
        # at one place, insertions (empty ranges) first, in their order, then what replaces the block there
        for start, end, _, text in sorted(self.changes or [], key=lambda c: (c[0], c[1], c[2])):
            pieces += [(position, start), text]
            position = end
        return [*pieces, (position, len(self.data))]


# -- N-Quads and N-Triples -------------------------------------------------------------------------
def graph_range(data: Data, graph: str) -> tuple[int, int]:
    """Where the N-Quads dump holds the lines of *graph* (an IRI): [start, end), empty if it has none."""
    key = f"<{graph}>".encode()
    return (lower_bound(data, key, _line_start, nq_graph),
            lower_bound(data, key + b"\x00", _line_start, nq_graph))


def graph_lines(data: Data, graph: str) -> list[str]:
    start, end = graph_range(data, graph)
    suffix = len(f" <{graph}> .")
    return [line[:-suffix] for line in data[start:end].decode().splitlines()]


def has_line(data: Data, line: str) -> bool:
    """Whether the N-Triples dump holds *line* (``"<s> <p> <o>"``)."""
    key = line.encode()
    at = lower_bound(data, key, _line_start, nt_key)
    return at < len(data) and nt_key(data, at) == key


def subject_lines(data: Data, subject: str) -> list[str]:
    """The N-Triples dump's lines of *subject* (N-Triples form)."""
    key = (subject + " ").encode()
    start = lower_bound(data, key, _line_start, nt_key)
    end = lower_bound(data, key[:-1] + b"!", _line_start, nt_key)  # "!" follows " " in byte order
    return [line[:-2] for line in data[start:end].decode().splitlines()]


def splice_nquads(data: Data, graphs: dict[str, list[str]]) -> list[Piece]:
    """The N-Quads dump with each graph of *graphs* holding the given sorted lines instead."""
    edits = Edits(data)
    for graph, lines in graphs.items():
        start, end = graph_range(data, graph)
        edits.replace(start, end, "".join(f"{line} <{graph}> .\n" for line in lines).encode())
    return edits.result()


def splice_ntriples(data: Data, removed: set[str], added: set[str]) -> list[Piece]:
    """The N-Triples dump less *removed* and with *added* (lines it does not hold) in their places."""
    edits = Edits(data)
    for line in removed:
        start = lower_bound(data, line.encode(), _line_start, nt_key)
        edits.replace(start, _line_start(data, start + 1), b"")
    inserts: dict[int, list[str]] = {}
    for line in added:
        inserts.setdefault(lower_bound(data, line.encode(), _line_start, nt_key), []).append(line)
    # sorted lines inserted at one place keep the order: the place is the lower bound of each of them
    for at, lines in inserts.items():
        edits.replace(at, at, "".join(f"{line} .\n" for line in sorted(lines)).encode())
    return edits.result()


# -- Turtle, TriG, JSON-LD -------------------------------------------------------------------------
def serialize(lines: Iterable[str], graph: str | None, fmt: ox.RdfFormat) -> bytes:
    """Oxigraph's serialisation of sorted *lines* (in *graph*, if given), with the dumps' prefixes."""
    suffix = f" <{graph}> .\n" if graph else " .\n"
    text = "".join(line + suffix for line in lines).encode()
    source = ox.RdfFormat.N_QUADS if graph else ox.RdfFormat.N_TRIPLES
    prefixes = None if fmt == ox.RdfFormat.JSON_LD else DUMP_PREFIXES
    out = ox.serialize(ox.parse(input=text, format=source), format=fmt, prefixes=prefixes)
    assert out is not None  # no output path: the bytes are returned
    return out


def _header_end(text: Data) -> int:
    """Where the ``@prefix`` lines at the start of a Turtle or TriG text end."""
    end = 0
    while text[end:end + 8] == b"@prefix ":
        end = text.find(b"\n", end) + 1
    return end


def _block_start(data: Data, pos: int) -> int:
    """Turtle and TriG blocks start on a line that starts with ``<`` (the dumps' subjects and graphs all
    print as IRIs; a block's other lines start with a tab, or are the ``}`` closing a graph)."""
    found = data.find(b"\n<", pos - 1)
    return len(data) if found < 0 else found + 1


def _block_key(data: Data, start: int) -> bytes:
    return data[start:data.find(b" ", start)]


def splice_blocks(data: Data, replaced: dict[str, bytes]) -> list[Piece]:
    """Turtle or TriG with the blocks of the keys in *replaced* (N-Triples forms) replaced by the given
    blocks (header-less serialisations; empty to drop a block), new keys inserted in order."""
    edits = Edits(data, _header_end(data))
    for key, block in replaced.items():
        start = lower_bound(data, key.encode(), _block_start, _block_key, edits.begin)
        end = start
        if start < len(data) and _block_key(data, start) == key.encode():
            end = _block_start(data, start + 1)
        edits.replace(start, end, block, key.encode())
    return edits.result()


def block_of(lines: list[str], graph: str | None, fmt: ox.RdfFormat) -> bytes:
    """The header-less Turtle or TriG block of *lines* (empty for none)."""
    if not lines:
        return b""
    text = serialize(lines, graph, fmt)
    return text[_header_end(text):]


_GRAPH_OBJECT = b'{"@id":"' + str(GRAPH).encode()


def _object_start(data: Data, pos: int) -> int:
    """The first graph object of the JSON-LD dump at or after *pos* (its ``{``), or the closing ``]``."""
    if pos <= 1:
        return 1
    found = data.find(b"," + _GRAPH_OBJECT, pos - 1)
    return len(data) - 1 if found < 0 else found + 1


def _object_key(data: Data, start: int) -> bytes:
    return b"<" + data[start + 8:data.find(b'"', start + 8)] + b">"


def splice_jsonld(data: Data, graphs: dict[str, list[str]]) -> list[Piece]:
    """The JSON-LD dump (``[object,object,...]``, one object per graph in graph order) with the objects of
    *graphs* re-written from their lines, dropped where those are empty, new ones inserted in order."""
    close = len(data) - 1  # the "]"
    found = []
    for graph, lines in graphs.items():
        key = f"<{graph}>".encode()
        start = lower_bound(data, key, _object_start, _object_key, 1, close) if close > 1 else 1
        exists = start < close and _object_key(data, start) == key
        after = _object_start(data, start + 1) if exists else start
        end = after - 1 if exists and after < close else (close if exists else start)
        new = serialize(lines, graph, ox.RdfFormat.JSON_LD)[1:-1] if lines else b""
        found.append((start, key, end, exists, new))
    runs: list[Piece] = []
    cursor = 1
    for start, _key, end, exists, new in sorted(found):
        if start > cursor:  # the unchanged objects before this one, without the comma that follows them
            runs.append((cursor, start - 1 if start < close else close))
        if new:
            runs.append(new)
        cursor = (end + 1 if end < close else close) if exists else max(cursor, start)
    if cursor < close:
        runs.append((cursor, close))
    pieces: list[Piece] = [b"["]
    for n, run in enumerate(runs):
        pieces += [b",", run] if n else [run]
    return [*pieces, b"]"]


# -- the compacted JSON-LD (kg.publish.jsonld.write_compact) ---------------------------------------
class CompactDump:
    """The compacted JSON-LD dump: a header with the context, then one node per line, ``  {"id": ...}``,
    sorted by the subject's IRI, joined by ``,``; the file ends with ``\\n]}\\n``."""

    NODE = b'\n  {"id": "'

    def __init__(self, data: Data, compactor: Compactor) -> None:
        self.data = data
        self.compactor = compactor
        self.begin = data.find(b'"@graph": [') + len(b'"@graph": [')  # the "\n" before the first node
        self.close = len(data) - len(b"\n]}\n")

    def start(self, data: Data, pos: int) -> int:
        """The first node line at or after *pos*, or the close."""
        found = data.find(self.NODE, max(pos - 1, self.begin))
        return self.close if found < 0 or found >= self.close else found + 1

    def key(self, data: Data, start: int) -> bytes:
        first = start + len(self.NODE) - 1
        node_id = json.loads(b'"' + data[first:data.find(b'"', first)] + b'"')
        return f"<{self.compactor.node_iri(node_id)}>".encode()

    def splice(self, subjects: dict[str, list[str]]) -> list[Piece]:
        """The dump with the nodes of *subjects* (N-Triples forms) written from their new lines (dropped
        where those are empty, new ones inserted in order)."""
        first, close = self.begin + 1, self.close
        found = []
        for subject, lines in subjects.items():
            key = subject.encode()
            start = lower_bound(self.data, key, self.start, self.key, first, close) if first < close else close
            exists = start < close and self.key(self.data, start) == key
            after = self.start(self.data, start + 1) if exists else start
            found.append((start, exists, key, after, self._node(subject, lines)))
        runs: list[Piece] = []
        cursor = first
        for start, _exists, _key, after, new in sorted(found):  # at one place: insertions first, in key order
            if start > cursor:  # the unchanged nodes before this one, without the ",\n" after the last
                runs.append((cursor, start - 2 if start < close else close))
            if new:
                runs.append(new)
            cursor = max(cursor, after)
        if cursor < close:
            runs.append((cursor, close))
        pieces: list[Piece] = [(0, self.begin)]
        for n, run in enumerate(runs):
            pieces += [b",\n", run] if n else [b"\n", run]
        return [*pieces, (close, len(self.data))]

    def _node(self, subject: str, lines: list[str]) -> bytes:
        if not lines:
            return b""
        triples = [q.triple for q in ox.parse(input="".join(f"{line} .\n" for line in lines).encode(),
                                              format=ox.RdfFormat.N_TRIPLES)]
        node = self.compactor.node(subject[1:-1], triples)
        return ("  " + json.dumps(node, ensure_ascii=False)).encode()
