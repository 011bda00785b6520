"""Clean a pandas DataFrame of pages with dechaff: `Series.apply`, row-wise `apply`, or one
batch for the whole column.

    pip install ./python pandas
    python3 examples/python/pandas_apply.py [DIR]     # default: tests/corpus/seeds
"""
import os
import sys

import dechaff
import pandas as pd

cleaner = dechaff.Cleaner()  # compiled once; `dechaff.clean` shares one of its own


def load(root):
    """The `.md` and `.html` documents under `root` as a frame of `path`, `text`, `url`."""
    paths = sorted(
        os.path.join(d, f) for d, _, files in os.walk(root) for f in files
        if f.endswith((".md", ".html")) and f != "SOURCES.md"
    )
    texts = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            texts.append(f.read())
    # `url`: the original article's address where the crawl knows it (None or NaN if not).
    return pd.DataFrame({"path": paths, "text": texts, "url": [None] * len(paths)})


def with_content(df):
    """One column: the article as Markdown, one call per document."""
    return df.assign(content=df["text"].apply(lambda text: cleaner.clean(text).content))


def with_fields(df):
    """Every field of `dechaff --to json` as columns, one call per row (with its URL)."""
    articles = df.apply(lambda row: cleaner.clean(row["text"], url=row["url"]), axis=1)
    fields = pd.DataFrame([a.to_dict() for a in articles], index=df.index)
    return df.drop(columns=["url"]).join(fields)


def with_fields_in_parallel(df):
    """The same as `with_fields`, as one batch: in parallel on every core, in row order."""
    articles = cleaner.clean_many(df["text"], df["url"])
    fields = pd.DataFrame([a.to_dict() for a in articles], index=df.index)
    return df.drop(columns=["url"]).join(fields)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "tests", "corpus", "seeds")
    df = load(root)
    print(with_content(df)[["path", "content"]].head())
    print(with_fields_in_parallel(df)[["family", "outlet", "date", "title"]].to_string())
