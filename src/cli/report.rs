//! A document's report shown to people: `explain`'s account, `-v`'s lines, the warnings.

use super::args::{CleanArgs, ReportFormat};
use crate::Report;
use std::fmt::Write as _;

/// A report as text for people or as one line of JSON.
pub fn explain(shown: &str, report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut value = serde_json::to_value(report).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert("document".into(), shown.into());
            }
            format!("{value}\n")
        }
        ReportFormat::Text => explain_text(shown, report),
    }
}

fn explain_text(shown: &str, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{shown}");
    let _ = writeln!(
        out,
        "  family: {}",
        report.family.as_deref().unwrap_or("(none recognised)")
    );
    let _ = writeln!(
        out,
        "  outlet: {}",
        report.outlet.as_deref().unwrap_or("(none recognised)")
    );
    if let Some(url) = &report.source_url {
        let _ = writeln!(out, "  source: {url}");
    }
    for e in &report.evidence {
        let _ = writeln!(out, "  because {e}");
    }
    if report.fired.is_empty() {
        let _ = writeln!(out, "  no rule fired");
    }
    for hit in &report.fired {
        let times = if hit.count == 1 {
            "once".to_string()
        } else {
            format!("{} times", hit.count)
        };
        let _ = writeln!(
            out,
            "  {} ({}, {}) {times}, {} bytes removed",
            hit.id, hit.action, hit.origin, hit.bytes_removed
        );
        for p in &hit.previews {
            let _ = writeln!(out, "      - {p}");
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "  warning[{}]: {}", w.kind, w.message);
    }
    out
}

/// What a cleaning says on standard error: its explanation with `--explain`, else its
/// warnings (none with `-q`) and, with `-v`, what was detected and which rules fired.
pub fn print_report(args: &CleanArgs, shown: &str, report: &Report) {
    if let Some(format) = args.explain {
        eprint!("{}", explain(shown, report, format));
        return;
    }
    if args.quiet {
        return;
    }
    for w in &report.warnings {
        eprintln!("dechaff: warning: {shown}: {}", w.message);
    }
    if !args.verbose {
        return;
    }
    eprintln!(
        "{shown}: family {}, outlet {}",
        report.family.as_deref().unwrap_or("-"),
        report.outlet.as_deref().unwrap_or("-")
    );
    if let Some(url) = &report.source_url {
        eprintln!("  source: {url}");
    }
    for e in &report.evidence {
        eprintln!("  evidence: {e}");
    }
    for hit in &report.fired {
        eprintln!(
            "  {:<40} {:<16} x{:<3} -{} bytes  ({})",
            hit.id, hit.action, hit.count, hit.bytes_removed, hit.origin
        );
    }
}
