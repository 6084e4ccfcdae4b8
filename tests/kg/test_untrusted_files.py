"""``bri-kg validate`` and the build's loaders on files from outside: nothing fetched, nothing expanded,
linear time, limits and parse errors stated clearly; annotation files that are not UTF-8 (or not
YAML, or empty) named with the problem and the fix, never a traceback.

A loopback canary counts every connection: remote JSON-LD contexts (string, array, @import), XML
external entities and owl:imports must leave it untouched.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import Settings
from kg.errors import BuildError
from kg.ingest.annotations import load_corpus
from kg.rdf_files import FileLimits, RdfFileError, read_graph, read_quads
from tests.conftest import FIXTURES


class Canary(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.hits: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b'{"@context": {"p": "http://example.org/p"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def refused(path: Path, *fragments: str, limits: FileLimits | None = None) -> str:
    with pytest.raises(RdfFileError) as info:
        read_graph(path, limits)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    return message


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_nothing_is_fetched(tmp_path: Path, canary: Canary) -> None:
    contexts = {
        "string.jsonld": f'{{"@context": "{canary.url}/ctx", "@id": "http://example.org/a", "p": "x"}}',
        "array.jsonld": f'{{"@context": ["{canary.url}/ctx"], "@id": "http://example.org/a", "p": "x"}}',
        "import.jsonld": f'{{"@context": {{"@version": 1.1, "@import": "{canary.url}/imp"}}, '
                         '"@id": "http://example.org/a", "http://example.org/p": "x"}',
    }
    for name, text in contexts.items():
        refused(write(tmp_path, name, text), "remote context")
    external = write(tmp_path, "external.rdf", f"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY ext SYSTEM "{canary.url}/ext"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&ext;</ex:p></rdf:Description>
</rdf:RDF>""")
    refused(external, "entities", "refused")
    imports = write(tmp_path, "imports.ttl", f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;"
                                             f" <http://www.w3.org/2002/07/owl#imports> <{canary.url}/onto.ttl> .")
    assert len(read_graph(imports)) == 2  # a triple like any other
    assert canary.hits == []


def test_entity_expansion_is_refused_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    message = refused(write(tmp_path, "bomb.rdf", BOMB), "entities", "refused")
    assert time.monotonic() - started < 1
    assert "bomb.rdf:3:" in message  # the line of the first declaration


def test_parsing_is_linear_in_a_literal(tmp_path: Path) -> None:
    times = []
    for megabytes in (2, 8):
        literal = "x" * (megabytes << 20)
        path = write(tmp_path, f"long{megabytes}.ttl", f'<http://e/a> <http://e/p> "{literal}" .\n')
        started = time.monotonic()
        assert len(read_graph(path)) == 1
        times.append(time.monotonic() - started)
    assert times[1] < 2.0, times  # rdflib needed 105 s for 4 MB
    assert times[1] < 4 * times[0] * 3 + 0.2, times  # 4x the input, nowhere near 16x the time


def test_limits_have_clear_messages(tmp_path: Path) -> None:
    lines = "".join(f"<http://e/s{i}> <http://e/p> <http://e/o{i}> .\n" for i in range(20_000))
    path = write(tmp_path, "big.nt", lines)
    refused(path, "over the limit", "BRI_KG_MAX_FILE_BYTES", limits=FileLimits(max_bytes=100_000))
    refused(path, "parsing stopped after", "BRI_KG_MAX_PARSE_S", limits=FileLimits(max_seconds=1e-9))
    huge_term = write(tmp_path, "term.nt", '<http://e/a> <http://e/p> "' + "x" * (20 << 20) + '" .\n')
    refused(huge_term, "too long")


def test_a_parse_error_quotes_the_line_not_the_file(tmp_path: Path) -> None:
    body = "".join(f"<http://e/s{i}> <http://e/p> \"value {i}\" .\n" for i in range(15_000))  # ~600 KB
    truncated = write(tmp_path, "truncated.ttl", body + '<http://e/last> <http://e/p> "never closed\n')
    message = refused(truncated, "truncated.ttl:15001:", "not valid TURTLE", "| <http://e/last>")
    assert len(message) < 800, len(message)
    bad = write(tmp_path, "bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n")
    refused(bad, "bad.ttl:3:", "3 | ex:d ex:e ex:f ex:g .")


