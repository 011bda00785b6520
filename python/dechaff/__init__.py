"""dechaff strips the boilerplate that news mirrors and outlets wrap around an article.

    >>> import dechaff
    >>> article = dechaff.clean(page)                  # built-in rules; an Article
    >>> article.title, article.outlet, article.content
    >>> cleaner = dechaff.Cleaner(rules="my-rules/")   # compiled once, reused
    >>> articles = cleaner.clean_many(pages, urls)     # in parallel, in input order

An Article's fields are those of ``dechaff --to json`` (docs/article.schema.json), with the
same values. See the package's README.md.
"""

from ._dechaff import Article, Cleaner, RulesError, __version__, clean

__all__ = ["Article", "Cleaner", "RulesError", "__version__", "clean"]
