//! JSON Lines in and out, the shape that Spark's `RDD.pipe`, GNU parallel and similar
//! engines feed a filter: one document per line in, one result per line out, in order.
//! Memory is bounded by the largest line, not by the stream, and a line by
//! `--max-document`.

use super::args::{CleanArgs, OutputFormat};
use super::exit::{EXIT_FAILED, EXIT_OK};
use super::report::print_report;
use crate::{Cleaner, Format, Options};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::io::{self, BufRead, BufReader, Read, Write};

pub fn run(cleaner: &Cleaner, args: &CleanArgs, options: &Options) -> i32 {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut status = EXIT_OK;
    let sources: Vec<(String, Box<dyn Read>)> = if args.files.is_empty() {
        vec![("<stdin>".to_string(), Box::new(io::stdin()))]
    } else {
        let mut v: Vec<(String, Box<dyn Read>)> = Vec::new();
        for path in &args.files {
            if path.as_os_str() == "-" {
                v.push(("<stdin>".to_string(), Box::new(io::stdin())));
                continue;
            }
            match std::fs::File::open(path) {
                Ok(f) => v.push((path.display().to_string(), Box::new(f))),
                Err(e) => {
                    eprintln!("dechaff: {}: cannot read: {e}", path.display());
                    status = EXIT_FAILED;
                }
            }
        }
        v
    };
    for (shown, reader) in sources {
        let mut reader = BufReader::new(reader);
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            // A line is held up to `--max-document` bytes; the rest of a longer one is
            // read past, not kept.
            let cap = u64::try_from(options.max_document)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let read = (&mut reader)
                .take(cap)
                .read_until(b'\n', &mut line)
                .and_then(|n| match line.last() {
                    Some(b'\n') | None => Ok(n),
                    Some(_) if n as u64 == cap => skip_line(&mut reader).map(|_| n),
                    Some(_) => Ok(n),
                });
            match read {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("dechaff: {shown}: cannot read: {e}");
                    status = EXIT_FAILED;
                    break;
                }
            }
            number += 1;
            // Every line is answered, a blank one too: one result per line, in order.
            let mut text = if line.len() > options.max_document {
                let mut m = Map::new();
                m.insert("line".into(), number.into());
                m.insert(
                    "error".into(),
                    format!(
                        "{}; the line was not read",
                        crate::Error::TooLarge {
                            limit: options.max_document
                        }
                    )
                    .into(),
                );
                record(None, m)
            } else {
                answer(cleaner, args, options, &shown, number, &line)
            };
            text.push('\n');
            if let Err(e) = out.write_all(text.as_bytes()) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return EXIT_OK;
                }
                eprintln!("dechaff: <stdout>: cannot write: {e}");
                return EXIT_FAILED;
            }
        }
    }
    if let Err(e) = out.flush()
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("dechaff: <stdout>: cannot write: {e}");
        return EXIT_FAILED;
    }
    status
}

/// Reads past the rest of a line, keeping none of it.
fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// What one input line holds: `id` as written (a number too long for a float, an object
/// with its spacing), `content`, `url`; other fields are ignored.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    url: Option<Value>,
}

/// A record of `fields` with the input's `id` first, written as the input wrote it.
fn record(id: Option<&RawValue>, fields: Map<String, Value>) -> String {
    let mut text = String::from("{\"id\":");
    text.push_str(id.map_or("null", RawValue::get));
    let rest = Value::Object(fields).to_string();
    if rest.len() > 2 {
        text.push(',');
        text.push_str(&rest[1..]);
    } else {
        text.push('}');
    }
    text
}

/// The result record for one input line, as one line of JSON: the article, or an error
/// naming the line.
fn answer(
    cleaner: &Cleaner,
    args: &CleanArgs,
    options: &Options,
    shown: &str,
    number: u64,
    line: &[u8],
) -> String {
    let error = |id: Option<&RawValue>, message: String| {
        let mut m = Map::new();
        m.insert("line".into(), number.into());
        m.insert("error".into(), message.into());
        record(id, m)
    };
    let trimmed = line.trim_ascii();
    if trimmed.is_empty() {
        return error(None, "an empty line, not a document".into());
    }
    let value: Line = match serde_json::from_slice(trimmed) {
        // (A struct would also take an array of its fields.)
        Ok(v) if trimmed.starts_with(b"{") => v,
        Err(e) if e.classify() != serde_json::error::Category::Data => {
            return error(None, format!("not JSON: {e}"));
        }
        Err(e) if trimmed.starts_with(b"{") => return error(None, format!("not a document: {e}")),
        _ => {
            return error(
                None,
                "not a JSON object: {\"id\": …, \"content\": …}".into(),
            );
        }
    };
    let id = value.id;
    let Some(Value::String(content)) = value.content else {
        return error(id, "no string `content` field".into());
    };
    let mut options = options.clone();
    // Only a web address is taken as the original's: anything else is left out.
    options.url = match value.url {
        Some(Value::String(url)) if crate::detect::is_web_url(&url) => Some(url),
        _ => None,
    };
    let cleaned = match cleaner.clean_str_with(&content, &options) {
        Ok(c) => c,
        Err(e) => return error(id, e.to_string()),
    };
    print_report(
        args,
        cleaner.catalog(),
        &format!("{shown}:{number}"),
        &cleaned.report,
    );
    let content = match args.to() {
        OutputFormat::Html => Format::Html,
        OutputFormat::Text => Format::Text,
        OutputFormat::Source => Format::Source,
        _ => Format::Markdown,
    };
    let mut fields = Map::new();
    if let Ok(Value::Object(article)) = serde_json::to_value(cleaned.article_in(content)) {
        fields.extend(article);
    }
    record(id, fields)
}
