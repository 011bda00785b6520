//! The command line's forms, each as a user types it: `--explain` before a file, `-` for
//! standard input, a mistyped subcommand, `--to` and `--from` everywhere, `--help`,
//! `--generate`, tree runs that report per file and stream JSON Lines.

mod common;

use common::{json_lines, run_in, scratch, text};
use std::path::{Path, PathBuf};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo")
}

const GOOD: &str = "corpus/demo/good/001.md";

#[test]
fn explain_takes_no_value_and_json_is_asked_with_an_equals_sign() {
    let out = run_in(&demo(), &["--explain", "--rules", "rules", GOOD], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Article text."));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("{GOOD}\n  family: demo\n")),
        "{stderr}"
    );
    let out = run_in(&demo(), &["--explain=json", "--rules", "rules", GOOD], "");
    let report: serde_json::Value = serde_json::from_str(&text(&out.stderr)).unwrap();
    assert_eq!(report["document"], GOOD);
}

#[test]
fn explain_shows_why_each_rule_exists() {
    let out = run_in(&demo(), &["explain", "--rules", "rules", GOOD], "");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("  demo/share (remove, rules/families/demo.toml:14) once")
            && stdout.contains("      why: The mirror's share box.\n"),
        "{stdout}"
    );
    let out = run_in(
        &demo(),
        &["explain", "--to", "json", "--rules", "rules", GOOD],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let share = report["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "demo/share")
        .unwrap();
    assert_eq!(share["note"], "The mirror's share box.");
}

#[test]
fn a_dash_is_standard_input_everywhere() {
    let page = std::fs::read_to_string(demo().join(GOOD)).unwrap();
    let out = run_in(&demo(), &["-q", "--rules", "rules", "-"], &page);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Article text."));
    let out = run_in(&demo(), &["explain", "--rules", "rules", "-"], &page);
    assert!(text(&out.stdout).starts_with("<stdin>\n  family: demo\n"));
    let out = run_in(
        &demo(),
        &["--from", "jsonl", "-q", "-"],
        "{\"id\": 7, \"content\": \"<p>x</p>\"}\n",
    );
    assert!(
        text(&out.stdout).starts_with("{\"id\":7,"),
        "{}",
        text(&out.stdout)
    );
    let out = run_in(
        &demo(),
        &["-q", "--to", "source", "-", "-o", "-"],
        "<p>x</p>",
    );
    assert_eq!(text(&out.stdout), "<p>x</p>");
}

#[test]
fn a_mistyped_subcommand_gets_a_suggestion() {
    for (typed, meant) in [("rule", "rules"), ("explian", "explain")] {
        let out = run_in(&demo(), &[typed, "check"], "");
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("did you mean `dechaff {meant}`?")),
            "{stderr}"
        );
    }
    // A file of that name is a file.
    let dir = scratch("rule");
    std::fs::write(dir.join("rule"), "<p>x</p>").unwrap();
    let out = run_in(&dir, &["-q", "--to", "source", "rule"], "");
    assert_eq!(text(&out.stdout), "<p>x</p>");
}

