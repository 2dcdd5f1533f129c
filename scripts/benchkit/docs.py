"""``python -m benchkit.docs SECTION FILE...``: put bench.md tables into docs/benchmarks.md.

The page marks each table section with ``<!-- bench:SECTION -->`` and
``<!-- /bench:SECTION -->``; what lies between is replaced by the files given, in order.
``scripts/bench --docs SECTION`` calls it with the bench.md files the run just wrote.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import re
import sys

PAGE = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def replace_section(page: str, section: str, body: str) -> str:
    """``page`` with the text between the section's markers replaced by ``body``."""
    begin, end = f"<!-- bench:{section} -->", f"<!-- /bench:{section} -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(page):
        raise ValueError(f"{begin} ... {end} not found")
    return pattern.sub(lambda _match: f"{begin}\n\n{body.strip()}\n\n{end}", page, count=1)


def main(argv: list[str]) -> int:
    """Replace one section of the page with the given tables."""
    parser = argparse.ArgumentParser(prog="python -m benchkit.docs")
    parser.add_argument("section")
    parser.add_argument("tables", nargs="+", type=Path)
    parser.add_argument("--page", type=Path, default=PAGE)
    args = parser.parse_args(argv)
    body = "\n\n".join(path.read_text(encoding="utf-8").strip() for path in args.tables)
    page = args.page.read_text(encoding="utf-8")
    args.page.write_text(replace_section(page, args.section, body), encoding="utf-8")
    print(f"updated {args.page} ({args.section})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
