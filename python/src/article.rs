//! `dechaff.Article`: one cleaned article, the fields of `dechaff --to json`.
//!
//! The fields are the library's own JSON record (`dechaff::Cleaned::article_in`, serialized
//! by serde), turned into Python objects: the same names, values and order as the CLI's JSON
//! output, by construction.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

/// The fields every record has (`docs/article.schema.json`, "required").
const REQUIRED: [&str; 19] = [
    "title",
    "date",
    "author",
    "outlet",
    "family",
    "url",
    "translation_of",
    "short_url",
    "rights",
    "reprinted_from",
    "reprinted_from_url",
    "first_published_in",
    "first_published_url",
    "first_published_on",
    "original_title",
    "images",
    "content",
    "warnings",
    "rules",
];

/// One cleaned article: its facts and its content. The fields are those of
/// `dechaff --to json` (docs/article.schema.json), with the same values.
///
/// The record stays in Rust; a field becomes a Python object when it is read, so a caller
/// that reads only `content` pays for no dicts of rules or images.
#[pyclass(frozen, eq, module = "dechaff")]
#[derive(PartialEq)]
pub struct Article {
    /// The JSON record, in the CLI's key order.
    record: Map<String, Value>,
}

impl Article {
    /// The article for a JSON record made by the library.
    pub fn from_record(record: Value) -> PyResult<Article> {
        match record {
            Value::Object(record) => Ok(Article { record }),
            _ => Err(PyValueError::new_err("the library gave no article record")),
        }
    }

    fn field<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.record.get(name) {
            Some(value) => to_python(py, value),
            None => Err(PyValueError::new_err(format!(
                "the article has no `{name}` field"
            ))),
        }
    }
}

#[pymethods]
impl Article {
    /// An Article from a dict of its fields, such as `article.to_dict()` or one record of
    /// `dechaff --to json` / `--to jsonl` read with `json.loads` (an `id` is kept).
    #[classmethod]
    fn from_dict(
        _cls: &Bound<'_, pyo3::types::PyType>,
        fields: &Bound<'_, PyDict>,
    ) -> PyResult<Article> {
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|k| !fields.contains(*k).unwrap_or(false))
            .collect();
        if !missing.is_empty() {
            return Err(PyValueError::new_err(format!(
                "not an article record: no {}",
                missing.join(", ")
            )));
        }
        Article::from_record(from_python(fields.as_any())?)
    }

    /// The title, or None.
    #[getter]
    fn title<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "title")
    }

    /// The date in ISO 8601 (a date, or a date and time with its zone), or None.
    #[getter]
    fn date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "date")
    }

    /// The byline or the author the front matter names, or None.
    #[getter]
    fn author<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "author")
    }

    /// The outlet's rule-file name (`dw`, `epochtimes`, …), or None.
    #[getter]
    fn outlet<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "outlet")
    }

    /// The mirror family's rule-file name (`feedx`, `gfw-breaker`, …), or None.
    #[getter]
    fn family<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "family")
    }

    /// The original article's address (never the mirror's), or None.
    #[getter]
    fn url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "url")
    }

    /// The original-language version of a translated article (`点击查看本文英文版`), or None.
    #[getter]
    fn translation_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "translation_of")
    }

    /// A short address of the article that the outlet gives (`本文短网址`), or None.
    #[getter]
    fn short_url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "short_url")
    }

    /// The notice on the article's rights that the page carries (a reprint permission, the
    /// outlet's terms for copies), or None.
    #[getter]
    fn rights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "rights")
    }

    /// The publication the article was reprinted from, as the page names it (`来源：…`,
    /// `原文来自「…」`), or None.
    #[getter]
    fn reprinted_from<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "reprinted_from")
    }

    /// The address of the publication the article was reprinted from, as the page links it
    /// (`本文转载自[…](URL)`), or None.
    #[getter]
    fn reprinted_from_url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "reprinted_from_url")
    }

    /// Where the article first appeared, as a note names it (`始发于简书`), or None.
    #[getter]
    fn first_published_in<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "first_published_in")
    }

    /// The address where the article first appeared, as a note links it, or None.
    #[getter]
    fn first_published_url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "first_published_url")
    }

    /// When the article first appeared, as a note dates it (`本文首发于2018年6月1日`): an
    /// ISO 8601 date, or None.
    #[getter]
    fn first_published_on<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "first_published_on")
    }

    /// The title the article first appeared under, as a note gives it (`原标题：…`), or None.
    #[getter]
    fn original_title<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "original_title")
    }

    /// The article's images: dicts of `src`, `alt`, `caption` (a new list each time).
    #[getter]
    fn images<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "images")
    }

    /// The article, in the format `to` asked for (Markdown by default).
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "content")
    }

    /// What the caller should know: dicts of `kind`, `message` (a new list each time).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "warnings")
    }

    /// The rules that fired: dicts of `id`, `action`, `count`, `bytes_removed`, `origin`,
    /// `previews` (a new list each time).
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.field(py, "rules")
    }

    /// The fields as a new dict, keys in the CLI's order.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python_map(py, &self.record)
    }

    /// The record as one line of JSON, byte for byte what `dechaff --to json` prints for the
    /// same document and options (without its final newline): the same serializer writes
    /// the same record.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.record).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        let mut shown = Vec::new();
        for name in ["title", "date", "outlet", "family", "url"] {
            if let Some(Value::String(s)) = self.record.get(name) {
                shown.push(format!("{name}={}", serde_json::Value::from(s.as_str())));
            }
        }
        if let Some(Value::String(content)) = self.record.get("content") {
            shown.push(format!("content=<{} characters>", content.chars().count()));
        }
        format!("Article({})", shown.join(", "))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_dict = slf.get_type().getattr("from_dict")?;
        let fields = slf.get().to_dict(py)?;
        PyTuple::new(py, [from_dict, PyTuple::new(py, [fields])?.into_any()])
    }
}

/// A JSON value as Python objects: null, bool, int, float, str, list and dict.
fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|v| to_python(py, v))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(map) => to_python_map(py, map)?,
    })
}

fn to_python_map<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(PyString::intern(py, k), to_python(py, v)?)?;
    }
    Ok(dict.into_any())
}

/// Python objects as a JSON value: the inverse of [`to_python`].
fn from_python(object: &Bound<'_, PyAny>) -> PyResult<Value> {
    if object.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = object.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if object.is_instance_of::<PyInt>() {
        match object.extract::<i64>() {
            Ok(i) => Ok(i.into()),
            Err(_) => Ok(object.extract::<u64>()?.into()),
        }
    } else if let Ok(f) = object.cast::<PyFloat>() {
        Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number))
    } else if let Ok(s) = object.cast::<PyString>() {
        Ok(Value::String(s.to_str()?.to_owned()))
    } else if let Ok(list) = object.cast::<PyList>() {
        list.iter()
            .map(|v| from_python(&v))
            .collect::<PyResult<_>>()
            .map(Value::Array)
    } else if let Ok(dict) = object.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("an article's keys are strings"))?;
            map.insert(key.to_str()?.to_owned(), from_python(&v)?);
        }
        Ok(Value::Object(map))
    } else {
        Err(PyTypeError::new_err(format!(
            "an article field holds a {}, which JSON cannot",
            object.get_type().name()?
        )))
    }
}