#[test]
fn from_names_the_input_format_and_input_is_its_old_spelling() {
    for flag in ["--from", "--input"] {
        let out = run_in(
            &demo(),
            &["-q", flag, "html", "--to", "source"],
            "<p>x</p><script>t()</script>",
        );
        assert_eq!(text(&out.stdout), "<p>x</p>", "{flag}");
    }
    let out = run_in(&demo(), &["explain", "--from", "jsonl", GOOD], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_has_a_section_per_use_and_one_example_per_line() {
    let out = run_in(&demo(), &["--help"], "");
    let help = text(&out.stdout);
    for section in [
        "\nFilter:\n",
        "\nFiles:\n",
        "\nTrees:\n",
        "\nJSON Lines:\n",
        "\nRules:\n",
    ] {
        assert!(help.contains(section), "{section} in {help}");
    }
    assert!(help.contains("\n  dechaff < page.md > clean.md "), "{help}");
    assert!(
        help.contains("\n  dechaff mirror/ --to jsonl > mirror.jsonl "),
        "{help}"
    );
    assert!(help.contains("Exit status: 0 success"), "{help}");
}

#[test]
fn generate_prints_a_man_page_and_completions() {
    let out = run_in(&demo(), &["--generate", "man"], "");
    assert_eq!(out.status.code(), Some(0));
    let man = text(&out.stdout);
    assert!(
        man.contains(".TH dechaff") && man.contains("\\-\\-explain"),
        "{man}"
    );
    for (kind, mark) in [
        ("complete-bash", "_dechaff()"),
        ("complete-zsh", "#compdef dechaff"),
        ("complete-fish", "complete -c dechaff"),
    ] {
        let out = run_in(&demo(), &["--generate", kind], "");
        assert!(text(&out.stdout).contains(mark), "{kind}");
    }
}

/// A small tree: two documents of the demo mirror, one with an unknown family, notes and
/// a file that is no document.
fn tree(name: &str) -> PathBuf {
    let dir = scratch(name);
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("site")).unwrap();
    let good = std::fs::read_to_string(demo().join(GOOD)).unwrap();
    std::fs::write(input.join("site/001.md"), &good).unwrap();
    std::fs::write(input.join("site/002.md"), &good).unwrap();
    std::fs::write(input.join("site/plain.html"), "<p>Plain.</p>").unwrap();
    std::fs::write(input.join("README.md"), "notes\n").unwrap();
    std::fs::write(input.join("site/INDEX.tsv"), "x\n").unwrap();
    dir
}

#[test]
fn a_tree_summary_names_the_files_behind_warnings_and_counts_skipped_files() {
    let dir = tree("summary");
    let rules = demo().join("rules");
    let args = ["in", "-o", "out", "--rules", rules.to_str().unwrap()];
    let out = run_in(&dir, &args, "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("3 documents cleaned"), "{stderr}");
    assert!(
        stderr.contains(
            "skipped 2 files: not a document (.md, .markdown, .html, .htm) 1; notes (an all-capital Markdown name, such as README.md) 1\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warnings: unknown-family 1 (in/site/plain.html)"),
        "{stderr}"
    );
    // Again, quietly, into the same place: the summary is silenced.
    let out = run_in(&dir, &[&args[..], &["-q"]].concat(), "");
    assert_eq!(text(&out.stderr), "", "-q silences the summary");
}

#[test]
fn a_tree_run_reports_per_file_with_verbose_or_explain_and_as_json() {
    let dir = tree("report");
    let rules = demo().join("rules");
    let rules = rules.to_str().unwrap();
    let out = run_in(
        &dir,
        &["in", "-o", "out", "--rules", rules, "-v", "-j", "1"],
        "",
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("in/site/001.md: family demo, outlet -"),
        "{stderr}"
    );
    let out = run_in(
        &dir,
        &["in", "-o", "out2", "--rules", rules, "--explain"],
        "",
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("in/site/002.md\n  family: demo\n"),
        "{stderr}"
    );
    let out = run_in(
        &dir,
        &[
            "in", "-o", "out3", "--rules", rules, "--report", "run.json", "-q",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(report["cleaned"], 3);
    assert_eq!(report["skipped"], 2);
    assert_eq!(
        report["warnings"]["unknown-family"][0],
        "in/site/plain.html"
    );
    assert_eq!(report["documents"][0]["path"], "in/site/001.md");
    assert_eq!(report["documents"][0]["family"], "demo");
    let out = run_in(&dir, &["in/site/001.md", "--report", "x.json"], "");
    assert_eq!(out.status.code(), Some(2), "--report is for trees");
}

#[test]
fn a_tree_streams_to_standard_output_as_json_lines_with_paths() {
    let dir = tree("stream");
    let rules = demo().join("rules");
    let out = run_in(
        &dir,
        &[
            "in",
            "--to",
            "jsonl",
            "-q",
            "--rules",
            rules.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines = json_lines(&out.stdout);
    let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["in/site/001.md", "in/site/002.md", "in/site/plain.html"]
    );
    assert_eq!(lines[0]["family"], "demo");
    let out = run_in(&dir, &["in"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--to jsonl"));
}

#[test]
fn several_files_as_json_carry_their_paths() {
    let dir = tree("several");
    for to in ["json", "jsonl"] {
        let out = run_in(
            &dir,
            &["-q", "--to", to, "in/site/001.md", "in/site/plain.html"],
            "",
        );
        let paths: Vec<String> = text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string())
            .collect();
        assert_eq!(
            paths,
            ["\"in/site/001.md\"", "\"in/site/plain.html\""],
            "{to}"
        );
    }
    // One document: the record is the article alone, as before.
    let out = run_in(&dir, &["-q", "--to", "json", "in/site/plain.html"], "");
    assert!(text(&out.stdout).starts_with("{\"title\":"));
}

#[test]
fn rules_test_accept_writes_the_snapshots_of_a_site_with_no_family() {
    let dir = scratch("accept");
    std::fs::create_dir_all(dir.join("corpus/lonely")).unwrap();
    std::fs::copy(demo().join(GOOD), dir.join("corpus/lonely/001.md")).unwrap();
    let rules = demo().join("rules");
    let args = [
        "rules",
        "test",
        "--corpus",
        "corpus",
        "--snapshots",
        "snaps",
        "--rules",
        rules.to_str().unwrap(),
    ];
    let out = run_in(&dir, &args, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("no reviewed snapshot"));
    let out = run_in(&dir, &[&args[..], &["--accept"]].concat(), "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("lonely/001.md: snapshot written"));
    let snap = std::fs::read_to_string(dir.join("snaps/corpus@lonely__001.md.snap")).unwrap();
    assert!(
        snap.starts_with("---\nsource: tests/corpus.rs\ndescription: \"family: demo, outlet: -\\n"),
        "{snap}"
    );
    assert!(
        snap.contains(
            "input_file: corpus/lonely/001.md\n---\n<div class=\"body\"><p>Article text."
        ),
        "{snap}"
    );
    let out = run_in(&dir, &[&args[..], &["lonely"]].concat(), "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("ok      lonely (1 documents)\n"));
}

#[test]
fn rules_test_takes_an_outlet_name_alone_when_one_site_has_it() {
    let args = [
        "rules",
        "test",
        "--corpus",
        "corpus",
        "--snapshots",
        "snapshots",
        "--rules",
        "rules",
    ];
    let out = run_in(&demo(), &[&args[..], &["good"]].concat(), "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("ok      demo/good (1 documents)\n"));
    let dir = scratch("ambiguous");
    for family in ["a", "b"] {
        std::fs::create_dir_all(dir.join(format!("corpus/{family}/x"))).unwrap();
        std::fs::write(dir.join(format!("corpus/{family}/x/001.md")), "X.\n").unwrap();
    }
    let out = run_in(
        &dir,
        &["rules", "test", "--corpus", "corpus", "--no-snapshots", "x"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`x` is the outlet of several sites: a/x, b/x"));
}

#[test]
fn coverage_with_a_rules_directory_reports_only_its_rules() {
    let args = ["rules", "coverage", "corpus", "--rules", "rules"];
    let out = run_in(&demo(), &args, "");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("  demo/banner ") && !stdout.contains("common/"),
        "{stdout}"
    );
    let out = run_in(&demo(), &[&args[..], &["--all-rules"]].concat(), "");
    assert!(text(&out.stdout).contains("  common/"));
}
