//! Rules learned from a site's own pages, on real documents: the corpus with its outlet
//! rules switched off, and an archive dechaff has no rules for. What learning removes must
//! never be article text that the hand-written rules keep.

mod common;

use dechaff::learn::{Learner, Lesson, Settings, SiteKey};
use dechaff::{Cleaner, Options};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `f` on every item, on all cores, results in order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    })
}

/// Every document under `dir` (a numbered page, not a site's notes), sorted.
fn documents_under(dir: &Path) -> Vec<PathBuf> {
    let numbered = |p: &PathBuf| {
        (p.file_name().and_then(|n| n.to_str()))
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
    };
    common::documents(dir)
        .into_iter()
        .filter(numbered)
        .collect()
}

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().expect("built-in rules load"))
}

/// The built-in rules with the generic layer switched off: what learning finds on the
/// corpus is counted without it (what the generic layer takes, learning need not find; as
/// `bench/learning.py --generic off` measures).
fn without_generic() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let off = "description = \"The generic layer switched off.\"\n";
        let catalog = (cleaner().catalog())
            .with_files(vec![("generic".into(), "generic.toml".into(), off.into())])
            .expect("an empty generic layer loads");
        Cleaner::with_catalog(catalog)
    })
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn options(path: &Path, no_outlet: bool) -> Options {
    Options {
        no_outlet,
        skip_previews: true,
        ..common::options_for(path)
    }
}

/// Learns from every document under `dirs`, cleaned by `base`: the lesson, and each
/// document with its site.
fn learn(
    base: &Cleaner,
    dirs: &[PathBuf],
    settings: Settings,
    no_outlet: bool,
) -> (Lesson, Vec<(PathBuf, SiteKey)>) {
    let mut learner = Learner::new(base, settings);
    let mut seen = Vec::new();
    for dir in dirs {
        let docs = documents_under(dir);
        let observed: Vec<_> = par_map(&docs, |doc| {
            let bytes = std::fs::read(doc).unwrap();
            let shown = doc.parent().unwrap().strip_prefix(root()).unwrap();
            learner
                .observe(
                    &bytes,
                    &shown.display().to_string(),
                    &options(doc, no_outlet),
                )
                .unwrap()
        });
        for (doc, o) in docs.into_iter().zip(observed) {
            seen.push((doc, o.site().clone()));
            learner.add(o);
        }
    }
    (learner.finish(), seen)
}

/// The runs of text of a cleaned document (outside its tags, line by line), without
/// whitespace: what a removal takes away, whatever spacing and markup are left around it
/// (the outlet rules also unwrap and rename elements).
fn runs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() && c != '\n' => {}
            c => run.push(c),
        }
        if c == '<' || c == '\n' {
            if run.trim().chars().count() >= 4 {
                out.push(run.trim().to_string());
            }
            run.clear();
        }
    }
    if run.trim().chars().count() >= 4 {
        out.push(run.trim().to_string());
    }
    out
}

/// All the text of a cleaned document, outside its tags, without whitespace.
fn text_only(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

/// Cleans every document with `base` and the learned rules of its site and checks that it
/// keeps every run of text that `kept(doc)` (the same document cleaned otherwise) keeps;
/// the documents the learned rules changed.
fn assert_nothing_lost(
    base: &Cleaner,
    lesson: &Lesson,
    seen: &[(PathBuf, SiteKey)],
    no_outlet: bool,
    kept: impl Fn(&Path, &[u8]) -> String + Sync,
) -> usize {
    let learned = Cleaner::with_catalog(base.catalog().with_files(lesson.layers()).unwrap());
    let changed: Vec<bool> = par_map(seen, |(doc, site)| {
        let bytes = std::fs::read(doc).unwrap();
        let Some(layer) = lesson.layer_for(site) else {
            return false;
        };
        let with = Options {
            extra_layer: Some(layer.to_string()),
            ..options(doc, no_outlet)
        };
        let cleaned = learned.clean_bytes(&bytes, &with).unwrap().text;
        let without = base.clean_bytes(&bytes, &options(doc, no_outlet)).unwrap();
        let (bare, before) = (text_only(&cleaned), text_only(&without.text));
        // Text the reference keeps that was there before learning (an outlet rule
        // may also make text, such as a credit for an embed it replaces).
        for run in runs(&kept(doc, &bytes))
            .iter()
            .filter(|r| before.contains(*r))
        {
            assert!(
                bare.contains(run),
                "{}: the learned rules of {site} removed {run:?}",
                doc.display()
            );
        }
        cleaned != without.text
    });
    changed.into_iter().filter(|c| *c).count()
}

#[test]
fn learning_on_the_corpus_without_outlet_rules_removes_no_text_the_outlet_rules_keep() {
    let corpus = root().join("corpus");
    let (lesson, seen) = learn(without_generic(), &[corpus], Settings::APPLY, true);
    let rules: usize = lesson.sites.iter().map(|s| s.rules.len()).sum();
    assert!(rules >= 10, "{lesson:#?}");
    let changed = assert_nothing_lost(without_generic(), &lesson, &seen, true, |doc, bytes| {
        // The outlet's hand-written rules: what they keep is the article.
        cleaner()
            .clean_bytes(bytes, &options(doc, false))
            .unwrap()
            .text
    });
    assert!(
        changed >= 100,
        "the learned rules changed only {changed} documents"
    );
}

#[test]
fn learned_rules_find_the_newsletter_pitch_but_keep_the_link_to_the_original() {
    let dir = root().join("corpus/feedx/nyt");
    let (lesson, _) = learn(without_generic(), &[dir], Settings::APPLY, true);
    let site = &lesson.sites[0];
    assert_eq!(site.key.to_string(), "feedx/cn.nytimes.com");
    let examples: Vec<&str> = site.rules.iter().map(|r| r.example.as_str()).collect();
    assert!(
        examples.iter().any(|e| e.contains("订阅NYT简报")),
        "{examples:?}"
    );
    assert!(
        !examples.iter().any(|e| e.contains("点击查看本文英文版")),
        "{examples:?}"
    );
}

#[test]
fn an_archive_without_rules_loses_nothing_to_learning() {
    let dir = root().join("corpus-unknown/terminus2049/posts");
    let (lesson, seen) = learn(cleaner(), &[dir], Settings::PROPOSE, false);
    assert_nothing_lost(cleaner(), &lesson, &seen, false, |doc, bytes| {
        cleaner()
            .clean_bytes(bytes, &options(doc, false))
            .unwrap()
            .text
    });
    let summary: Vec<String> = lesson
        .sites
        .iter()
        .map(|s| format!("{}: {} pages, {} rules", s.key, s.pages, s.rules.len()))
        .collect();
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("learn@terminus2049", summary.join("\n"));
    });
}

#[test]
fn a_proposal_learned_from_a_corpus_site() {
    let dir = root().join("corpus/jekyll-scrape/caa-ins");
    let (lesson, _) = learn(without_generic(), &[dir], Settings::PROPOSE, true);
    let proposals = lesson.proposals(without_generic().catalog());
    assert_eq!(proposals.len(), 1);
    let p = &proposals[0];
    let key = p.path.trim_end_matches(".toml").to_string();
    let catalog = cleaner()
        .catalog()
        .with_files(vec![(key, p.path.clone(), p.text.clone())])
        .expect("the proposal loads");
    assert!(catalog.lint().is_empty());
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("learn@jekyll-scrape__caa-ins", p.text);
    });
}
