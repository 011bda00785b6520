//! The set of all rule files: built in, or built in plus a user's directory.

use super::built_in;
use super::compile::{When, load_built_in as load_built_in_file, load_file};
use super::needs::Prefilter;
use super::{Layer, Rule, RuleFile};
use crate::diagnostics::Diagnostic;
use crate::lazy_regex::{LazyRegex, LiteralSet, PresentSets, RegexBudget, TOTAL_SIZE_LIMIT};
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// A rule set failed to load. Nothing from it is used.
#[derive(Debug)]
pub struct RulesError {
    /// Every error found, each with its file, line and column; the `Display` form prints
    /// them all.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RulesError {}

/// Every rule file, checked together: a broken file or reference rejects the whole set.
/// The built-in files compile file by file when a document first needs them (see
/// `rules::lazy`); others compile as they load. Cloning is cheap next to loading (what is
/// compiled is shared: each file compiles once in a process), and gives each thread
/// regexes of its own: a `Regex` used from several threads at once contends for its
/// internal cache pool.
#[derive(Debug, Clone)]
pub struct Catalog {
    files: BTreeMap<String, RuleFile>,
    prefilter: Arc<PrefilterState>,
    /// The block rules' literals of each set of rules documents ran, by the rules' files
    /// and places (see [`Catalog::block_literals`]).
    block_literals: Arc<Mutex<LiteralSets>>,
    /// The literals of the metadata rules that read the article's lines anywhere in it, of
    /// each set of rules documents ran (see [`Catalog::metadata_literals`]).
    metadata_literals: Arc<PresentSets>,
}

/// The block rules' literals of each set of rules, by a hash of the rules' files and places
/// (see [`places_hash`]), with those files and places to tell sets of the same hash apart.
type LiteralSets = HashMap<u64, Vec<(Vec<(String, usize)>, Arc<LiteralSet>)>>;

/// A hash of the files and places of `rules`, asked for every document: each file's name is
/// read once for a run of its rules, and no key is built (a key of the rules' file names
/// and places, built and SipHashed for every document, cost 13 M instructions more over
/// the corpus). Two sets of rules may share a hash: [`LiteralSets`] tells them apart.
fn places_hash(rules: &[&Rule]) -> u64 {
    // FxHash's step: a hash table's, not a defence against chosen keys (the rules are the
    // process's own, and a collision only costs a comparison).
    fn add(hash: u64, value: u64) -> u64 {
        (hash.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95)
    }
    let mut hash = 0;
    let mut file: Option<&str> = None;
    for rule in rules {
        if file != Some(rule.file.as_str()) {
            file = Some(rule.file.as_str());
            hash = rule
                .file
                .bytes()
                .fold(add(hash, u64::MAX), |h, b| add(h, u64::from(b)));
        }
        hash = add(hash, rule.index as u64);
    }
    add(hash, rules.len() as u64)
}

/// Bytes of documents a process reads before the prefilter is built. Building it (most of a
/// megabyte of automaton: about 16 M instructions for every built-in rule's literals) costs
/// what running every rule of a document's set costs on ~250 KB of pages (~60 instructions
/// a byte more, measured on the corpus), so a filter run on a page or a few does without
/// it, and a longer run builds it once it has paid that much.
const PREFILTER_AFTER: usize = 256 << 10;

/// The prefilter of a catalog and its clones, built once enough documents were read.
#[derive(Debug)]
struct PrefilterState {
    enabled: bool,
    /// Bytes scanned so far, until it is built.
    read: AtomicUsize,
    after: usize,
    built: OnceLock<Option<Prefilter>>,
}

impl PrefilterState {
    fn new(enabled: bool, after: usize) -> Arc<PrefilterState> {
        Arc::new(PrefilterState {
            enabled,
            read: AtomicUsize::new(0),
            after,
            built: OnceLock::new(),
        })
    }
}

impl Catalog {
    /// The built-in files as `(key, display path, text)` triples, for [`Catalog::from_sources`].
    pub fn built_in_sources() -> Vec<(String, String, String)> {
        built_in_sources()
    }

