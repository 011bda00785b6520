//! The baseline for `bench/run.py`: every document under a directory through a bare lol_html
//! pass carrying the same selectors as dechaff's rules for it, with empty handlers. What
//! dechaff costs beyond this is its own work.
//!
//! `cargo run --release --example bare_pass -- DIR`: the pass alone, timed, for the script.
//! `… -- DIR --alternate N`: the pass and dechaff's cleaning side by side, N rounds, with
//! the median ratio: the steadiest form of the 0.7 × target's figure on a drifting machine.

use dechaff::fixtures::{documents_under, options_for};
use dechaff::{Catalog, Cleaner};
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use std::borrow::Cow;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, alternate) = match args.as_slice() {
        [dir] => (dir.clone(), None),
        [dir, flag, n] if flag == "--alternate" && n.parse::<usize>().is_ok_and(|n| n > 0) => {
            (dir.clone(), n.parse().ok())
        }
        _ => {
            eprintln!("usage: bare_pass DIR [--alternate ROUNDS]");
            std::process::exit(2);
        }
    };
    let catalog = Catalog::built_in().expect("built-in rules load");
    let detector = Cleaner::with_catalog(Catalog::built_in().expect("built-in rules load"));
    let documents = documents_under(std::path::Path::new(&dir));
    // Detection is dechaff's own work too: it is done first, outside the measured pass.
    let prepared: Vec<(String, Vec<Selector>)> = documents
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable document");
            let report = detector
                .clean_str_with(&text, &options_for(path))
                .expect("cleans")
                .report;
            let selectors = catalog
                .rules_for(report.family.as_deref(), report.outlet.as_deref())
                .iter()
                .filter_map(|r| r.action.selector())
                .map(|css| css.compiled.clone())
                .collect();
            (text, selectors)
        })
        .collect();
    if let Some(rounds) = alternate {
        alternate_with_dechaff(&documents, &prepared, &detector, rounds);
        return;
    }
    let started = std::time::Instant::now();
    let bytes = bare_pass(&prepared);
    // The pass alone, for bench/run.py: seconds and input bytes.
    let input: usize = prepared.iter().map(|(t, _)| t.len()).sum();
    println!("{} {input} {bytes}", started.elapsed().as_secs_f64());
}

/// Every prepared document through lol_html with its selectors and empty handlers; the
/// bytes written.
fn bare_pass(prepared: &[(String, Vec<Selector>)]) -> usize {
    let mut bytes = 0usize;
    for (text, selectors) in prepared {
        let mut settings = Settings::new();
        for s in selectors {
            settings = settings.append_element_content_handler((
                Cow::Borrowed(s),
                ElementContentHandlers::default().element(|_: &mut Element| Ok(())),
            ));
        }
        let mut out = Vec::with_capacity(text.len());
        let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        rewriter.write(text.as_bytes()).expect("rewrites");
        rewriter.end().expect("ends");
        bytes += out.len();
    }
    bytes
}

/// The bare pass and dechaff's own cleaning (in memory, to source), one after the other,
/// `rounds` times: the machine's speed drifts over minutes, so a ratio taken from the two
/// measured side by side is steadier than one from runs minutes apart. Prints each
/// round's times and the median ratio (the bare pass's time over dechaff's).
fn alternate_with_dechaff(
    documents: &[std::path::PathBuf],
    prepared: &[(String, Vec<Selector>)],
    cleaner: &Cleaner,
    rounds: usize,
) {
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let started = std::time::Instant::now();
        std::hint::black_box(bare_pass(prepared));
        let bare = started.elapsed().as_secs_f64();
        let started = std::time::Instant::now();
        for (path, (text, _)) in documents.iter().zip(prepared) {
            std::hint::black_box(
                cleaner
                    .clean_str_with(text, &options_for(path))
                    .expect("cleans"),
            );
        }
        let clean = started.elapsed().as_secs_f64();
        println!(
            "round {round}: bare {:.1} ms, dechaff {:.1} ms, ratio {:.3}",
            bare * 1e3,
            clean * 1e3,
            bare / clean
        );
        ratios.push(bare / clean);
    }
    ratios.sort_by(f64::total_cmp);
    println!("median ratio {:.3}", ratios[ratios.len() / 2]);
}
