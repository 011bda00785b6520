//! The rule files and example documents are embedded in the binary: rebuild when a file is
//! added to or removed from their directories, not only when one changes.
//!
//! The built-in rule files are also read here, once, so that a process does not read them
//! again: each file's TOML, parsed into the shapes of `src/rules/schema.rs`, is written out
//! as Rust that builds those values (`built_in_rules.rs`, see `src/rules/built_in.rs`), and
//! the literals every regex of theirs requires and the prefixes every match of a regex
//! anchored at the start begins with (`src/lazy_regex/required.rs`) as a table
//! (`required_literals.rs`, see `src/lazy_regex.rs`), and the forward automata of every
//! regex's branches (`automata.rs` and `automata.bin`, see `build/automata.rs` and
//! `src/lazy_regex/prebuilt.rs`). A file that does
//! not parse is written out as text alone: it is parsed, and its errors reported, when it
//! loads, as a user's file is.

#[path = "build/automata.rs"]
mod automata;
#[allow(dead_code)]
#[path = "src/lazy_regex/branches.rs"]
mod branches;
#[allow(dead_code)]
#[path = "src/actions/raw_rule.rs"]
mod raw_rule;
#[allow(dead_code)]
#[path = "src/lazy_regex/required.rs"]
mod required;
#[allow(dead_code)]
#[path = "src/rules/schema.rs"]
mod schema;

use raw_rule::RawRule;
use schema::{RawDetect, RawFile, RawSignal};
use std::fmt::Write as _;
use std::path::Path;
use toml::Spanned;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=tests/corpus/seeds");
    println!("cargo:rerun-if-changed=src/lazy_regex/required.rs");
    println!("cargo:rerun-if-changed=src/lazy_regex/branches.rs");
    println!("cargo:rerun-if-changed=build/automata.rs");
    println!("cargo:rerun-if-changed=src/rules/schema.rs");
    println!("cargo:rerun-if-changed=src/actions/raw_rule.rs");

    let mut files = Vec::new();
    collect(Path::new("rules"), &mut files);
    files.sort();

    let mut out = String::new();
    let mut patterns = Vec::new();
    let mut entries = String::new();
    for (i, (key, text)) in files.iter().enumerate() {
        let (file, rules, errors) = schema::parse::<RawRule>(text);
        let parsed = match file {
            Some(file) if errors.is_empty() => {
                patterns_of(&file, &rules, &mut patterns);
                let _ = write!(out, "fn file_{i}() -> RawFile {{ ");
                file.code(&mut out);
                let _ = write!(out, " }}\nfn rules_{i}() -> Vec<Spanned<RawRule>> {{ ");
                rules.code(&mut out);
                out.push_str(" }\n");
                let ids: Vec<&str> = rules
                    .iter()
                    .map(|r| r.get_ref().id.get_ref().as_str())
                    .collect();
                format!("Some(Parsed {{ file: file_{i}, rules: rules_{i}, ids: &{ids:?} }})")
            }
            _ => "None".to_string(),
        };
        let _ = writeln!(
            entries,
            "    BuiltIn {{ key: {key:?}, path: {path:?}, text: {text:?}, parsed: {parsed} }},",
            path = format!("rules/{key}.toml"),
        );
    }
    let _ = writeln!(out, "static FILES: &[BuiltIn] = &[\n{entries}];");

    let dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dir.join("built_in_rules.rs"), out).expect("the generated rules are written");

    patterns.sort();
    patterns.dedup();
    let mut out = String::new();
    out.push_str("static REQUIRED: &[(&str, Option<Known>, Option<KnownStarts>)] = &[\n");
    for pattern in &patterns {
        let lits = match required::literals_of(pattern) {
            Some(l) => format!("Some((&{:?}, {}))", l.set, l.ascii_case),
            None => "None".to_string(),
        };
        let starts = match required::start_prefixes(pattern) {
            Some(p) => {
                let each: Vec<String> = p.iter().map(|l| format!("&{l:?}")).collect();
                format!("Some(&[{}])", each.join(", "))
            }
            None => "None".to_string(),
        };
        let _ = writeln!(out, "    ({pattern:?}, {lits}, {starts}),");
    }
    out.push_str("];\n");
    std::fs::write(dir.join("required_literals.rs"), out).expect("the literals are written");

    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let built = automata::build(&patterns, big_endian);
    std::fs::write(dir.join("automata.rs"), built.rust).expect("the automata's index is written");
    std::fs::write(dir.join("automata.bin"), built.blob).expect("the automata are written");
    std::fs::write(dir.join("automata-report.txt"), built.report).expect("the report is written");
}

