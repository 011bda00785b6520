"""Type stubs of dechaff's extension module (re-exported by the `dechaff` package)."""

import os
from pathlib import Path
from typing import Any, Iterable, Literal, TypedDict, final

__all__ = ["clean", "Cleaner", "Article", "RulesError", "__version__"]

__version__: str

_Format = Literal["markdown", "html", "text", "source"]
"""The content's format: CommonMark (default), one safe HTML fragment, plain text, or the
input's own format with the chaff removed."""

_InputFormat = Literal["markdown", "html"]
"""How to read a document; None detects it (the family's format, else sniffed)."""

class _Image(TypedDict):
    """One image of the article."""

    src: str
    alt: str | None
    caption: str | None

class _Warning(TypedDict):
    """Something the caller should know; the article is still there."""

    kind: str
    """A stable short name: `unknown-outlet`, `unclosed-element`, ..."""
    message: str

class _RuleHit(TypedDict):
    """One rule that acted on the document."""

    id: str
    action: str
    count: int
    bytes_removed: int
    origin: str
    """`file:line` of the rule."""
    previews: list[str]
    """The first few things it removed, shortened."""

class _Diagnostic(TypedDict):
    """One problem in a rule file."""

    path: str
    line: int
    col: int
    message: str
    help: str | None

class RulesError(Exception):
    """A rule set did not load. The message shows each problem at its `file:line:col`."""

    diagnostics: list[_Diagnostic]

@final
class Article:
    """One cleaned article. The fields are those of `dechaff --to json`
    (docs/article.schema.json), with the same values."""

    @property
    def title(self) -> str | None: ...
    @property
    def date(self) -> str | None:
        """ISO 8601: a date, or a date and time with its zone."""
    @property
    def author(self) -> str | None: ...
    @property
    def outlet(self) -> str | None:
        """The outlet's rule-file name (`dw`, `epochtimes`, ...)."""
    @property
    def family(self) -> str | None:
        """The mirror family's rule-file name (`feedx`, `gfw-breaker`, ...)."""
    @property
    def url(self) -> str | None:
        """The original article's address, never the mirror's."""
    @property
    def translation_of(self) -> str | None:
        """The original-language version of a translated article."""
    @property
    def short_url(self) -> str | None:
        """A short address of the article that the outlet gives."""
    @property
    def rights(self) -> str | None:
        """The notice on the article's rights that the page carries (a reprint permission)."""
    @property
    def reprinted_from(self) -> str | None:
        """The publication the article was reprinted from, as the page names it."""
    @property
    def reprinted_from_url(self) -> str | None:
        """The address of the publication the article was reprinted from, as the page links it."""
    @property
    def first_published_in(self) -> str | None:
        """Where the article first appeared, as a note names it."""
    @property
    def first_published_url(self) -> str | None:
        """The address where the article first appeared, as a note links it."""
    @property
    def first_published_on(self) -> str | None:
        """When the article first appeared, as a note dates it: an ISO 8601 date."""
    @property
    def original_title(self) -> str | None:
        """The title the article first appeared under, as a note gives it."""
    @property
    def images(self) -> list[_Image]: ...
    @property
    def content(self) -> str:
        """The article in the format `to` asked for (Markdown by default)."""
    @property
    def warnings(self) -> list[_Warning]: ...
    @property
    def rules(self) -> list[_RuleHit]:
        """The rules that fired."""
    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> Article:
        """An Article from `to_dict()` or a record of `dechaff --to json|jsonl`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a new dict, in the CLI's key order."""
    def to_json(self) -> str:
        """One line of JSON: what `dechaff --to json` prints, without the newline."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cleaner:
    """Cleans documents with one compiled rule set. Build it once and reuse it."""

    def __new__(cls, rules: str | os.PathLike[str] | None = None) -> Cleaner:
        """The built-in rules plus the `.toml` files under `rules` (as the CLI's `--rules`).

        Raises RulesError if the rule set does not load."""
    @property
    def rules(self) -> Path | None:
        """The rules directory given, or None for the built-in rules alone."""
    def clean(
        self,
        text: str | bytes,
        *,
        url: str | None = None,
        site: str | None = None,
        input: _InputFormat | None = None,
        to: _Format = "markdown",
        max_document: int | None = None,
    ) -> Article:
        """Cleans one document.

        text: the document; bytes may be in any encoding the document declares.
        url: the original article's address, when known: helps find the outlet.
        site: "FAMILY/OUTLET" to force the rules ("FAMILY/none": no outlet's rules);
            ValueError if the rules have no such family or outlet.
        input: "markdown" or "html"; None detects it.
        to: the format of `content`.
        max_document: the largest document cleaned, in bytes (None: 16 MiB); a larger
            one raises ValueError.
        """
    def clean_many(
        self,
        texts: Iterable[str | bytes],
        urls: Iterable[str | None] | None = None,
        *,
        site: str | None = None,
        input: _InputFormat | None = None,
        to: _Format = "markdown",
        threads: int | None = None,
        max_document: int | None = None,
    ) -> list[Article]:
        """Cleans many documents in parallel with the GIL released; the articles come back
        in the order of `texts`. `urls` has one entry per text; `threads` defaults to every
        core; `max_document` bounds each document as in `clean`."""

def clean(
    text: str | bytes,
    *,
    url: str | None = None,
    site: str | None = None,
    input: _InputFormat | None = None,
    to: _Format = "markdown",
    max_document: int | None = None,
) -> Article:
    """Cleans one document with the built-in rules (see `Cleaner.clean`)."""
