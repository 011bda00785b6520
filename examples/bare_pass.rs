//! The baseline for `bench/run.py`: every document under a directory through a bare lol_html
//! pass carrying the same selectors as dechaff's rules for it, with empty handlers. What
//! dechaff costs beyond this is its own work.
//!
//! `cargo run --release --example bare_pass -- DIR`

use dechaff::fixtures::{documents_under, options_for};
use dechaff::{Catalog, Cleaner};
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use std::borrow::Cow;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare_pass DIR");
        std::process::exit(2);
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
    let started = std::time::Instant::now();
    let mut bytes = 0usize;
    for (text, selectors) in &prepared {
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
    // The pass alone, for bench/run.py: seconds and input bytes.
    let input: usize = prepared.iter().map(|(t, _)| t.len()).sum();
    println!("{} {input} {bytes}", started.elapsed().as_secs_f64());
}