def test_empty_files_are_reported_as_empty(tmp_path: Path) -> None:
    refused(write(tmp_path, "empty.ttl", ""), "empty")
    refused(write(tmp_path, "prefixes.ttl", "@prefix ex: <http://e/> .\n# nothing else\n"), "no triples")
    refused(write(tmp_path, "empty.jsonld", "{}"), "no triples")


def test_every_format_reads(tmp_path: Path) -> None:
    nt = "<http://e/a> <http://e/p> \"v\"@en .\n"
    files = {
        "a.ttl": nt, "a.nt": nt, "a.nq": "<http://e/a> <http://e/p> \"v\"@en <http://e/g> .\n",
        "a.trig": "<http://e/g> { <http://e/a> <http://e/p> \"v\"@en }",
        "a.jsonld": '{"@id": "http://e/a", "http://e/p": {"@value": "v", "@language": "en"}}',
        "a.rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
                 '<rdf:Description rdf:about="http://e/a"><e:p xml:lang="en">v</e:p></rdf:Description></rdf:RDF>',
    }
    for name, text in files.items():
        graph = read_graph(write(tmp_path, name, text))
        assert [(str(s), str(p), str(o), o.language) for s, p, o in graph] == [  # type: ignore[union-attr]
            ("http://e/a", "http://e/p", "v", "en")], name
    assert len(list(read_quads(write(tmp_path, "g.nq", files["a.nq"])))) == 1


def test_cli_validate_exits_2_with_the_reason(tmp_path: Path, canary: Canary) -> None:
    for path, fragment in (
        (write(tmp_path, "bomb.rdf", BOMB), "entities"),
        (write(tmp_path, "remote.jsonld", f'{{"@context": "{canary.url}/c", "@id": "http://e/a"}}'), "remote context"),
        (write(tmp_path, "empty.ttl", " \n"), "no triples"),
    ):
        done = subprocess.run([sys.executable, "-m", "bri_kg", "validate", str(path)], capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 2, (path, done.stdout, done.stderr)
        assert fragment in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert canary.hits == []


# --- annotation files ---------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    return tmp_path / "data"


def problems(data_dir: Path) -> str:
    with pytest.raises(BuildError) as info:
        load_corpus(data_dir)
    return str(info.value)


def test_annotation_file_that_is_not_utf8(data_dir: Path) -> None:
    (data_dir / "annotations" / "binary.yaml").write_bytes(b"document:\n  slug: x\n  title: \xff\xfe\x00garbage\n")
    message = problems(data_dir)
    assert "binary.yaml" in message and "not UTF-8" in message and "line 3, column 10" in message
    assert "iconv" in message and "Traceback" not in message


def test_source_document_that_is_not_utf8(data_dir: Path) -> None:
    (data_dir / "sources" / "mini.txt").write_bytes("Chéngdū".encode("utf-16"))
    message = problems(data_dir)
    assert "mini.yaml" in message and "source document sources/mini.txt is not UTF-8" in message


def test_yaml_aliases_empty_and_deep_files_are_problems(data_dir: Path) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    (data_dir / "annotations" / "laughs.yaml").write_text(laughs)
    (data_dir / "annotations" / "empty.yaml").write_text("")
    (data_dir / "annotations" / "deep.yaml").write_text("[" * 50_000 + "]" * 50_000)
    started = time.monotonic()
    message = problems(data_dir)
    assert time.monotonic() - started < 5
    lines = {line.split(":", 1)[0].rsplit("/", 1)[-1]: line for line in message.splitlines() if ".yaml" in line}
    assert "not valid YAML: aliases (*name) are not allowed" in lines["laughs.yaml"]
    assert "file: the file is empty" in lines["empty.yaml"]
    assert "not valid YAML" in lines["deep.yaml"]


def test_settings_carry_the_file_limits() -> None:
    settings = Settings(max_file_bytes=123, max_parse_s=4.5)
    assert FileLimits.from_settings(settings) == FileLimits(123, 4.5)