    /// The rules compiled into the binary. Each file compiles when a document first needs
    /// it; a test compiles and checks them all (as [`Catalog::from_sources`] does with
    /// [`Catalog::built_in_sources`]), so none can fail.
    pub fn built_in() -> Result<Catalog, RulesError> {
        let mut errors = Vec::new();
        let files = load_built_in(&[], &mut errors);
        Catalog::assemble(files, errors)
    }

    /// The built-in rules, with the `.toml` files under `dir` added or replacing built-in
    /// files of the same relative path (`outlets/dw.toml` replaces the built-in DW rules).
    /// The files of `dir` are compiled and checked as they load.
    pub fn with_overrides(dir: &Path) -> Result<Catalog, RulesError> {
        let mut errors = Vec::new();
        let given = directory_sources(dir, &mut errors);
        if !errors.is_empty() {
            return Err(RulesError {
                diagnostics: errors,
            });
        }
        let replaced: Vec<&str> = given.iter().map(|(key, _, _)| key.as_str()).collect();
        let mut files = load_built_in(&replaced, &mut errors);
        files.extend(compile_sources(given, When::Now, &mut errors));
        Catalog::assemble(files, errors)
    }

    /// Only the `.toml` files under `dir`, without the built-in ones.
    pub fn from_dir(dir: &Path) -> Result<Catalog, RulesError> {
        let mut errors = Vec::new();
        let sources = directory_sources(dir, &mut errors);
        if !errors.is_empty() {
            return Err(RulesError {
                diagnostics: errors,
            });
        }
        Catalog::from_sources(sources)
    }

    /// Compiles `(key, display path, text)` triples; `key` is the path without `.toml`.
    /// Every file is compiled and checked now.
    ///
    /// ```
    /// use dechaff::{Catalog, Cleaner};
    ///
    /// let common = r#"
    /// [[rule]]
    /// id = "no-ads"
    /// action = "remove"
    /// selector = ".ad"
    /// note = "Advertisements."
    /// "#;
    /// let catalog = Catalog::from_sources(vec![(
    ///     "common".into(),
    ///     "common.toml".into(),
    ///     common.into(),
    /// )])?;
    /// let cleaned = Cleaner::with_catalog(catalog).clean_str("<p>News.</p><div class=ad>Buy</div>");
    /// assert_eq!(cleaned.text, "<p>News.</p>");
    ///
    /// // A broken file is refused, with where and what is wrong.
    /// let broken = Catalog::from_sources(vec![(
    ///     "common".into(),
    ///     "common.toml".into(),
    ///     "[[rule]]\nid = \"x\"\naction = \"remov\"\n".into(),
    /// )]);
    /// let message = broken.unwrap_err().to_string();
    /// assert!(message.contains("unknown action `remov`"));
    /// assert!(message.contains("common.toml:3:10"));
    /// # Ok::<(), dechaff::RulesError>(())
    /// ```
    pub fn from_sources(sources: Vec<(String, String, String)>) -> Result<Catalog, RulesError> {
        let mut errors = Vec::new();
        let files = compile_sources(sources, When::Now, &mut errors);
        Catalog::assemble(files, errors)
    }

    /// This catalog with more files, given as text (`(key, display path, text)` triples,
    /// as for [`Catalog::from_sources`]), added or replacing files of the same key: rule
    /// files made in memory, such as those `learn` writes. Only the new files are compiled;
    /// the whole set is checked again, as when it loads.
    pub fn with_files(
        &self,
        sources: Vec<(String, String, String)>,
    ) -> Result<Catalog, RulesError> {
        let mut errors = Vec::new();
        let mut files = self.files.clone();
        files.extend(compile_sources(sources, When::Now, &mut errors));
        Catalog::assemble(files, errors)
    }

    /// Checks the references between files: the last step of every load.
    fn assemble(
        files: BTreeMap<String, RuleFile>,
        mut errors: Vec<Diagnostic>,
    ) -> Result<Catalog, RulesError> {
        let catalog = Catalog {
            files,
            prefilter: PrefilterState::new(true, PREFILTER_AFTER),
            block_literals: Arc::default(),
            metadata_literals: Arc::default(),
        };
        catalog.check_references(&mut errors);
        errors.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(RulesError {
                diagnostics: errors,
            })
        }
    }

