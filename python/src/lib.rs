//! The `dechaff` Python package's extension module, `dechaff._dechaff`: `clean`, `Cleaner`
//! (with `clean_many`, a batch cleaned in parallel with the GIL released), `Article` and
//! `RulesError`. See `python/README.md`.

mod article;
mod batch;

use article::Article;
use batch::Input;
use dechaff::{Catalog, Format, InputFormat, Options};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::path::PathBuf;

create_exception!(
    dechaff,
    RulesError,
    PyException,
    "A rule set did not load: the message names each problem's file:line:col; `diagnostics` lists them as dicts."
);

/// Cleans documents with one compiled rule set: the built-in rules, plus the rule files of
/// a directory (as the CLI's `--rules`). Build it once and reuse it.
#[pyclass(frozen, module = "dechaff")]
struct Cleaner {
    inner: dechaff::Cleaner,
    rules: Option<PathBuf>,
}

/// The outlet of `site="FAMILY/none"`: the family's and the common rules only, as the
/// CLI's `--site FAMILY/none`.
const NO_OUTLET: &str = "none";

/// How one call asks for its documents to be cleaned.
struct Request {
    options: Options,
    to: Format,
}

#[pymethods]
impl Cleaner {
    /// Compiles the built-in rules, with the `.toml` files under `rules` added or replacing
    /// built-in files of the same relative path. Raises RulesError if they do not load.
    #[new]
    #[pyo3(signature = (rules = None))]
    fn new(py: Python<'_>, rules: Option<PathBuf>) -> PyResult<Cleaner> {
        let catalog = py.detach(|| match &rules {
            Some(dir) => Catalog::with_overrides(dir),
            None => Catalog::built_in(),
        });
        match catalog {
            Ok(catalog) => Ok(Cleaner {
                inner: dechaff::Cleaner::with_catalog(catalog),
                rules,
            }),
            Err(e) => Err(rules_error(py, &e)),
        }
    }

    /// The directory of rule files given, or None for the built-in rules alone.
    #[getter]
    fn rules(&self) -> Option<PathBuf> {
        self.rules.clone()
    }

    /// Cleans one document (str, or bytes in any encoding the document declares).
    #[pyo3(signature = (text, *, url = None, site = None, input = None, to = "markdown", max_document = None))]
    #[allow(clippy::too_many_arguments)]
    fn clean(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        url: Option<String>,
        site: Option<&str>,
        input: Option<&str>,
        to: &str,
        max_document: Option<usize>,
    ) -> PyResult<Article> {
        let request = self.request(site, input, to, max_document)?;
        let held = batch::hold(text, 0)?;
        let input = Input::of(&held);
        let result = py.detach(|| batch::clean_one(&self.inner, &input, url, &request));
        article_of(py, result)
    }

    /// Cleans many documents, in parallel on `threads` threads (default: every core) with
    /// the GIL released; the articles come back in the order of `texts`. `urls`, when
    /// given, has one URL (or None) per text.
    #[pyo3(signature = (texts, urls = None, *, site = None, input = None, to = "markdown", threads = None, max_document = None))]
    #[allow(clippy::too_many_arguments)]
    fn clean_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        urls: Option<&Bound<'py, PyAny>>,
        site: Option<&str>,
        input: Option<&str>,
        to: &str,
        threads: Option<usize>,
        max_document: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let request = self.request(site, input, to, max_document)?;
        let held = texts
            .try_iter()?
            .enumerate()
            .map(|(i, t)| batch::hold(&t?, i))
            .collect::<PyResult<Vec<_>>>()?;
        let urls = match urls {
            None => vec![None; held.len()],
            Some(urls) => {
                let urls = urls
                    .try_iter()?
                    .enumerate()
                    .map(|(i, u)| batch::url(&u?, i))
                    .collect::<PyResult<Vec<_>>>()?;
                if urls.len() != held.len() {
                    return Err(PyValueError::new_err(format!(
                        "{} texts but {} urls: give one URL (or None) per text",
                        held.len(),
                        urls.len()
                    )));
                }
                urls
            }
        };
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let inputs: Vec<Input<'_>> = held.iter().map(Input::of).collect();
        let results = py.detach(|| batch::clean_all(&self.inner, &inputs, urls, &request, threads));
        let articles = results
            .into_iter()
            .map(|r| article_of(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, articles)
    }

    fn __repr__(&self) -> String {
        match &self.rules {
            Some(dir) => format!("Cleaner(rules={:?})", dir.display().to_string()),
            None => "Cleaner()".to_string(),
        }
    }

    /// Pickled as its rules directory: a process that unpickles it compiles the rules anew
    /// (as `datasets.map(num_proc=N)` and `multiprocessing` do).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let rules = slf.get().rules.clone().into_pyobject(py)?.into_any();
        PyTuple::new(
            py,
            [
                slf.get_type().into_any(),
                PyTuple::new(py, [rules])?.into_any(),
            ],
        )
    }
}

