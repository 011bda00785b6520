"""The seed documents through the Python package: detected, cleaned, and the same as the CLI
in every format."""
import os

import dechaff
import pytest
from conftest import SEEDS, documents, input_of, read

# name: (family, outlet, kept, gone) — a sentence of the article, and chaff of its page.
SEED_FACTS = {
    "gfw-breaker-epochtimes-2023.md": (
        "gfw-breaker", "epochtimes", "两国正在讨论向俄罗斯供应技术设备。", ["首页", "翻墙软件", "二维码", "九评"],
    ),
    "gfw-breaker-ntdtv-2023.md": (
        "gfw-breaker", "ntdtv", "正在把中国带向一个可怕的方向。", ["首页", "single_ad", "二维码", "九评"],
    ),
    "feedx-dw-2023.md": (
        "feedx", "dw", "米舒斯京则在周三人民大会堂举行的盛大欢迎仪式上表示", ["获取更多RSS", "feedx.net", "版权声明"],
    ),
    "jekyll-zaobao-2023.md": (
        "jekyll", "zaobao", "以确保2030年前俄中关系达到全新水平。", ["dfp-ad", "cx_paywall_placeholder", "data-src"],
    ),
    "bannedbook-soundofhope-2024.html": (
        "bannedbook", "soundofhope", "他们现在肯定得捆绑在一起。", ["大陆网友注意", "V2ray", "<audio", "shenyun"],
    ),
}


def test_every_seed_is_listed():
    assert sorted(SEED_FACTS) == sorted(os.path.basename(p) for p in documents(SEEDS))


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
@pytest.mark.parametrize("to", ["markdown", "html", "text", "source"])
def test_seed(name, to, cli):
    family, outlet, kept, gone = SEED_FACTS[name]
    path = os.path.join(SEEDS, name)
    article = dechaff.clean(read(path), to=to)
    assert (article.family, article.outlet) == (family, outlet)
    assert article.warnings == []
    assert kept in article.content
    for chaff in gone:
        assert chaff not in article.content, f"{name} --to {to}: still has {chaff!r}"
    assert article.rules, "the rules that fired are reported"
    # The CLI reads the same file (its format from the extension) to the same text.
    assert article.content == cli("-q", "--to", to, path)


def test_the_readme_example():
    # README: `dechaff --example gfw-breaker-epochtimes-2023 --to json | jq …`
    article = dechaff.clean(read(os.path.join(SEEDS, "gfw-breaker-epochtimes-2023.md")))
    assert article.title == "不顾西方反对 俄中签署系列双边协议"
    assert article.date == "2023-05-24"
    assert article.author == "徐简"
    assert article.outlet == "epochtimes"
    assert article.url == "https://www.epochtimes.com/gb/23/5/24/n14003045.htm"
    # The article's shape: the title as a level-1 heading, linked to the original.
    assert article.content.startswith(
        "# [不顾西方反对 俄中签署系列双边协议](https://www.epochtimes.com/gb/23/5/24/n14003045.htm)\n"
    )
    assert any(i["src"].endswith("id14003057-GettyImages-1257670179-600x400.jpg") for i in article.images)


def test_bytes_are_read_in_their_declared_encoding():
    text = read(os.path.join(SEEDS, "bannedbook-soundofhope-2024.html"))
    page = ('<meta charset="gb18030">' + text).encode("gb18030")
    article = dechaff.clean(page, input="html")
    assert article.outlet == "soundofhope"
    assert "他们现在肯定得捆绑在一起。" in article.content
    assert [w["kind"] for w in article.warnings] == ["transcoded"]
    assert article.content == dechaff.clean(text, input="html").content


def test_lone_surrogates_become_replacement_characters_with_a_warning():
    article = dechaff.clean("<p>a\ud800b</p>", input="html")
    # Encoded with `surrogatepass`, read as UTF-8 would be from a file: each of the
    # surrogate's three bytes becomes U+FFFD.
    assert article.content == "a\ufffd\ufffd\ufffdb\n"
    assert "invalid-bytes" in [w["kind"] for w in article.warnings]
