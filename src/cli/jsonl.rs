//! JSON Lines in and out, the shape that Spark's `RDD.pipe`, GNU parallel and similar
//! engines feed a filter: one document per line in, one result per line out, in order.
//! Memory is bounded by the largest line, not by the stream.

use super::args::{CleanArgs, OutputFormat};
use super::exit::{EXIT_FAILED, EXIT_OK};
use super::report::print_report;
use crate::{Cleaner, Format, Options};
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
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("dechaff: {shown}: cannot read: {e}");
                    status = EXIT_FAILED;
                    break;
                }
            }
            number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let record = answer(cleaner, args, options, &shown, number, &line);
            let mut text = serde_json::to_string(&record).unwrap_or_default();
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

/// The result record for one input line: the article, or an error naming the line.
fn answer(
    cleaner: &Cleaner,
    args: &CleanArgs,
    options: &Options,
    shown: &str,
    number: u64,
    line: &[u8],
) -> Value {
    let error = |id: Value, message: String| {
        let mut m = Map::new();
        m.insert("id".into(), id);
        m.insert("line".into(), number.into());
        m.insert("error".into(), message.into());
        Value::Object(m)
    };
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return error(Value::Null, format!("not JSON: {e}")),
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let Some(content) = value.get("content").and_then(Value::as_str) else {
        return error(id, "no string `content` field".into());
    };
    let mut options = options.clone();
    if let Some(url) = value.get("url").and_then(Value::as_str) {
        options.url = Some(url.to_string());
    }
    let cleaned = match cleaner.clean_str_with(content, &options) {
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
    let mut record = Map::new();
    record.insert("id".into(), id);
    if let Ok(Value::Object(article)) = serde_json::to_value(cleaned.article_in(content)) {
        record.extend(article);
    }
    Value::Object(record)
}