impl Cleaner {
    /// The options and output format a call's keywords ask for, checked. `max_document`
    /// is the largest document read, in bytes (`Options::max_document` by default).
    fn request(
        &self,
        site: Option<&str>,
        input: Option<&str>,
        to: &str,
        max_document: Option<usize>,
    ) -> PyResult<Request> {
        let mut options = Options::default();
        if let Some(bytes) = max_document {
            options.max_document = bytes;
        }
        if let Some(site) = site {
            let Some((family, outlet)) = site.split_once('/') else {
                return Err(PyValueError::new_err(format!(
                    "site takes \"FAMILY/OUTLET\" (e.g. \"feedx/dw\", or \"feedx/none\" for no outlet's rules), got {site:?}"
                )));
            };
            let catalog = self.inner.catalog();
            if catalog.family(family).is_none() {
                return Err(PyValueError::new_err(format!(
                    "no family named {family:?} in the rules"
                )));
            }
            options.family = Some(family.to_string());
            if outlet == NO_OUTLET {
                options.no_outlet = true;
            } else if catalog.outlet(outlet).is_none() {
                return Err(PyValueError::new_err(format!(
                    "no outlet named {outlet:?} in the rules"
                )));
            } else {
                options.outlet = Some(outlet.to_string());
            }
        }
        options.format = match input {
            None => None,
            Some("markdown") => Some(InputFormat::Markdown),
            Some("html") => Some(InputFormat::Html),
            Some(other) => {
                return Err(PyValueError::new_err(format!(
                    "input takes \"markdown\" or \"html\" (or None to detect it), got {other:?}"
                )));
            }
        };
        let to = match to {
            "markdown" => Format::Markdown,
            "html" => Format::Html,
            "text" => Format::Text,
            "source" => Format::Source,
            "json" | "jsonl" => {
                return Err(PyValueError::new_err(format!(
                    "to={to:?}: the Article is the JSON record already; use article.to_dict() \
                     or article.to_json(), and `to` for the content's format: \
                     \"markdown\", \"html\", \"text\" or \"source\""
                )));
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "to takes \"markdown\", \"html\", \"text\" or \"source\", got {other:?}"
                )));
            }
        };
        Ok(Request { options, to })
    }
}

/// The Article for a library result, or the Python exception for its error.
fn article_of(
    py: Python<'_>,
    result: Result<serde_json::Value, dechaff::Error>,
) -> PyResult<Article> {
    match result {
        Ok(record) => Article::from_record(record),
        Err(dechaff::Error::Io(e)) => Err(PyOSError::new_err(e.to_string())),
        Err(dechaff::Error::Rules(e)) => Err(rules_error(py, &e)),
        Err(e @ dechaff::Error::TooLarge { .. }) => {
            let default = dechaff::Options::DEFAULT_MAX_DOCUMENT;
            Err(PyValueError::new_err(format!(
                "{e}; raise the bound with max_document=BYTES (default {} MiB, {default} bytes)",
                default >> 20
            )))
        }
        Err(e) => Err(PyValueError::new_err(e.to_string())),
    }
}

/// RulesError with the library's diagnostics: the message shows each one as `rules check`
/// does (`--> file:line:col`, the line, a caret); `diagnostics` holds them as dicts.
fn rules_error(py: Python<'_>, e: &dechaff::RulesError) -> PyErr {
    let err = RulesError::new_err(e.to_string());
    let diagnostics = e
        .diagnostics
        .iter()
        .map(|d| {
            let dict = PyDict::new(py);
            dict.set_item("path", &d.path)?;
            dict.set_item("line", d.line)?;
            dict.set_item("col", d.col)?;
            dict.set_item("message", &d.message)?;
            dict.set_item("help", &d.help)?;
            Ok(dict)
        })
        .collect::<PyResult<Vec<_>>>()
        .and_then(|ds| PyList::new(py, ds));
    match diagnostics.and_then(|ds| err.value(py).setattr("diagnostics", ds)) {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// The cleaner `dechaff.clean` uses: the built-in rules, compiled on first use.
static DEFAULT: PyOnceLock<Py<Cleaner>> = PyOnceLock::new();

/// Cleans one document with the built-in rules. See `Cleaner.clean`.
#[pyfunction]
#[pyo3(signature = (text, *, url = None, site = None, input = None, to = "markdown", max_document = None))]
fn clean(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    url: Option<String>,
    site: Option<&str>,
    input: Option<&str>,
    to: &str,
    max_document: Option<usize>,
) -> PyResult<Article> {
    let cleaner = DEFAULT.get_or_try_init(py, || Py::new(py, Cleaner::new(py, None)?))?;
    cleaner
        .get()
        .clean(py, text, url, site, input, to, max_document)
}

#[pymodule]
fn _dechaff(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_class::<Cleaner>()?;
    m.add_class::<Article>()?;
    m.add("RulesError", py.get_type::<RulesError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
