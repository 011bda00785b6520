"""Clean a Hugging Face dataset of pages with dechaff, as a `Dataset.map(batched=True)`
function.

    pip install ./python datasets
    python3 examples/python/datasets_map.py [DIR]     # default: tests/corpus/seeds

Each batch is cleaned by `Cleaner.clean_many`: in parallel on every core with the GIL
released, results in the batch's order. The new columns are the fields of
`dechaff --to json` (docs/article.schema.json); `content` is Markdown.
"""
import os
import sys

import dechaff
from datasets import Dataset

# Compiled once, used for every batch. With `map(num_proc=N)` each process gets its own:
# a Cleaner is pickled as its rules directory and compiled anew there.
cleaner = dechaff.Cleaner()


def clean_batch(batch):
    """A batch of `text` (and `url`, the original address or None) to the article's fields."""
    articles = cleaner.clean_many(batch["text"], batch.get("url"))
    return {
        "title": [a.title for a in articles],
        "date": [a.date for a in articles],
        "author": [a.author for a in articles],
        "outlet": [a.outlet for a in articles],
        "family": [a.family for a in articles],
        "url": [a.url for a in articles],
        "content": [a.content for a in articles],
        "warnings": [[w["kind"] for w in a.warnings] for a in articles],
    }


def load(root):
    """The `.md` and `.html` documents under `root` as a dataset of `path`, `text`, `url`."""
    paths = sorted(
        os.path.join(d, f) for d, _, files in os.walk(root) for f in files
        if f.endswith((".md", ".html")) and f != "SOURCES.md"
    )
    texts = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            texts.append(f.read())
    return Dataset.from_dict({"path": paths, "text": texts, "url": [None] * len(paths)})


def clean_dataset(dataset, batch_size=64):
    return dataset.map(clean_batch, batched=True, batch_size=batch_size, remove_columns=["text"])


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "tests", "corpus", "seeds")
    cleaned = clean_dataset(load(root))
    print(cleaned)
    for row in cleaned.select(range(min(5, len(cleaned)))):
        print(f"{row['family'] or '-':12} {row['outlet'] or '-':12} {row['date'] or '-':25} {row['title']}")
