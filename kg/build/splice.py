"""An incremental build's dumps: the previous build's dumps with the changed parts cut out and re-written.

Oxigraph writes each format as blocks in the order of its input: Turtle one block per subject, TriG one
per graph (each after the same ``@prefix`` header), JSON-LD one object per graph inside a top-level
array. Serialising a sorted part of the data therefore gives exactly the blocks the whole would contain,
and the previous dumps can be cut at block boundaries: the incremental-equals-full test holds this to
byte identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.build.dumps import DUMP_PREFIXES
from kg.vocab.rdf import GRAPH

GRAPH_OBJECT = b'{"@id":"'


def read_graph_lines(nquads: Path) -> dict[str, list[str]]:
    """Every graph's lines (``"<s> <p> <o>"``) from an N-Quads dump written by ``write_line_dumps``."""
    graphs: dict[str, list[str]] = {}
    current = ""
    lines: list[str] = []
    with nquads.open(encoding="utf-8") as handle:
        for line in handle:
            body, graph, _dot = line.rsplit(" ", 2)
            if graph != current:
                lines = graphs.setdefault(graph[1:-1], [])
                current = graph
            lines.append(body)
    return graphs


def read_union(ntriples: Path) -> list[str]:
    """The union's lines (``"<s> <p> <o>"``) from the N-Triples dump, in its order."""
    with ntriples.open(encoding="utf-8") as handle:
        return [line[:-3] for line in handle]


def serialize(lines: Iterable[str], graph: str | None, fmt: ox.RdfFormat) -> bytes:
    """Oxigraph's serialisation of sorted *lines* (in *graph*, if given), with the dumps' prefixes."""
    suffix = f" <{graph}> .\n" if graph else " .\n"
    text = "".join(line + suffix for line in lines).encode()
    source = ox.RdfFormat.N_QUADS if graph else ox.RdfFormat.N_TRIPLES
    prefixes = None if fmt == ox.RdfFormat.JSON_LD else DUMP_PREFIXES
    out = ox.serialize(ox.parse(input=text, format=source), format=fmt, prefixes=prefixes)
    assert out is not None  # no output path: the bytes are returned
    return out


def _header_end(text: bytes) -> int:
    """Where the ``@prefix`` lines at the start of a Turtle or TriG text end."""
    end = 0
    while text.startswith(b"@prefix ", end):
        end = text.index(b"\n", end) + 1
    return end


def _blocks(text: bytes, start: int) -> list[tuple[str, bytes]]:
    """Turtle or TriG after the header, cut before every line that starts neither with a tab nor with the
    ``}`` closing a graph; each block keyed by its first term (an IRI: the dumps' subjects and graphs all
    print as ``<...>``)."""
    blocks: list[tuple[str, list[bytes]]] = []
    for line in text[start:].splitlines(keepends=True):
        if line[:1] in (b"\t", b"}") and blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append((line[:line.index(b" ")].decode(), [line]))
    return [(key, b"".join(lines)) for key, lines in blocks]


def _body(serialised: bytes) -> bytes:
    return serialised[_header_end(serialised):]


def splice_text(old: Path, new: Path, replaced: dict[str, list[str]], graphs: bool) -> None:
    """Turtle (*graphs* False: blocks per subject) or TriG (blocks per graph): the blocks of the keys in
    *replaced* (N-Triples forms) re-written from their new lines, dropped where those are empty."""
    text = old.read_bytes()
    start = _header_end(text)
    fmt = ox.RdfFormat.TRIG if graphs else ox.RdfFormat.TURTLE
    kept = [(key, block) for key, block in _blocks(text, start) if key not in replaced]
    for key, lines in replaced.items():
        if lines:
            kept.append((key, _body(serialize(lines, key[1:-1] if graphs else None, fmt))))
    kept.sort(key=lambda kb: kb[0])
    with new.open("wb") as out:
        out.write(text[:start])
        out.writelines(block for _, block in kept)


def _graph_objects(text: bytes) -> list[tuple[str, bytes]]:
    """The top-level objects of the JSON-LD dump (one per graph), keyed by the graph's N-Triples form."""
    objects: list[tuple[str, bytes]] = []
    body = text[1:-1]
    starts = []
    position = 0
    while True:
        found = body.find(b"," + GRAPH_OBJECT + str(GRAPH).encode(), position)
        if found < 0:
            break
        starts.append(found + 1)
        position = found + 1
    bounds = [0, *starts, len(body) + 1]
    for first, after in zip(bounds, bounds[1:], strict=False):
        chunk = body[first:after - 1]
        graph = chunk[len(GRAPH_OBJECT):chunk.index(b'"', len(GRAPH_OBJECT))].decode()
        objects.append((f"<{graph}>", chunk))
    return objects


def splice_jsonld(old: Path, new: Path, replaced: dict[str, list[str]]) -> None:
    """The JSON-LD dump with the graphs in *replaced* re-written (dropped where their lines are empty)."""
    text = old.read_bytes()
    kept = [(key, chunk) for key, chunk in _graph_objects(text) if key not in replaced] if len(text) > 2 else []
    for key, lines in replaced.items():
        if lines:
            kept.append((key, serialize(lines, key[1:-1], ox.RdfFormat.JSON_LD)[1:-1]))
    kept.sort(key=lambda kc: kc[0])
    new.write_bytes(b"[" + b",".join(chunk for _, chunk in kept) + b"]")
