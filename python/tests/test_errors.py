"""Errors a caller can make, each raised as the right exception with a message that says
what is wrong and where."""
import os
import pathlib

import dechaff
import pytest
from conftest import SEEDS, read


def write_rules(root, name, text):
    path = root / "outlets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_rule_set_raises_rules_error_with_the_position(tmp_path):
    path = write_rules(
        tmp_path,
        "bad.toml",
        'description = "A broken outlet."\n\n[[rule]]\nid = "x"\naction = "remove"\nselector = "h2 + p"\nnote = "n"\n',
    )
    with pytest.raises(dechaff.RulesError) as raised:
        dechaff.Cleaner(rules=tmp_path)
    message = str(raised.value)
    assert f"{path}:6:12" in message, message
    assert "lol_html cannot run this selector" in message
    assert "^^^^^^^^" in message, "a caret under the selector"
    [d] = raised.value.diagnostics
    assert (d["path"], d["line"], d["col"]) == (str(path), 6, 12)
    assert "+" in d["help"]


def test_every_problem_is_reported_at_once(tmp_path):
    write_rules(tmp_path, "a.toml", '[[rule]]\nid = "x"\naction = "remove"\nselecter = "div"\nnote = "n"\n')
    write_rules(tmp_path, "b.toml", "not toml [\n")
    with pytest.raises(dechaff.RulesError) as raised:
        dechaff.Cleaner(rules=str(tmp_path))
    paths = sorted(os.path.basename(d["path"]) for d in raised.value.diagnostics)
    assert paths[0] == "a.toml" and "b.toml" in paths
    assert "unknown field `selecter`" in str(raised.value)


def test_a_missing_rules_directory_is_a_rules_error(tmp_path):
    with pytest.raises(dechaff.RulesError, match="not a directory of rule files"):
        dechaff.Cleaner(rules=tmp_path / "nowhere")


def test_a_good_rules_directory_is_used(tmp_path):
    write_rules(
        tmp_path,
        "dw.toml",
        'description = "DW, overridden."\n[detect]\nhosts = ["dw.com"]\n\n'
        '[[rule]]\nid = "promo"\naction = "remove"\nselector = "p.promo"\nnote = "A test rule."\n',
    )
    cleaner = dechaff.Cleaner(rules=tmp_path)
    assert cleaner.rules == pathlib.Path(tmp_path)
    article = cleaner.clean('<p>Body.</p><p class="promo">Buy!</p>', url="https://www.dw.com/zh/a-1", input="html")
    assert article.outlet == "dw"
    assert article.content == "Body.\n"
    assert [r["id"] for r in article.rules] == ["dw/promo"]


@pytest.mark.parametrize(
    "site, message",
    [
        ("feedx", 'site takes "FAMILY/OUTLET"'),
        ("nofamily/dw", 'no family named "nofamily"'),
        ("feedx/nooutlet", 'no outlet named "nooutlet"'),
    ],
)
def test_a_bad_site_is_a_value_error(site, message):
    with pytest.raises(ValueError, match=message):
        dechaff.clean("<p>x</p>", site=site)
    with pytest.raises(ValueError, match=message):
        dechaff.Cleaner().clean_many(["<p>x</p>"], site=site)


def test_a_good_site_forces_the_rules(cli):
    article = dechaff.clean("<p>x</p>", site="feedx/dw")
    assert (article.family, article.outlet) == ("feedx", "dw")
    # FAMILY/none: the family's and the common rules only, as the CLI's --site.
    page = read(os.path.join(SEEDS, "feedx-dw-2023.md"))
    alone = dechaff.clean(page, site="feedx/none")
    assert (alone.family, alone.outlet) == ("feedx", None)
    assert not any(r["id"].startswith("dw/") for r in alone.rules)
    assert alone.to_json() + "\n" == cli("--to", "json", "--site", "feedx/none", stdin=page)


@pytest.mark.parametrize(
    "to, message",
    [
        ("json", "the Article is the JSON record already"),
        ("jsonl", "the Article is the JSON record already"),
        ("md", 'to takes "markdown", "html", "text" or "source", got "md"'),
        ("", "to takes"),
    ],
)
def test_a_bad_format_is_a_value_error(to, message):
    with pytest.raises(ValueError, match=message):
        dechaff.clean("<p>x</p>", to=to)


def test_a_bad_input_format_is_a_value_error():
    with pytest.raises(ValueError, match='input takes "markdown" or "html"'):
        dechaff.clean("<p>x</p>", input="pdf")


def test_what_is_not_a_document_is_a_type_error():
    with pytest.raises(TypeError, match="not str or bytes"):
        dechaff.clean(42)
    with pytest.raises(TypeError, match="document 1 is NoneType, not str or bytes"):
        dechaff.Cleaner().clean_many(["<p>x</p>", None])
    with pytest.raises(TypeError):
        dechaff.Cleaner().clean_many(7)


def test_urls_must_match_the_texts():
    with pytest.raises(ValueError, match="2 texts but 1 urls"):
        dechaff.Cleaner().clean_many(["a", "b"], ["https://x.org/"])


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="threads must be at least 1"):
        dechaff.Cleaner().clean_many(["a"], threads=0)


def test_a_document_past_max_document_raises_and_a_higher_bound_lets_it_through():
    page = "<p>" + "News. " * 40 + "</p>"
    size = len(page.encode())
    for text in (page, page.encode()):
        with pytest.raises(ValueError, match="larger than 100 bytes.*max_document="):
            dechaff.clean(text, max_document=100)
    cleaner = dechaff.Cleaner()
    with pytest.raises(ValueError, match="max_document="):
        cleaner.clean_many([page, "<p>x</p>"], max_document=100, threads=1)
    assert cleaner.clean(page, max_document=size).content.startswith("News.")
    assert [a.content for a in cleaner.clean_many([page], max_document=size)] == [
        cleaner.clean(page).content
    ]
    with pytest.raises(OverflowError):
        dechaff.clean(page, max_document=-1)