    /// Every file, in key order.
    pub fn files(&self) -> impl Iterator<Item = &RuleFile> {
        self.files.values()
    }

    /// The file of key `key` (`families/feedx`, `common`).
    pub fn file(&self, key: &str) -> Option<&RuleFile> {
        self.files.get(key)
    }

    /// The hosts that carry mirrors (common.toml's `mirror_hosts`): an address on one of
    /// them, or under one, is never an article's own.
    pub(crate) fn mirror_hosts(&self) -> std::sync::Arc<[String]> {
        self.files
            .get("common")
            .map_or_else(|| std::sync::Arc::from([]), |f| f.mirror_hosts.clone())
    }

    /// The family file named `name` (`feedx`).
    pub fn family(&self, name: &str) -> Option<&RuleFile> {
        self.files.get(&format!("families/{name}"))
    }

    /// The outlet file named `name` (`dw`).
    pub fn outlet(&self, name: &str) -> Option<&RuleFile> {
        self.files.get(&format!("outlets/{name}"))
    }

    /// The family files, in key order.
    pub fn families(&self) -> impl Iterator<Item = &RuleFile> {
        self.files.values().filter(|f| f.layer == Layer::Family)
    }

    /// The outlet files, in key order.
    pub fn outlets(&self) -> impl Iterator<Item = &RuleFile> {
        self.files.values().filter(|f| f.layer == Layer::Outlet)
    }

    /// The files that apply to a document, parents before children and each once:
    /// common, then the family, then the outlet, each preceded by what it extends.
    pub fn layers(&self, family: Option<&str>, outlet: Option<&str>) -> Vec<&RuleFile> {
        self.layers_with(family, outlet, &[])
    }

