"""Quality and speed of the facts extractors (cited documents, officials).

Quality: precision, recall and F1 per kind on both labelled sets of tests/data, scored
exactly as tests/test_facts.py scores them (the same `score` function): the earlier set
`facts_labelled.json` and the real-text set `facts_real.json` (whole, and its tuning and
held-out parts). "exact" is, for documents, the date and issuer right on a matched
document; for officials, the position printed whole.

Speed: `cited_documents` + `officials` per sentence of the real set (mean and median) and
per article body of fixtures/pages (mean and median), in CPU time of this process
(`time.process_time`), so that other work on a shared machine does not inflate it.

Run: .venv/bin/python benchmarks/facts.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extract.facts import cited_documents, officials  # noqa: E402
from tests.test_facts import HELD_OUT, ITEMS, REAL, score  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/facts.py"
PAGES = ROOT / "fixtures" / "pages"


def facts(text: str) -> None:
    cited_documents(text)
    officials(text)


def per_call(texts: list[str], run: Callable[[str], None], repeat: int) -> list[float]:
    """Seconds per call of `run` on each text, the best of `repeat` passes."""
    best = [float("inf")] * len(texts)
    for _ in range(repeat):
        for i, text in enumerate(texts):
            start = time.process_time_ns()
            run(text)
            best[i] = min(best[i], (time.process_time_ns() - start) / 1e9)
    return best


def quality_rows() -> list[tuple[str, object]]:
    tuning = set(range(len(REAL))) - HELD_OUT
    sets = [
        ("facts_labelled (114)", ITEMS, None),
        (f"facts_real tuning ({len(tuning)})", REAL, tuning),
        (f"facts_real held out ({len(HELD_OUT)})", REAL, HELD_OUT),
        (f"facts_real whole ({len(REAL)})", REAL, None),
    ]
    return [(label, score(items, kind, indices))
            for label, items, indices in sets for kind in ("documents", "officials")]


def article_bodies() -> list[str]:
    bodies = []
    for path in sorted(PAGES.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected.get("is_article") and expected.get("body"):
            bodies.append(expected["body"])
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes; the best counts")
    args = parser.parse_args()

    print(f"# {COMMAND} (Python {platform.python_version()}, {platform.machine()})\n")
    print("| set | kind | precision | recall | F1 | matched/extracted/expected | exact |")
    print("|---|---|---|---|---|---|---|")
    for label, s in quality_rows():
        print(f"| {label} | {s.kind} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
              f"{s.matched}/{s.extracted}/{s.expected} | {s.exact}/{s.matched} = "
              f"{s.exact_share:.3f} |")

    sentences = [item["text"] for item in REAL] + [item["text"] for item in ITEMS]
    bodies = article_bodies()
    print("\n| texts | n | mean chars | mean µs | median µs | max µs |")
    print("|---|---|---|---|---|---|")
    for label, texts in (("sentences (both sets)", sentences), ("fixture article bodies", bodies)):
        times = [t * 1e6 for t in per_call(texts, facts, args.repeat)]
        chars = statistics.mean(len(t) for t in texts)
        print(f"| {label} | {len(texts)} | {chars:.0f} | {statistics.mean(times):.0f} | "
              f"{statistics.median(times):.0f} | {max(times):.0f} |")
    for name, run in (("cited_documents", cited_documents), ("officials", officials)):
        times = per_call(bodies, run, args.repeat)
        print(f"\n{name} alone: mean {statistics.mean(times) * 1e3:.3f} ms per fixture article")


if __name__ == "__main__":
    main()
