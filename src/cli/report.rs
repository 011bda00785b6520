//! A document's report shown to people: `explain`'s account, `-v`'s lines, the warnings.

use super::args::{CleanArgs, ReportFormat};
use crate::report::write_report;
use crate::{Catalog, Report};
use std::fmt::Write as _;

/// A report as text for people or as one line of JSON, with the `note` of each rule that
/// fired (why it exists) from `catalog`.
pub fn explain(shown: &str, report: &Report, format: ReportFormat, catalog: &Catalog) -> String {
    match format {
        ReportFormat::Json => {
            let mut value = serde_json::to_value(report).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                if let Some(fired) = obj.get_mut("fired").and_then(|f| f.as_array_mut()) {
                    for (hit, entry) in report.fired.iter().zip(fired) {
                        if let (Some(note), Some(entry)) =
                            (note_of(catalog, &hit.id), entry.as_object_mut())
                        {
                            entry.insert("note".into(), note.into());
                        }
                    }
                }
                obj.insert("document".into(), shown.into());
            }
            format!("{value}\n")
        }
        ReportFormat::Text => {
            let mut out = format!("{shown}\n");
            let _ = write_report(&mut out, report, "  ", |hit| note_of(catalog, &hit.id));
            out
        }
    }
}

/// The note of the rule with this full id.
fn note_of<'c>(catalog: &'c Catalog, id: &str) -> Option<&'c str> {
    catalog
        .files()
        .flat_map(|f| f.rules().iter())
        .find(|r| r.id == id)
        .map(|r| r.note.as_str())
}

/// What a cleaning says on standard error: its explanation with `--explain`, else its
/// warnings (none with `-q`) and, with `-v`, what was detected and which rules fired.
pub fn print_report(args: &CleanArgs, catalog: &Catalog, shown: &str, report: &Report) {
    eprint!("{}", report_text(args, catalog, shown, report));
}

/// The text [`print_report`] prints.
pub fn report_text(args: &CleanArgs, catalog: &Catalog, shown: &str, report: &Report) -> String {
    if let Some(format) = args.explain {
        return explain(shown, report, format, catalog);
    }
    let mut out = String::new();
    if args.quiet {
        return out;
    }
    for w in &report.warnings {
        let _ = writeln!(out, "dechaff: warning: {shown}: {}", w.message);
    }
    if !args.verbose {
        return out;
    }
    let _ = writeln!(
        out,
        "{shown}: family {}, outlet {}",
        report.family.as_deref().unwrap_or("-"),
        report.outlet.as_deref().unwrap_or("-")
    );
    if let Some(url) = &report.source_url {
        let _ = writeln!(out, "  source: {url}");
    }
    for e in &report.evidence {
        let _ = writeln!(out, "  evidence: {e}");
    }
    for hit in &report.fired {
        let _ = writeln!(
            out,
            "  {:<40} {:<16} x{:<3} -{} bytes  ({})",
            hit.id, hit.action, hit.count, hit.bytes_removed, hit.origin
        );
    }
    out
}
