//! Speed of each stage, per family, on the corpus, with the baselines the targets are
//! stated against measured in the same run: a plain copy, and a bare lol_html pass that
//! carries the same selectors with empty handlers.
//!
//! `cargo bench` (all), `cargo bench -- family/` (one group). Figures and how to read them:
//! BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dechaff::rules::Rule;
use support::{cli_options_for, documents_under};
mod support;

use dechaff::{Catalog, Cleaner, Format, Options};
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use rayon::prelude::*;
use std::borrow::Cow;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    documents_under(&root)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// The selectors of `rules`, compiled as the rules have them.
fn selectors<'r>(rules: impl Iterator<Item = &'r Rule>) -> Vec<Selector> {
    rules
        .filter_map(|r| r.action.selector())
        .map(|css| css.compiled.clone())
        .collect()
}

/// A document through lol_html with no handlers.
fn plain_pass(text: &str) {
    let mut out = Vec::with_capacity(text.len());
    let mut rewriter = HtmlRewriter::new(Settings::new(), |c: &[u8]| out.extend_from_slice(c));
    rewriter.write(text.as_bytes()).unwrap();
    rewriter.end().unwrap();
    black_box(out);
}

fn two_threads() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool")
}

/// Every document through lol_html with `sets[i]` as selectors and empty handlers.
fn bare_pass(docs: &[(PathBuf, String)], sets: &[Vec<Selector>]) {
    for ((_, t), selectors) in docs.iter().zip(sets) {
        let mut settings = Settings::new();
        for s in selectors {
            settings = settings.append_element_content_handler((
                Cow::Borrowed(s),
                ElementContentHandlers::default()
                    .element(|_: &mut lol_html::html_content::Element| Ok(())),
            ));
        }
        let mut out = Vec::with_capacity(t.len());
        let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        rewriter.write(t.as_bytes()).unwrap();
        rewriter.end().unwrap();
        black_box(out);
    }
}

fn bytes(docs: &[(PathBuf, String)]) -> u64 {
    docs.iter().map(|(_, t)| t.len() as u64).sum()
}