/// The `.toml` files under `dir`, as (key, text): the key is the path under `rules/`
/// without `.toml`.
fn collect(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path
                .strip_prefix("rules")
                .expect("under rules/")
                .with_extension("");
            let key = rel.to_string_lossy().replace('\\', "/");
            // A file that is not UTF-8 is not built in (as `include_dir` leaves it out).
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((key, text));
            }
        }
    }
}

/// Every string of a file that a rule or `[detect]` reads as a regex.
fn patterns_of(file: &RawFile, rules: &[Spanned<RawRule>], out: &mut Vec<String>) {
    let mut add = |s: &Spanned<String>| out.push(s.get_ref().clone());
    if let Some(detect) = &file.detect {
        let d = detect.get_ref();
        d.head
            .iter()
            .chain(&d.tail)
            .chain(&d.source_url)
            .for_each(&mut add);
        d.signal.iter().for_each(|s| add(&s.get_ref().pattern));
    }
    for rule in rules {
        let r = rule.get_ref();
        [&r.pattern, &r.from, &r.to, &r.links_to, &r.unless, &r.voice]
            .into_iter()
            .flatten()
            .for_each(&mut add);
    }
}

/// A value written as the Rust expression that builds it.
trait Code {
    fn code(&self, out: &mut String);
}

impl Code for String {
    fn code(&self, out: &mut String) {
        let _ = write!(out, "s({self:?})");
    }
}

macro_rules! code_as_debug {
    ($($t:ty),*) => {$(
        impl Code for $t {
            fn code(&self, out: &mut String) {
                let _ = write!(out, "{self:?}");
            }
        }
    )*};
}
code_as_debug!(bool, i32, i64, usize);

impl Code for f64 {
    fn code(&self, out: &mut String) {
        // Exactly this value, whatever it is (TOML has `inf` and `nan`).
        let _ = write!(out, "f64::from_bits({:#x})", self.to_bits());
    }
}

impl<T: Code> Code for Option<T> {
    fn code(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(v) => {
                out.push_str("Some(");
                v.code(out);
                out.push(')');
            }
        }
    }
}

impl<T: Code> Code for Vec<T> {
    fn code(&self, out: &mut String) {
        out.push_str("vec![");
        for v in self {
            v.code(out);
            out.push(',');
        }
        out.push(']');
    }
}

impl<T: Code> Code for Spanned<T> {
    fn code(&self, out: &mut String) {
        let span = self.span();
        let _ = write!(out, "sp({}, {}, ", span.start, span.end);
        self.get_ref().code(out);
        out.push(')');
    }
}

/// `Code` for a struct, naming every field: a field added to the schema and not here
/// fails to build.
macro_rules! code_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Code for $t {
            fn code(&self, out: &mut String) {
                let $t { $($f),* } = self;
                out.push_str(concat!(stringify!($t), " {"));
                $(
                    out.push_str(concat!(stringify!($f), ": "));
                    $f.code(out);
                    out.push(',');
                )*
                out.push('}');
            }
        }
    };
}

code_struct!(RawFile {
    description,
    extends,
    input,
    disable,
    detect,
    expect,
    mirror_hosts,
});
code_struct!(RawDetect {
    head,
    tail,
    source_url,
    hosts,
    priority,
    signal,
    threshold,
});
code_struct!(RawSignal {
    id,
    pattern,
    weight,
    within,
    note,
});
code_struct!(RawRule {
    id,
    action,
    note,
    selector,
    pattern,
    from,
    to,
    attr,
    with,
    max_chars,
    max_bytes,
    edge,
    within,
    field,
    keep,
    take,
    in_,
    list,
    min_links,
    max_links,
    min_link_count,
    media,
    hidden,
    with_media,
    links_to,
    site_links,
    list_item,
    unless,
    voice,
    terse,
});
