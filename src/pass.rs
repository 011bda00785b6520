//! One document's pass through its rules, built in one place (the pipeline, `clean`) and
//! handed to the stages: the Markdown stage (`markdown`) and the HTML stage (`rewrite`).

use crate::actions::keep_only::any_region;
use crate::actions::{Chosen, Stage};
use crate::lazy_regex::LiteralSet;
use crate::markers::Markers;
use crate::report::{RuleHit, RuleTime, Stats};
use crate::rules::{Catalog, Rule};

/// The rules one document runs, what they did to it, and what the HTML stage needs to
/// know of its input.
pub(crate) struct Pass<'a> {
    /// Common, family and outlet rules, in order, less those the layers disable.
    pub rules: Vec<&'a Rule>,
    /// What each rule did, indexed like `rules`.
    pub stats: Stats,
    /// The markers the handlers and the Markdown stage write for the sink.
    pub markers: &'a Markers,
    /// Which rules can act on the HTML stage's input (all, until [`Pass::scope`] looks).
    pub active: Vec<bool>,
    /// For each active rule, which alternatives of its selector list can match that input,
    /// when only some of several can (None: any may).
    pub parts: Vec<Option<Vec<bool>>>,
    /// Whether a `keep-only` region occurs in that input: only then does everything outside
    /// the regions go.
    pub keep_only: bool,
    /// The elements a rule that reads the whole document (`keep-main`) chose to keep, by
    /// their order among its elements, when no `keep-only` region occurs; empty otherwise.
    pub main: Chosen,
    /// The rule that chose them.
    pub main_rule: Option<usize>,
    /// The elements the rules that read the whole document first picked, by rule (see
    /// `Kind::picks`): found by [`Pass::scope`], none for a document that streams.
    pub picked: Vec<(usize, Vec<u32>)>,
    catalog: &'a Catalog,
}

impl<'a> Pass<'a> {
    /// The pass of a document through `rules`, its layers' rules from `catalog`;
    /// `previews` says whether removals are previewed in the report.
    pub fn new(
        catalog: &'a Catalog,
        markers: &'a Markers,
        rules: Vec<&'a Rule>,
        previews: bool,
    ) -> Pass<'a> {
        Pass {
            stats: Stats::new(rules.len()).with_previews(previews),
            active: vec![true; rules.len()],
            parts: vec![None; rules.len()],
            keep_only: false,
            main: Chosen::default(),
            main_rule: None,
            picked: Vec::new(),
            rules,
            markers,
            catalog,
        }
    }

    /// The same pass, timing each rule's work or not (see `Options::time_rules`).
    pub fn timed(self, timing: bool) -> Pass<'a> {
        let stats = self.stats.with_timing(timing);
        Pass { stats, ..self }
    }

    /// Fits the HTML stage to its whole input, `html`: the rules one scan of it rules out
    /// stay out of the rewriter (see `rules::needs`), the rules that read the whole
    /// document pick their elements (`more` gives the document's text `html` does not
    /// hold), and the regions are looked for: those `keep-only` rules name, else those a
    /// rule that reads the whole document chooses.
    pub fn scope(&mut self, html: &[u8], more: &dyn Fn() -> String) {
        (self.active, self.parts) = self.catalog.scope(&self.rules, html);
        self.picked = (self.rules.iter().enumerate())
            .filter(|&(i, r)| self.active[i] && r.action.stage() == Stage::Rewriter)
            .map(|(i, r)| (i, r.action.picks(html, more)))
            .filter(|(_, p)| !p.is_empty())
            .collect();
        self.keep_only = self.region_in(html);
        (self.main, self.main_rule) = (Chosen::default(), None);
        if self.keep_only {
            return;
        }
        let choosers = (self.rules.iter().enumerate())
            .filter(|&(i, r)| self.active[i] && r.action.stage() == Stage::Regions)
            .filter(|(_, r)| r.action.selector().is_none());
        for (i, rule) in choosers {
            if let Some(main) = rule.action.chosen_regions(html).filter(|m| !m.is_empty()) {
                (self.main, self.main_rule) = (main, Some(i));
                self.keep_only = true;
                return;
            }
        }
    }

    /// Fits the HTML stage to a document that streams: only its `head` has been read, so
    /// every rule runs, and the regions are looked for in the head.
    pub fn scope_by_head(&mut self, head: &[u8]) {
        self.active = vec![true; self.rules.len()];
        self.parts = vec![None; self.rules.len()];
        self.picked = Vec::new();
        self.keep_only = self.region_in(head);
    }

    /// Whether the document's rules name regions to keep at all (by a selector: a rule
    /// that chooses them reads the whole document, which a stream does not give it).
    pub fn has_regions(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.action.stage() == Stage::Regions && r.action.selector().is_some())
    }

    /// Whether a region of the active rules occurs in `html`: a region that is absent must
    /// not empty the document.
    fn region_in(&self, html: &[u8]) -> bool {
        let regions = (self.rules.iter().zip(&self.active))
            .filter(|&(r, &on)| on && r.action.stage() == Stage::Regions)
            .filter_map(|(r, _)| r.action.selector())
            .map(|css| &css.compiled);
        any_region(regions, html)
    }

    /// The literals of the pass's block rules, in their order, searched for together
    /// (kept by the catalog for every pass that runs the same rules).
    pub fn block_literals(&self) -> std::sync::Arc<LiteralSet> {
        self.catalog.block_literals(&self.rules)
    }

    /// The metadata rules' literals of the sets of rules documents ran (see
    /// `Catalog::metadata_literals`).
    pub fn metadata_literals(&self) -> std::sync::Arc<crate::lazy_regex::PresentSets> {
        self.catalog.metadata_literals()
    }

    /// The rules that did something, for the report.
    pub fn fired(&self) -> Vec<RuleHit> {
        self.rules
            .iter()
            .zip(self.stats.snapshot())
            .filter(|(_, count)| count.times > 0)
            .map(|(rule, count)| RuleHit {
                id: rule.id.clone(),
                action: rule.action.name(),
                count: count.times,
                bytes_removed: count.bytes,
                origin: rule.origin.clone(),
                previews: count.previews,
            })
            .collect()
    }

    /// The time each rule took, for the report, when the pass is timed (zero for a rule
    /// that a scan of the document for its literals ruled out).
    pub fn timings(&self) -> Vec<RuleTime> {
        let Some(spent) = self.stats.spent() else {
            return Vec::new();
        };
        (self.rules.iter().zip(spent))
            .map(|(rule, spent)| RuleTime {
                id: rule.id.clone(),
                origin: rule.origin.clone(),
                nanos: u64::try_from(spent.as_nanos()).unwrap_or(u64::MAX),
            })
            .collect()
    }
}