    /// [`Catalog::layers`], then the files `extra` (keys, such as `platforms/drupal` or
    /// `platforms/learned-example-com`) and what they extend: layers after the outlet's,
    /// for the platforms recognised when no outlet is, and for rules learned from a site's
    /// own pages.
    pub fn layers_with(
        &self,
        family: Option<&str>,
        outlet: Option<&str>,
        extra: &[&str],
    ) -> Vec<&RuleFile> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let roots = [
            Some("common".to_string()),
            family.map(|f| format!("families/{f}")),
            outlet.map(|o| format!("outlets/{o}")),
        ];
        let extra = extra.iter().map(|k| Some(k.to_string()));
        let generic = Some("generic".to_string());
        for key in roots.into_iter().chain(extra).chain([generic]).flatten() {
            self.visit(&key, &mut seen, &mut out);
        }
        out
    }

    /// The rules a document runs, in order, less those the layers `disable`.
    pub fn rules_for(&self, family: Option<&str>, outlet: Option<&str>) -> Vec<&Rule> {
        self.rules_with(family, outlet, &[])
    }

    /// [`Catalog::rules_for`], with the extra layer of [`Catalog::layers_with`].
    pub fn rules_with(
        &self,
        family: Option<&str>,
        outlet: Option<&str>,
        extra: &[&str],
    ) -> Vec<&Rule> {
        let layers = self.layers_with(family, outlet, extra);
        let disabled: HashSet<&str> = layers
            .iter()
            .flat_map(|f| f.disable.iter().map(|(id, _)| id.as_str()))
            .collect();
        layers
            .iter()
            .flat_map(|f| f.rules().iter())
            .filter(|r| !disabled.contains(r.id.as_str()))
            .collect()
    }

    /// The same rules, run on every document without first ruling any out: for tests and
    /// benchmarks of the prefilter, which must change no output, only the work.
    pub fn without_prefilter(mut self) -> Catalog {
        self.prefilter = PrefilterState::new(false, 0);
        self
    }

    /// The same rules, with the prefilter from the first document on rather than once the
    /// process has read 256 KB of them: for tests and benchmarks of the prefilter.
    pub fn with_prefilter_at_once(mut self) -> Catalog {
        self.prefilter = PrefilterState::new(true, 0);
        self
    }

    /// The literals the patterns of the block rules among `rules` (a document's rules)
    /// require, in the order of those rules, searched for together (see [`LiteralSet`]):
    /// built when a document first runs that set of rules, and kept for the documents
    /// after it, which mostly run the same few sets.
    pub(crate) fn block_literals(&self, rules: &[&Rule]) -> Arc<LiteralSet> {
        let block: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.action.block_rule().is_some())
            .copied()
            .collect();
        let hash = places_hash(&block);
        let mut sets = self
            .block_literals
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let same = |key: &[(String, usize)]| {
            key.len() == block.len()
                && key
                    .iter()
                    .zip(&block)
                    .all(|((file, index), r)| *index == r.index && *file == r.file)
        };
        if let Some((_, set)) = sets
            .get(&hash)
            .and_then(|built| built.iter().find(|(key, _)| same(key)))
        {
            return Arc::clone(set);
        }
        let patterns: Vec<Option<&LazyRegex>> = block
            .iter()
            .map(|r| r.action.block_rule().and_then(|b| b.pattern.as_ref()))
            .collect();
        let set = Arc::new(LiteralSet::new(&patterns));
        let key = block.iter().map(|r| (r.file.clone(), r.index)).collect();
        sets.entry(hash).or_default().push((key, Arc::clone(&set)));
        set
    }

    /// Where the literals of the `metadata` rules that read the article's lines anywhere in
    /// it are kept, searched for together, for each set of rules documents run (the
    /// pipeline names the sets: see `clean::read_facts`).
    pub(crate) fn metadata_literals(&self) -> Arc<PresentSets> {
        Arc::clone(&self.metadata_literals)
    }

    /// Which of `rules` can act on `doc` at all, by one scan of it (see `needs`): a mask
    /// indexed like `rules`. Until the process has read enough documents for the prefilter
    /// to pay for its building, every rule may act.
    pub fn can_act(&self, rules: &[&Rule], doc: &[u8]) -> Vec<bool> {
        self.scope(rules, doc).0
    }

    /// [`Catalog::can_act`], and for each rule that can, which alternatives of its
    /// selector list can match, when only some of several can (None: any may; see
    /// `rewrite::settings`, which runs only those).
    pub fn scope(&self, rules: &[&Rule], doc: &[u8]) -> (Vec<bool>, Vec<Option<Vec<bool>>>) {
        let all = || (vec![true; rules.len()], vec![None; rules.len()]);
        let Some(prefilter) = self.prefilter(doc.len()) else {
            return all();
        };
        let Some(found) = prefilter.scan(doc) else {
            return all();
        };
        let mut file: Option<(&str, &[super::needs::Needs])> = None;
        rules
            .iter()
            .map(|r| {
                let needs = match file {
                    Some((key, needs)) if key == r.file => needs,
                    _ => {
                        let needs = prefilter.needs_of(&r.file);
                        file = Some((&r.file, needs));
                        needs
                    }
                };
                match needs.get(r.index) {
                    None => (true, None),
                    Some(n) if n.met(&found) => (true, n.parts_met(&found)),
                    Some(_) => (false, None),
                }
            })
            .unzip()
    }

    /// The prefilter, built (with every file compiled) once `PREFILTER_AFTER` bytes have been
    /// read; None before, or when it is off.
    fn prefilter(&self, len: usize) -> Option<&Prefilter> {
        let state = &*self.prefilter;
        if !state.enabled {
            return None;
        }
        if state.built.get().is_none() {
            let read = state
                .read
                .fetch_add(len, Ordering::Relaxed)
                .saturating_add(len);
            if read < state.after {
                return None;
            }
        }
        state
            .built
            .get_or_init(|| {
                Some(Prefilter::build(
                    self.files.values().map(|f| (f.key.as_str(), f.rules())),
                ))
            })
            .as_ref()
    }

    /// Problems that do not stop the rules from running but that `rules check` refuses: a
    /// rule that repeats another rule applied to the same documents.
    pub fn lint(&self) -> Vec<Diagnostic> {
        let mut layerings: Vec<(Option<&str>, Option<&str>)> = vec![(None, None)];
        let families: Vec<&str> = self.families().map(|f| f.name.as_str()).collect();
        let outlets: Vec<&str> = self.outlets().map(|o| o.name.as_str()).collect();
        for f in families.iter().map(|f| Some(*f)).chain([None]) {
            for o in outlets.iter().map(|o| Some(*o)).chain([None]) {
                layerings.push((f, o));
            }
        }
        let mut reported: HashSet<(String, String)> = HashSet::new();
        let mut out = Vec::new();
        for (family, outlet) in layerings {
            let rules = self.rules_for(family, outlet);
            for (i, later) in rules.iter().enumerate() {
                let Some(earlier) = rules[..i]
                    .iter()
                    .find(|r| r.signature() == later.signature())
                else {
                    continue;
                };
                if !reported.insert((earlier.id.clone(), later.id.clone())) {
                    continue;
                }
                if let Some(file) = self.files.get(&later.file) {
                    out.push(
                        Diagnostic::at(
                            &file.path,
                            &file.source,
                            later.span.clone(),
                            format!(
                                "rule {} repeats {} ({}), which runs on the same documents",
                                later.id, earlier.id, earlier.origin
                            ),
                        )
                        .with_help("remove one of them, or move the rule to a file both extend"),
                    );
                }
            }
        }
        out
    }

    fn visit<'a>(&'a self, key: &str, seen: &mut HashSet<String>, out: &mut Vec<&'a RuleFile>) {
        if !seen.insert(key.to_string()) {
            return;
        }
        if let Some(file) = self.files.get(key) {
            for (parent, _) in &file.extends {
                self.visit(parent, seen, out);
            }
            out.push(file);
        }
    }

    fn check_references(&self, errors: &mut Vec<Diagnostic>) {
        let all_ids: HashSet<&str> = self
            .files
            .values()
            .flat_map(|f| f.declared.iter().map(|id| id.as_str()))
            .collect();
        let mut names: BTreeMap<&str, &RuleFile> = BTreeMap::new();
        for file in self.files.values() {
            let at = |span: &std::ops::Range<usize>, msg: String| {
                Diagnostic::at(&file.path, &file.source, span.clone(), msg)
            };
            if matches!(
                file.layer,
                Layer::Family | Layer::Outlet | Layer::Common | Layer::Generic
            ) && let Some(other) = names.insert(&file.name, file)
            {
                errors.push(Diagnostic::file(
                    &file.path,
                    format!("the name `{}` is already used by {}", file.name, other.path),
                ));
            }
            for (parent, span) in &file.extends {
                match self.files.get(parent) {
                    None => {
                        errors.push(at(span, format!("`extends` names no rule file `{parent}`")))
                    }
                    Some(p) if matches!(p.layer, Layer::Family | Layer::Outlet) => errors.push(
                        at(
                            span,
                            format!("`{parent}` is a family or outlet and cannot be extended"),
                        )
                        .with_help("move the shared rules to a file under platforms/"),
                    ),
                    Some(_) => {}
                }
            }
            for (id, span) in &file.disable {
                if !all_ids.contains(id.as_str()) {
                    errors.push(at(span, format!("`disable` names no rule `{id}`")));
                }
            }
            let expect = file.expect.as_deref().unwrap_or_default();
            if let Some(first) = expect
                .first()
                .filter(|_| !matches!(file.layer, Layer::Family | Layer::Outlet))
            {
                errors.push(at(
                    &first.span,
                    "`expect` belongs in a family or outlet file".into(),
                ));
            }
            let mut own_files = Vec::new();
            self.visit(&file.key, &mut HashSet::new(), &mut own_files);
            let own: HashSet<&str> = own_files
                .iter()
                .flat_map(|f| f.declared.iter().map(|id| id.as_str()))
                .collect();
            for e in expect {
                if !own.contains(e.id.as_str()) {
                    errors.push(
                        at(
                            &e.span,
                            format!(
                                "`expect` names no rule `{}` of this file or the files it extends",
                                e.id
                            ),
                        )
                        .with_help(
                            "expect lists ids of rules this file (or a file it extends) defines",
                        ),
                    );
                }
                if let Some(family) = e.family.as_deref().filter(|f| self.family(f).is_none()) {
                    errors.push(at(&e.span, format!("`expect` names no family `{family}`")));
                }
            }
            if let Some(cycle) = self.cycle_from(&file.key) {
                let span = file.extends.first().map_or(0..0, |(_, s)| s.clone());
                errors.push(at(
                    &span,
                    format!("`extends` forms a cycle: {}", cycle.join(" -> ")),
                ));
            }
        }
    }

    /// A chain of `extends` that returns to `start`, if any.
    fn cycle_from(&self, start: &str) -> Option<Vec<String>> {
        fn walk(c: &Catalog, key: &str, start: &str, path: &mut Vec<String>) -> bool {
            let Some(file) = c.files.get(key) else {
                return false;
            };
            for (parent, _) in &file.extends {
                path.push(parent.clone());
                if parent == start
                    || (!path[..path.len() - 1].contains(parent) && walk(c, parent, start, path))
                {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = vec![start.to_string()];
        walk(self, start, start, &mut path).then_some(path)
    }
}

/// Loads rule files independently, keyed by their path without `.toml`, compiling them
/// `when` asked; their problems go to `errors`. Files compiled now compile in parallel
/// (their regexes are most of the work).
fn compile_sources(
    sources: Vec<(String, String, String)>,
    when: When,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, RuleFile> {
    compile_sources_within(sources, when, errors, TOTAL_SIZE_LIMIT)
}

/// [`compile_sources`], the regexes compiled now bounded together by `total_limit`: past
/// it no more are built, and the regex that went past it is the error (which one, when
/// several files compile at once, depends on which got there first).
fn compile_sources_within(
    sources: Vec<(String, String, String)>,
    when: When,
    errors: &mut Vec<Diagnostic>,
    total_limit: usize,
) -> BTreeMap<String, RuleFile> {
    let budget = RegexBudget::new(total_limit);
    let load = |(key, path, text): (String, String, String)| {
        let loaded = load_file(&key, &path, &text, when, &budget);
        (key, loaded)
    };
    #[cfg(feature = "parallel")]
    let compiled: Vec<_> = match when {
        When::Now => sources.into_par_iter().map(load).collect(),
        When::OnFirstUse => sources.into_iter().map(load).collect(),
    };
    #[cfg(not(feature = "parallel"))]
    let compiled: Vec<_> = sources.into_iter().map(load).collect();
    let mut files = BTreeMap::new();
    for (key, (file, mut ds)) in compiled {
        errors.append(&mut ds);
        if let Some(file) = file {
            files.insert(key, file);
        }
    }
    files
}

/// What the regexes of `sources` take compiled, together.
#[cfg(test)]
fn regex_total(sources: Vec<(String, String, String)>) -> usize {
    let budget = RegexBudget::new(usize::MAX);
    for (key, path, text) in &sources {
        load_file(key, path, text, When::Now, &budget);
    }
    budget.used()
}

fn built_in_sources() -> Vec<(String, String, String)> {
    built_in::files()
        .iter()
        .map(|f| (f.key.to_string(), f.path.to_string(), f.text.to_string()))
        .collect()
}

/// The built-in files but those of keys `replaced`, each to compile when a document first
/// needs it, from what the build parsed of it (see `rules::built_in`).
fn load_built_in(replaced: &[&str], errors: &mut Vec<Diagnostic>) -> BTreeMap<String, RuleFile> {
    let budget = RegexBudget::new(TOTAL_SIZE_LIMIT);
    let mut files = BTreeMap::new();
    for file in built_in::files() {
        if replaced.contains(&file.key) {
            continue;
        }
        let (loaded, mut ds) = load_built_in_file(file, When::OnFirstUse, &budget);
        errors.append(&mut ds);
        if let Some(loaded) = loaded {
            files.insert(file.key.to_string(), loaded);
        }
    }
    files
}

fn directory_sources(dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    if !dir.is_dir() {
        errors.push(Diagnostic::file(
            &dir.display().to_string(),
            "not a directory of rule files",
        ));
        return out;
    }
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::file(&d.display().to_string(), e.to_string()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(Diagnostic::file(&d.display().to_string(), e.to_string()));
                    continue;
                }
            };
            let path = entry.path();
            let shown = path.display().to_string();
            // The entry itself, not what a link points to: only what lies inside the
            // directory is read.
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    errors.push(Diagnostic::file(&shown, e.to_string()));
                    continue;
                }
            };
            let is_rule_file = path.extension().is_some_and(|e| e == "toml");
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_symlink() && (is_rule_file || path.is_dir()) {
                errors.push(Diagnostic::file(
                    &shown,
                    "a symbolic link: rule files are read only as files and directories inside the rules directory, never through links",
                ));
            } else if is_rule_file && !kind.is_file() {
                errors.push(Diagnostic::file(&shown, "not a regular file"));
            } else if is_rule_file {
                let rel = path.strip_prefix(dir).unwrap_or(&path).with_extension("");
                let key = rel.to_string_lossy().replace('\\', "/");
                match read_rule_file(&path) {
                    Ok(text) => out.push((key, shown, text)),
                    Err(e) => errors.push(Diagnostic::file(&shown, e)),
                }
            }
        }
    }
    out.sort();
    out
}

