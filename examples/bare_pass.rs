//! The baseline for `bench/run.py`: every document under a directory through a bare lol_html
//! pass carrying the same selectors as dechaff's rules for it, with empty handlers. What
//! dechaff costs beyond this is its own work.
//!
//! `cargo run --release --example bare_pass -- DIR`: the pass alone, timed, for the script.
//! `… -- DIR --alternate N`: the pass and dechaff's cleaning side by side, N rounds, with
//! the median ratio, by family and over all: the steadiest form of the 0.7 × target's
//! figure on a drifting machine.
//! `… -- DIR --floors`: lol_html's own floors, for callgrind (`--toggle-collect` on each of
//! `pass_without_handlers`, `pass_on_every_element`, `bare_pass` and `clean_to_source`):
//! what no rewriting pass can go below, whatever dechaff does around it (BENCHMARKS.md,
//! "What the throughput targets ask, against lol_html's own cost").

#[path = "../benches/support/mod.rs"]
mod support;

use dechaff::{Catalog, Cleaner};
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use std::borrow::Cow;
use support::{cli_options_for, documents_under};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, alternate, floors) = match args.as_slice() {
        [dir] => (dir.clone(), None, false),
        [dir, flag] if flag == "--floors" => (dir.clone(), None, true),
        [dir, flag, n] if flag == "--alternate" && n.parse::<usize>().is_ok_and(|n| n > 0) => {
            (dir.clone(), n.parse().ok(), false)
        }
        _ => {
            eprintln!("usage: bare_pass DIR [--alternate ROUNDS | --floors]");
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
                .clean_str_with(&text, &cli_options_for(path))
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
    if floors {
        print_floors(&documents, &prepared, &detector);
        return;
    }
    if let Some(rounds) = alternate {
        alternate_with_dechaff(
            std::path::Path::new(&dir),
            &documents,
            &prepared,
            &detector,
            rounds,
        );
        return;
    }
    let started = std::time::Instant::now();
    let bytes = bare_pass(&prepared);
    // The pass alone, for bench/run.py: seconds and input bytes.
    let input: usize = prepared.iter().map(|(t, _)| t.len()).sum();
    println!("{} {input} {bytes}", started.elapsed().as_secs_f64());
}

/// Every prepared document through lol_html with its selectors and empty handlers; the
/// bytes written. Kept out of line, so that callgrind's `--toggle-collect` can count it
/// apart.
#[inline(never)]
fn bare_pass<'a>(prepared: impl IntoIterator<Item = &'a (String, Vec<Selector>)>) -> usize {
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

/// Each document through lol_html without a handler (its tag scanner alone), with one
/// empty handler on every element (every tag lexed and matched), with its own rules'
/// selectors ([`bare_pass`]), and through dechaff to source: each pass in a function of its
/// own, so that callgrind counts them apart. Prints the bytes each wrote.
fn print_floors(
    documents: &[std::path::PathBuf],
    prepared: &[(String, Vec<Selector>)],
    cleaner: &Cleaner,
) {
    let texts: Vec<&str> = prepared.iter().map(|(t, _)| t.as_str()).collect();
    let every: Selector = "*".parse().expect("the universal selector parses");
    println!("without handlers: {} bytes", pass_without_handlers(&texts));
    println!(
        "on every element: {} bytes",
        pass_on_every_element(&texts, &every)
    );
    println!("own selectors: {} bytes", bare_pass(prepared));
    println!(
        "dechaff to source: {} bytes",
        clean_to_source(documents, &texts, cleaner)
    );
}

/// lol_html over `texts` without a handler.
#[inline(never)]
fn pass_without_handlers(texts: &[&str]) -> usize {
    texts.iter().map(|t| rewrite(t, Settings::new())).sum()
}

/// lol_html over `texts` with one empty handler on every element.
#[inline(never)]
fn pass_on_every_element(texts: &[&str], every: &Selector) -> usize {
    (texts.iter())
        .map(|t| {
            let handler = ElementContentHandlers::default().element(|_: &mut Element| Ok(()));
            let settings =
                Settings::new().append_element_content_handler((Cow::Borrowed(every), handler));
            rewrite(t, settings)
        })
        .sum()
}

/// dechaff's cleaning of each document to source (its cleaned text), in memory.
#[inline(never)]
fn clean_to_source(documents: &[std::path::PathBuf], texts: &[&str], cleaner: &Cleaner) -> usize {
    let mut bytes = 0;
    for (path, text) in documents.iter().zip(texts) {
        // As the CLI cleans to source without a report: metadata deferred.
        let options = dechaff::Options {
            defer_metadata: true,
            ..cli_options_for(path)
        };
        let cleaned = cleaner.clean_str_with(text, &options).expect("cleans");
        bytes += cleaned.text.len();
    }
    bytes
}

/// `text` through a lol_html rewriter with `settings`: the bytes it wrote.
fn rewrite(text: &str, settings: Settings<'_, '_>) -> usize {
    let mut written = 0;
    let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| written += c.len());
    rewriter.write(text.as_bytes()).expect("rewrites");
    rewriter.end().expect("ends");
    written
}

