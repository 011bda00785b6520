"""The examples in examples/python run, and give what the package gives directly: a pandas
`apply` and a Hugging Face `datasets.map(batched=True)`."""
import importlib.util
import os
import sys

import dechaff
import pytest
from conftest import ROOT, SEEDS, documents, read

EXAMPLES = os.path.join(ROOT, "examples", "python")


def example(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    # Importable by name, as a script's module is: `map(num_proc=N)` pickles its function
    # by reference to it (a worker that cannot import it never answers, and map waits).
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def expected():
    return dechaff.Cleaner().clean_many([read(p) for p in documents(SEEDS)])


def test_pandas_apply():
    pd = pytest.importorskip("pandas")
    ex = example("pandas_apply")
    df = ex.load(SEEDS)
    articles = expected()
    assert list(ex.with_content(df)["content"]) == [a.content for a in articles]
    one_by_one, batch = ex.with_fields(df), ex.with_fields_in_parallel(df)
    assert one_by_one.equals(batch)
    fields = pd.DataFrame([a.to_dict() for a in articles])
    pd.testing.assert_frame_equal(batch.drop(columns=["path", "text"]), fields)
    # A missing URL in a pandas column is NaN: read as no URL.
    df["url"] = pd.Series([None, "https://www.dw.com/zh/a-1", None, None, None], dtype="str")
    assert df["url"].isna().sum() == 4
    assert list(ex.with_fields_in_parallel(df)["url"]) == [a.url for a in articles]


@pytest.mark.parametrize("num_proc", [None, 2])
def test_datasets_map(num_proc, monkeypatch):
    pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    ex = example("datasets_map")
    dataset = ex.load(SEEDS)
    # num_proc=2: the map function and its Cleaner are pickled into two processes.
    cleaned = dataset.map(ex.clean_batch, batched=True, batch_size=2, num_proc=num_proc, remove_columns=["text"])
    articles = expected()
    assert cleaned["path"] == documents(SEEDS)
    for field in ["title", "date", "author", "outlet", "family", "url", "content"]:
        assert cleaned[field] == [getattr(a, field) for a in articles], field
    assert cleaned["warnings"] == [[w["kind"] for w in a.warnings] for a in articles]
    assert ex.clean_dataset(dataset)["content"] == cleaned["content"]
