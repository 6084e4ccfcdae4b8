"""``python -m bench.synth N [-o FILE] [--seed S] [--violations K] [--data-root DIR]``: the options of
``bri-kg synth``; prints the summary as JSON on stdout, progress on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.synth.generate import generate


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.synth",
                                description="Generate a synthetic corpus in the ontology's terms "
                                            "(for benchmarks and scale tests).")
    p.add_argument("triples", type=int, help="Target number of distinct triples (10^4 .. 10^7)")
    p.add_argument("--out", "-o", type=Path, default=Path("var/synth/corpus.nq"), help="N-Quads file to write")
    p.add_argument("--seed", type=int, default=0, help="Same seed, same bytes")
    p.add_argument("--violations", type=int, default=0, help="Inject this many SHACL violations of known kinds")
    p.add_argument("--data-root", type=Path, default=None,
                   help="Also write data/, ontology/, shapes/ there, for `bri-kg build`")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result = generate(args.triples, args.out, seed=args.seed, violations=args.violations,
                          data_root=args.data_root, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.summary(), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