/// The bare pass and dechaff's own cleaning (in memory, to source), one after the other,
/// `rounds` times: the machine's speed drifts over minutes, so a ratio taken from the two
/// measured side by side is steadier than one from runs minutes apart. Within a round each
/// family (the first directory under `dir`) is timed both ways in turn, so the ratio can be
/// told by family too: where the gap is. Prints each round's totals, each family's median
/// ratio, and last the median ratio over all documents (the bare pass's time over
/// dechaff's).
fn alternate_with_dechaff(
    dir: &std::path::Path,
    documents: &[std::path::PathBuf],
    prepared: &[(String, Vec<Selector>)],
    cleaner: &Cleaner,
    rounds: usize,
) {
    let family = |path: &std::path::Path| {
        let rel = path.strip_prefix(dir).unwrap_or(path);
        match rel.components().count() {
            0 | 1 => ".".to_string(),
            _ => rel
                .components()
                .next()
                .map_or(".".into(), |c| c.as_os_str().to_string_lossy().into_owned()),
        }
    };
    let mut families: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, path) in documents.iter().enumerate() {
        let name = family(path);
        match families.iter_mut().find(|(f, _)| *f == name) {
            Some((_, members)) => members.push(i),
            None => families.push((name, vec![i])),
        }
    }
    let mut ratios = Vec::new();
    let mut by_family: Vec<Vec<f64>> = vec![Vec::new(); families.len()];
    // Each family's fastest time each way: interference only ever adds time.
    let mut best: Vec<(f64, f64)> = vec![(f64::MAX, f64::MAX); families.len()];
    for round in 0..rounds {
        let (mut bare_total, mut clean_total) = (0.0, 0.0);
        for (((_, members), ratios), best) in families.iter().zip(&mut by_family).zip(&mut best) {
            let started = std::time::Instant::now();
            std::hint::black_box(bare_pass(members.iter().map(|&i| &prepared[i])));
            let bare = started.elapsed().as_secs_f64();
            let started = std::time::Instant::now();
            for &i in members {
                std::hint::black_box(
                    cleaner
                        .clean_str_with(&prepared[i].0, &cli_options_for(&documents[i]))
                        .expect("cleans"),
                );
            }
            let clean = started.elapsed().as_secs_f64();
            ratios.push(bare / clean);
            best.0 = best.0.min(bare);
            best.1 = best.1.min(clean);
            bare_total += bare;
            clean_total += clean;
        }
        println!(
            "round {round}: bare {:.1} ms, dechaff {:.1} ms, ratio {:.3}",
            bare_total * 1e3,
            clean_total * 1e3,
            bare_total / clean_total
        );
        ratios.push(bare_total / clean_total);
    }
    for (((name, members), ratios), best) in families.iter().zip(&mut by_family).zip(&best) {
        let bytes: usize = members.iter().map(|&i| prepared[i].0.len()).sum();
        println!(
            "family {name}: {} documents, {:.1} MB, median ratio {:.3}, best-times ratio {:.3}",
            members.len(),
            bytes as f64 / 1e6,
            median(ratios),
            best.0 / best.1
        );
    }
    let (bare, clean) = best
        .iter()
        .fold((0.0, 0.0), |(b, c), (fb, fc)| (b + fb, c + fc));
    println!("best-times ratio {:.3}", bare / clean);
    println!("median ratio {:.3}", median(&mut ratios));
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
