//! What a cleaning run tells its caller: what was detected, which rules fired, warnings.

use serde::Serialize;
use std::cell::RefCell;

/// Something the user should know about a document; the output is still written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable short name: `unknown-outlet`, `unclosed-element`, …
    pub kind: &'static str,
    pub message: String,
}

impl Warning {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Warning {
        Warning {
            kind,
            message: message.into(),
        }
    }
}

/// One rule that did something to the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleHit {
    pub id: String,
    pub action: &'static str,
    /// How many times it acted.
    pub count: u32,
    /// Bytes of input it removed (0 for rules that only rewrite).
    pub bytes_removed: u64,
    /// `file:line` of the rule.
    pub origin: String,
}

/// The outcome of cleaning one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub family: Option<String>,
    pub outlet: Option<String>,
    /// How the family and outlet were found, one line each.
    pub evidence: Vec<String>,
    /// The original article's address, where the document names it.
    pub source_url: Option<String>,
    pub fired: Vec<RuleHit>,
    pub warnings: Vec<Warning>,
}

/// Per-rule counters for one document, indexed like the document's rule list.
#[derive(Debug, Default)]
pub struct Stats {
    counts: RefCell<Vec<(u32, u64)>>,
}

impl Stats {
    pub fn new(rules: usize) -> Stats {
        Stats {
            counts: RefCell::new(vec![(0, 0); rules]),
        }
    }

    pub fn fired(&self, rule: usize, bytes_removed: usize) {
        if let Some(c) = self.counts.borrow_mut().get_mut(rule) {
            c.0 += 1;
            c.1 += bytes_removed as u64;
        }
    }

    pub fn snapshot(&self) -> Vec<(u32, u64)> {
        self.counts.borrow().clone()
    }
}
