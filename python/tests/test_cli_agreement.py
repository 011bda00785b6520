"""The Python package and the CLI agree: every corpus document's Article equals, field by
field and byte for byte, what `dechaff --to json` (and `--from jsonl`) prints for it."""
import ast
import json
import os

import dechaff
import pytest
from conftest import CORPUS, ROOT, documents, input_of, read

DOCS = documents(CORPUS)


@pytest.fixture(scope="module")
def cleaner():
    return dechaff.Cleaner()


def test_the_corpus_is_there():
    assert len(DOCS) > 600


def test_every_document_equals_the_cli_json(cli, cleaner):
    lines = cli("-q", "--to", "json", *DOCS).splitlines()
    assert len(lines) == len(DOCS)
    expected = dict(zip(DOCS, lines))
    # The CLI reads a file's format from its extension; the package is told.
    for input in ("markdown", "html"):
        paths = [p for p in DOCS if input_of(p) == input]
        assert paths
        articles = cleaner.clean_many([read(p) for p in paths], input=input)
        for path, article in zip(paths, articles):
            shown = os.path.relpath(path, ROOT)
            # With several files, each record starts with the file's path.
            prefix = '{"path":' + json.dumps(path, ensure_ascii=False) + ","
            line = expected[path]
            assert line.startswith(prefix), shown
            record = json.loads(line)
            assert record.pop("path") == path
            assert article.to_dict() == record, shown
            assert article.to_json() == "{" + line[len(prefix):], shown


@pytest.mark.parametrize("to", ["markdown", "html", "text", "source"])
def test_json_lines_records_equal_the_batch(cli, cleaner, to):
    # `--from jsonl` detects the format as the package does when `input` is None.
    texts = [read(p) for p in (DOCS if to == "markdown" else DOCS[::7])]
    # An original URL for every third document; the corpus documents name their own, so
    # two that do not are added: there the URL given is the article's `url` and names
    # its outlet.
    urls = [f"https://www.rfa.org/mandarin/a-{i}" if i % 3 == 0 else None for i in range(len(texts))]
    texts += ["<p>An article that names no address.</p>", "<p>Neither does this one.</p>"]
    urls += ["https://www.dw.com/zh/a-1", None]
    lines = []
    for i, (text, url) in enumerate(zip(texts, urls)):
        record = {"id": i, "content": text}
        if url:
            record["url"] = url
        lines.append(json.dumps(record, ensure_ascii=False))
    out = cli("-q", "--from", "jsonl", "--to", "jsonl" if to == "markdown" else to, stdin="\n".join(lines) + "\n")
    records = [json.loads(l) for l in out.splitlines()]
    assert [r.pop("id") for r in records] == list(range(len(texts)))
    articles = cleaner.clean_many(texts, urls, to=to)
    assert [a.to_dict() for a in articles] == records
    assert (articles[-2].outlet, articles[-2].url) == ("dw", "https://www.dw.com/zh/a-1")
    assert (articles[-1].outlet, articles[-1].url) == (None, None)


def test_the_fields_are_the_schema_the_stubs_and_the_attributes():
    schema = json.load(open(os.path.join(ROOT, "docs", "article.schema.json"), encoding="utf-8"))
    fields = [k for k in schema["properties"] if k != "id"]
    article = dechaff.clean("<h1>T</h1><p>Body.</p>")
    assert list(article.to_dict()) == fields == schema["required"]
    for name in fields:
        assert getattr(article, name) == article.to_dict()[name]
    stub = ast.parse(open(os.path.join(ROOT, "python", "dechaff", "_dechaff.pyi"), encoding="utf-8").read())
    cls = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Article")
    properties = [
        n.name for n in cls.body
        if isinstance(n, ast.FunctionDef) and any(getattr(d, "id", None) == "property" for d in n.decorator_list)
    ]
    assert properties == fields


def test_an_article_round_trips_through_dict_json_and_pickle(cleaner):
    import pickle

    article = cleaner.clean(read(DOCS[0]))
    assert dechaff.Article.from_dict(article.to_dict()) == article
    assert dechaff.Article.from_dict(json.loads(article.to_json())) == article
    assert pickle.loads(pickle.dumps(article)) == article
    assert article != cleaner.clean(read(DOCS[1]))
    with pytest.raises(ValueError, match="no content"):
        dechaff.Article.from_dict({k: v for k, v in article.to_dict().items() if k != "content"})


def test_a_reprint_line_names_the_publication_and_leaves_the_body(cli):
    page = "<h1>T</h1><p>来源于微信公众号「面朝一勺海」，作者第十三号勺子</p><p>来源于朋友圈的消息。</p>"
    article = dechaff.clean(page, input="html")
    assert (article.reprinted_from, article.author) == ("面朝一勺海", "第十三号勺子")
    assert article.content == "# T\n\n来源于朋友圈的消息。\n"
    assert json.loads(cli("-q", "--from", "html", "--to", "json", stdin=page))["reprinted_from"] == "面朝一勺海"


def test_a_note_on_where_the_article_first_appeared_becomes_fields(cli):
    page = "<h1>T</h1><p>首发于<a href='https://theinitium.com/a/1/'>端传媒</a></p><p>Body.</p>"
    article = dechaff.clean(page, input="html")
    assert (article.first_published_in, article.first_published_url) == ("端传媒", "https://theinitium.com/a/1/")
    assert article.content == "# T\n\nBody.\n"
    out = json.loads(cli("-q", "--from", "html", "--to", "json", stdin=page))
    assert (out["first_published_in"], out["first_published_url"]) == ("端传媒", "https://theinitium.com/a/1/")


def test_a_reprint_note_under_the_article_names_and_links_its_source(cli):
    page = "<h1>T</h1><p>Body.</p><p>本文经授权转载自<a href='https://blog.example/1'>某博客</a></p>"
    article = dechaff.clean(page, input="html")
    assert (article.reprinted_from, article.reprinted_from_url) == ("某博客", "https://blog.example/1")
    assert article.content == "# T\n\nBody.\n"
    out = json.loads(cli("-q", "--from", "html", "--to", "json", stdin=page))
    assert (out["reprinted_from"], out["reprinted_from_url"], out["rights"]) == ("某博客", "https://blog.example/1", "本文经授权")


def test_a_note_on_when_and_under_which_title_the_article_first_appeared_becomes_fields(cli):
    page = "<h1>T</h1><p><em>本文首发于2018年6月1日，原标题：儿童节：某题</em></p><p>Body.</p>"
    article = dechaff.clean(page, input="html")
    assert (article.first_published_on, article.original_title) == ("2018-06-01", "儿童节：某题")
    assert article.content == "# T\n\nBody.\n"
    out = json.loads(cli("-q", "--from", "html", "--to", "json", stdin=page))
    assert (out["first_published_on"], out["original_title"]) == ("2018-06-01", "儿童节：某题")


def test_a_note_at_the_end_of_a_paragraph_leaves_it_and_the_sentences_before_stay(cli):
    page = "<h1>T</h1><p>Body.</p><p><em>某人系某大学博士。</em>原载于《某学报》2020年第1期，由某出版社授权刊发。</p>"
    article = dechaff.clean(page, input="html")
    assert (article.first_published_in, article.rights) == ("《某学报》2020年第1期", "由某出版社授权刊发")
    assert article.content == "# T\n\nBody.\n\n某人系某大学博士。\n"
