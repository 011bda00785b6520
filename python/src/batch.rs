//! Cleaning outside the GIL: the documents borrowed from their Python objects, one call or
//! a batch spread over threads, each result in its input's place.

use crate::Request;
use dechaff::{Cleaner, Error};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyString};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A document's bytes, held in a Python object while they are read without the GIL.
pub enum Held<'py> {
    /// A str, encoded to UTF-8. The encoding is a temporary object, not the UTF-8 copy
    /// that Python would otherwise cache beside the str for as long as the str lives.
    Utf8(Bound<'py, PyBytes>),
    /// bytes, in any encoding the document declares; also a str with lone surrogates,
    /// encoded with `surrogatepass` so that the library replaces them and warns, as it
    /// does for invalid UTF-8 from a file.
    Bytes(Bound<'py, PyBytes>),
}

/// The document at `index` of a call, checked: str or bytes.
pub fn hold<'py>(object: &Bound<'py, PyAny>, index: usize) -> PyResult<Held<'py>> {
    if let Ok(s) = object.cast::<PyString>() {
        if let Ok(utf8) = s.encode_utf8() {
            return Ok(Held::Utf8(utf8));
        }
        let bytes = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
        return Ok(Held::Bytes(bytes.cast_into::<PyBytes>()?));
    }
    if let Ok(b) = object.cast::<PyBytes>() {
        return Ok(Held::Bytes(b.clone()));
    }
    Err(PyTypeError::new_err(format!(
        "document {index} is {}, not str or bytes",
        object.get_type().name()?
    )))
}

/// The URL at `index` of a call: a str, or None; NaN too, as pandas marks a missing value.
pub fn url(object: &Bound<'_, PyAny>, index: usize) -> PyResult<Option<String>> {
    if object.is_none() {
        return Ok(None);
    }
    if let Ok(f) = object.cast::<PyFloat>()
        && f.value().is_nan()
    {
        return Ok(None);
    }
    match object.cast::<PyString>() {
        Ok(s) => Ok(Some(s.to_str()?.to_owned())),
        Err(_) => Err(PyTypeError::new_err(format!(
            "url {index} is {}, not str or None",
            object.get_type().name()?
        ))),
    }
}

/// A document's text, borrowed from its Python object: readable without the GIL, since
/// str and bytes objects never change.
pub enum Input<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Input<'a> {
    pub fn of(held: &'a Held<'_>) -> Input<'a> {
        match held {
            // SAFETY: the bytes are `str.encode("utf-8")` in strict mode, which either
            // fails (lone surrogates: see `hold`) or gives valid UTF-8; bytes objects never
            // change. Validating them again was 3 % of a call.
            Held::Utf8(b) => Input::Str(unsafe { std::str::from_utf8_unchecked(b.as_bytes()) }),
            Held::Bytes(b) => Input::Bytes(b.as_bytes()),
        }
    }
}

/// One document cleaned: its JSON record, as `dechaff --to json` writes it (the content in
/// the format asked for).
pub fn clean_one(
    cleaner: &Cleaner,
    input: &Input<'_>,
    url: Option<String>,
    request: &Request,
) -> Result<Value, Error> {
    let mut options = request.options.clone();
    options.url = url;
    let cleaned = match input {
        Input::Str(text) => cleaner.clean_str_with(text, &options)?,
        Input::Bytes(bytes) => cleaner.clean_bytes(bytes, &options)?,
    };
    serde_json::to_value(cleaned.article_in(request.to))
        .map_err(|e| Error::Io(std::io::Error::other(e)))
}

/// Every document cleaned, on up to `threads` threads, results in input order. Each thread
/// takes the next document as it finishes one (documents differ in size), with a clone of
/// the cleaner of its own: compiled regexes shared between threads contend for their caches.
pub fn clean_all(
    cleaner: &Cleaner,
    inputs: &[Input<'_>],
    urls: Vec<Option<String>>,
    request: &Request,
    threads: usize,
) -> Vec<Result<Value, Error>> {
    let threads = threads.min(inputs.len());
    if threads <= 1 {
        return inputs
            .iter()
            .zip(urls)
            .map(|(input, url)| clean_one(cleaner, input, url, request))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let (next, urls) = (&next, &urls);
    let mut done: Vec<(usize, Result<Value, Error>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let cleaner = cleaner.clone();
                scope.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        out.push((i, clean_one(&cleaner, input, urls[i].clone(), request)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(out) => out,
                // A panic is the library's bug; re-raised here, PyO3 turns it into
                // PanicException for the caller.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