/// The most bytes a rule file may have: the largest shipped is a few KiB.
const MAX_RULE_FILE: u64 = 1 << 20;

/// A rule file's text, refused past `MAX_RULE_FILE` bytes.
fn read_rule_file(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // What was opened, not what the directory listed a moment before: a file put in its
    // place since (a device, a directory) is not read.
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err("not a regular file".to_string());
    }
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_RULE_FILE {
        return Err(format!(
            "larger than {} MiB; rule files are small",
            MAX_RULE_FILE >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

#[cfg(test)]
impl Catalog {
    /// A catalog of one common rule file, for unit tests.
    pub fn of_common(toml: &str) -> Catalog {
        Catalog::from_sources(vec![("common".into(), "c.toml".into(), toml.into())])
            .expect("test rules compile")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_regexes_take_a_small_part_of_a_rule_sets_bound() {
        let total = regex_total(built_in_sources());
        assert!(total < TOTAL_SIZE_LIMIT / 4, "{total}");
    }

    #[test]
    fn a_rule_sets_regexes_are_bounded_together() {
        // Each near the bound of one regex (344 KiB); together past 1 MiB at the third.
        let rule = |i: usize| {
            format!(
                "[[rule]]\nid = \"r{i}\"\naction = \"replace\"\npattern = '\\w{{20}}{i}'\nwith = \"\"\nnote = \"n\"\n\n"
            )
        };
        let file = |n: usize| {
            vec![(
                "common".into(),
                "common.toml".into(),
                (0..n).map(rule).collect(),
            )]
        };
        let mut errors = Vec::new();
        compile_sources_within(file(2), When::Now, &mut errors, 1 << 20);
        assert!(errors.is_empty(), "{errors:?}");
        compile_sources_within(file(6), When::Now, &mut errors, 1 << 20);
        let err = RulesError {
            diagnostics: errors,
        }
        .to_string();
        assert!(
            err.contains("the rule set's regexes would take more than 1 MiB compiled together"),
            "{err}"
        );
        // Where: the rule that went past the bound, and only that one; the rest were not
        // built.
        assert_eq!(err.matches("error:").count(), 1, "{err}");
        assert!(err.contains("--> common.toml:18:11"), "{err}");
    }

    #[test]
    fn every_built_in_family_and_outlet_can_be_detected_and_explains_itself() {
        let catalog = Catalog::built_in().unwrap();
        for file in catalog
            .files()
            .filter(|f| matches!(f.layer, Layer::Family | Layer::Outlet))
        {
            assert!(
                !file.detect.is_empty(),
                "{} has no [detect] table",
                file.path
            );
            assert!(
                file.description.is_some(),
                "{} has no description",
                file.path
            );
        }
        for family in catalog.families() {
            assert!(
                !family.detect.source_url.is_empty(),
                "{} cannot find the article's URL",
                family.path
            );
        }
    }

    fn src(key: &str, text: &str) -> (String, String, String) {
        (key.into(), format!("{key}.toml"), text.into())
    }

    const RULE: &str =
        "[[rule]]\nid = \"r\"\naction = \"remove\"\nselector = \"x\"\nnote = \"n\"\n";

    #[test]
    fn layers_put_parents_first_and_apply_disable() {
        let c = Catalog::from_sources(vec![
            src("common", RULE),
            src("platforms/wp", RULE),
            src("families/f", RULE),
            src(
                "outlets/o",
                &format!("extends = [\"platforms/wp\"]\ndisable = [\"common/r\"]\n{RULE}"),
            ),
        ])
        .unwrap();
        let keys: Vec<_> = c
            .layers(Some("f"), Some("o"))
            .iter()
            .map(|f| f.key.clone())
            .collect();
        assert_eq!(keys, ["common", "families/f", "platforms/wp", "outlets/o"]);
        let ids: Vec<_> = c
            .rules_for(Some("f"), Some("o"))
            .iter()
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(ids, ["f/r", "wp/r", "o/r"]);
        let ids: Vec<_> = c
            .rules_for(Some("f"), None)
            .iter()
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(ids, ["common/r", "f/r"]);
    }

    /// The built-in files compile on first use, unchecked: this is what makes a broken one
    /// impossible.
    #[test]
    fn every_built_in_file_compiles_and_checks_whole() {
        let checked = Catalog::from_sources(Catalog::built_in_sources())
            .unwrap_or_else(|e| panic!("the built-in rules do not compile:\n{e}"));
        let lints = checked.lint();
        assert!(lints.is_empty(), "{lints:#?}");
        let lazy = Catalog::built_in().unwrap();
        let shown = |c: &Catalog| -> Vec<String> {
            c.files()
                .flat_map(|f| {
                    let detect = [&f.detect.head, &f.detect.tail, &f.detect.source_url]
                        .into_iter()
                        .flatten()
                        .map(|re| format!("{} detect {}", f.key, re.get().as_str()));
                    let rules = f
                        .rules()
                        .iter()
                        .map(|r| format!("{} {} {} {}", r.id, r.origin, r.index, r.signature()));
                    detect.chain(rules).collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(shown(&lazy), shown(&checked));
    }

    #[test]
    fn files_compile_once_for_a_catalog_and_its_clones() {
        let c = Catalog::built_in().unwrap();
        let clone = c.clone();
        let common = clone.file("common").unwrap().rules();
        assert!(!common.is_empty());
        // The clone keeps its own copy of what the original compiled.
        assert!(!std::ptr::eq(common, c.file("common").unwrap().rules()));
        assert_eq!(common.len(), c.file("common").unwrap().rules().len());
    }

    #[test]
    fn the_prefilter_waits_for_enough_pages() {
        let c = Catalog::built_in().unwrap();
        let rules = c.rules_for(None, None);
        let page = b"<p>x</p>";
        assert!(c.can_act(&rules, page).iter().all(|&on| on));
        assert!(c.prefilter.built.get().is_none());
        let at_once = Catalog::built_in().unwrap().with_prefilter_at_once();
        assert!(at_once.can_act(&rules, page).iter().any(|&on| !on));
    }

    #[test]
    fn broken_references_are_errors_with_positions() {
        let err = Catalog::from_sources(vec![
            src("platforms/a", "extends = [\"platforms/b\"]\n"),
            src("platforms/b", "extends = [\"platforms/a\"]\n"),
            src(
                "outlets/o",
                "extends = [\"platforms/none\"]\ndisable = [\"x/y\"]\n",
            ),
        ])
        .unwrap_err();
        let shown: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}:{} {}", d.path, d.line, d.col, d.message))
            .collect();
        assert!(
            shown.contains(
                &"outlets/o.toml:1:12 `extends` names no rule file `platforms/none`".to_string()
            ),
            "{shown:#?}"
        );
        assert!(
            shown.contains(&"outlets/o.toml:2:12 `disable` names no rule `x/y`".to_string()),
            "{shown:#?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.contains("cycle: platforms/a -> platforms/b -> platforms/a")),
            "{shown:#?}"
        );
    }
}