/// Cleaning to the input's own format and to Markdown, per family.
fn families(c: &mut Criterion) {
    let cleaner = Cleaner::new().unwrap();
    let all = corpus();
    let mut families: Vec<String> = all
        .iter()
        .map(|(p, _)| {
            p.parent()
                .unwrap()
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    families.sort();
    families.dedup();
    for family in families.iter().filter(|f| *f != "corpus") {
        let docs: Vec<_> = all
            .iter()
            .filter(|(p, _)| p.components().any(|c| c.as_os_str() == family.as_str()))
            .cloned()
            .collect();
        let mut group = c.benchmark_group(format!("family/{family}"));
        group.throughput(Throughput::Bytes(bytes(&docs)));
        group.sample_size(10);
        group.bench_function("source", |b| {
            b.iter(|| {
                for (p, t) in &docs {
                    black_box(cleaner.clean_str_with(t, &cli_options_for(p)).unwrap());
                }
            })
        });
        group.bench_function("markdown", |b| {
            b.iter(|| {
                for (p, t) in &docs {
                    black_box(
                        cleaner
                            .clean_str_with(t, &cli_options_for(p))
                            .unwrap()
                            .to(Format::Markdown),
                    );
                }
            })
        });
        group.finish();
    }
}

/// The whole corpus through each stage, against the baselines.
fn stages(c: &mut Criterion) {
    let cleaner = Cleaner::new().unwrap();
    let catalog = Catalog::built_in().unwrap().with_prefilter_at_once();
    let docs = corpus();
    let cleaned: Vec<_> = docs
        .iter()
        .map(|(p, t)| cleaner.clean_str_with(t, &cli_options_for(p)).unwrap())
        .collect();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes(&docs)));
    group.sample_size(10);

    group.bench_function("copy", |b| {
        b.iter(|| {
            for (_, t) in &docs {
                black_box(t.as_bytes().to_vec());
            }
        })
    });
    // Each document's own rule set, as selectors with empty handlers: what lol_html alone costs.
    let selector_sets: Vec<Vec<Selector>> = cleaned
        .iter()
        .map(|c| {
            let rules = catalog.rules_for(c.report.family.as_deref(), c.report.outlet.as_deref());
            selectors(rules.iter().copied())
        })
        .collect();
    // The same, less the rules the prefilter leaves out and those the output stage runs:
    // what lol_html alone costs in dechaff's own pass.
    let selector_sets_run: Vec<Vec<Selector>> = cleaned
        .iter()
        .zip(&docs)
        .map(|(c, (_, t))| {
            let rules = catalog.rules_for(c.report.family.as_deref(), c.report.outlet.as_deref());
            let active = catalog.can_act(&rules, t.as_bytes());
            selectors(
                rules
                    .iter()
                    .zip(active)
                    .filter(|(r, on)| *on && !dechaff::rules::runs_after_rewriter(r))
                    .map(|(r, _)| *r),
            )
        })
        .collect();
    group.bench_function("bare lol_html, the selectors dechaff's pass carries", |b| {
        b.iter(|| bare_pass(&docs, &selector_sets_run))
    });
    group.bench_function("bare lol_html, same selectors", |b| {
        b.iter(|| bare_pass(&docs, &selector_sets))
    });
    group.bench_function("bare lol_html, no handlers", |b| {
        b.iter(|| docs.iter().for_each(|(_, t)| plain_pass(t)))
    });
    group.bench_function("detect only (forced nothing, no rules)", |b| {
        let empty = Cleaner::with_catalog(Catalog::from_sources(vec![]).unwrap());
        b.iter(|| {
            for (p, t) in &docs {
                black_box(empty.clean_str_with(t, &cli_options_for(p)).unwrap());
            }
        })
    });
    group.bench_function("clean to source", |b| {
        b.iter(|| {
            for (p, t) in &docs {
                black_box(cleaner.clean_str_with(t, &cli_options_for(p)).unwrap());
            }
        })
    });
    group.bench_function("clean to source, without the prefilter", |b| {
        let every_rule = Cleaner::with_catalog(
            Catalog::built_in()
                .expect("built-in rules load")
                .without_prefilter(),
        );
        b.iter(|| {
            for (p, t) in &docs {
                black_box(every_rule.clean_str_with(t, &cli_options_for(p)).unwrap());
            }
        })
    });
    // The machine's own scaling, for the figure above: the same pass on two threads.
    group.bench_function("bare lol_html, no handlers, 2 threads", |b| {
        let pool = two_threads();
        b.iter(|| pool.install(|| docs.par_iter().for_each(|(_, t)| plain_pass(t))))
    });
    group.bench_function("clean to source, 2 threads", |b| {
        let pool = two_threads();
        b.iter(|| {
            pool.install(|| {
                docs.par_iter().for_each(|(p, t)| {
                    black_box(cleaner.clean_str_with(t, &cli_options_for(p)).unwrap());
                })
            })
        })
    });
    group.bench_function("render markdown (from cleaned)", |b| {
        b.iter(|| {
            for c in &cleaned {
                black_box(c.to(Format::Markdown));
            }
        })
    });
    group.bench_function("clean to markdown", |b| {
        b.iter(|| {
            for (p, t) in &docs {
                black_box(
                    cleaner
                        .clean_str_with(t, &cli_options_for(p))
                        .unwrap()
                        .to(Format::Markdown),
                );
            }
        })
    });
    group.bench_function("clean to source, detection given", |b| {
        let forced: Vec<Options> = docs
            .iter()
            .zip(&cleaned)
            .map(|((p, _), c)| Options {
                family: c.report.family.clone(),
                outlet: c.report.outlet.clone(),
                ..cli_options_for(p)
            })
            .collect();
        b.iter(|| {
            for ((_, t), o) in docs.iter().zip(&forced) {
                black_box(cleaner.clean_str_with(t, o).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, stages, families);
criterion_main!(benches);
