//! The maintainers' commands, end to end: `rules check|list|show|coverage|test` and
//! `explain`. Error output is compared with reviewed snapshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn dechaff_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn rules_check_passes_on_the_shipped_rules() {
    let out = dechaff_in(&fixtures(), &["rules", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("rules: no problems\n"));
}

#[test]
fn rules_check_shows_every_error_with_its_place() {
    let out = dechaff_in(&fixtures(), &["rules", "check", "broken-rules"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot("tooling-rules-check-broken", &text(&out.stderr));
}

#[test]
fn rules_check_refuses_a_rule_that_repeats_another() {
    let out = dechaff_in(&fixtures(), &["rules", "check", "repeated-rule"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot("tooling-rules-check-repeated", &text(&out.stderr));
}

#[test]
fn rules_list_names_every_file() {
    let out = dechaff_in(&fixtures(), &["rules", "list", "--rules", "demo/rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("common ") && l.contains("common"))
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("families/demo ") && l.contains("3 rules"))
    );
}

#[test]
fn rules_show_merges_the_layers_with_origins() {
    let out = dechaff_in(
        &fixtures(),
        &["rules", "show", "demo", "--rules", "demo/rules"],
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("# common + families/demo + generic\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "demo/share                           remove           demo/rules/families/demo.toml:14"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    selector = \"div.share\"\n    note: The mirror's share box.\n"),
        "{stdout}"
    );
    let out = dechaff_in(&fixtures(), &["rules", "show", "nothing-by-that-name"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The rule `id` in a JSON list of the rules that fired.
fn hit<'a>(hits: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let hits = hits.as_array().expect("a list of rules");
    hits.iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("{id} did not fire: {hits:?}"))
}

#[test]
fn explain_names_evidence_rules_and_what_went() {
    let demo = fixtures().join("demo");
    let out = dechaff_in(
        &demo,
        &["explain", "--rules", "rules", "corpus/demo/good/001.md"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    snapshot("tooling-explain-text", &text(&out.stdout));
}

#[test]
fn explain_speaks_json_too() {
    let demo = fixtures().join("demo");
    let out = dechaff_in(
        &demo,
        &[
            "explain",
            "--to",
            "json",
            "--rules",
            "rules",
            "corpus/demo/good/001.md",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(value["document"], "corpus/demo/good/001.md");
    assert_eq!(value["family"], "demo");
    assert_eq!(value["source_url"], "https://news.example/1");
    let share = hit(&value["fired"], "demo/share");
    assert_eq!(share["origin"], "rules/families/demo.toml:14");
    assert_eq!(share["previews"][0], "Share this page");
    assert!(share["bytes_removed"].as_u64().unwrap() > 0);
}

#[test]
fn explain_flag_on_a_normal_run_goes_to_stderr() {
    let demo = fixtures().join("demo");
    let out = dechaff_in(
        &demo,
        &["--explain", "--rules", "rules", "corpus/demo/good/001.md"],
    );
    assert_eq!(
        text(&out.stdout),
        "Article text.\n\nSource: https://news.example/1\n"
    );
    assert!(text(&out.stderr).contains("demo/share (remove, rules/families/demo.toml:14) once"));
}

#[test]
fn json_output_keeps_the_previews_of_what_rules_removed() {
    // The CLI skips previews when nothing shows them; JSON output and --explain do.
    let demo = fixtures().join("demo");
    let out = dechaff_in(
        &demo,
        &[
            "--to",
            "json",
            "--rules",
            "rules",
            "corpus/demo/good/001.md",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let share = hit(&value["rules"], "demo/share");
    assert_eq!(share["previews"][0], "Share this page");
}

#[test]
fn json_lines_records_keep_the_previews_whatever_the_content_format() {
    // A `--from jsonl` record is JSON even when its content is text, HTML or source.
    use std::io::Write;
    let demo = fixtures().join("demo");
    let page = std::fs::read_to_string(demo.join("corpus/demo/good/001.md")).unwrap();
    let line = serde_json::json!({"id": 1, "content": page}).to_string() + "\n";
    for to in ["jsonl", "text", "html", "source"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dechaff"))
            .args(["--from", "jsonl", "--to", to, "--rules", "rules", "-q"])
            .current_dir(&demo)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        let share = hit(&value["rules"], "demo/share");
        assert_eq!(share["previews"][0], "Share this page", "--to {to}");
    }
}

#[test]
fn coverage_counts_documents_and_lists_dead_rules() {
    let demo = fixtures().join("demo");
    let out = dechaff_in(&demo, &["rules", "coverage", "corpus", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("2 documents under corpus\n"), "{stdout}");
    assert!(stdout.contains("     2  demo/banner "), "{stdout}");
    assert!(stdout.contains("     1  demo/share "), "{stdout}");
    assert!(
        stdout.contains("  demo/never (rules/families/demo.toml:20)\n"),
        "{stdout}"
    );
    let out = dechaff_in(
        &demo,
        &[
            "rules",
            "coverage",
            "corpus",
            "--rules",
            "rules",
            "--deny-dead",
            "--to",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(value["documents"], 2);
    assert!(
        value["dead"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "demo/never")
    );
}

#[test]
fn coverage_times_the_rules_that_ran() {
    let demo = fixtures().join("demo");
    let args = [
        "rules", "coverage", "corpus", "--rules", "rules", "--timing",
    ];
    let out = dechaff_in(&demo, &args);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let (counts, timing) = stdout.split_once("time in the rules' own work: ").unwrap();
    assert!(counts.contains("     2  demo/banner "), "{stdout}");
    assert!(timing.contains(" ms cleaning ("), "{stdout}");
    // A rule its page never holds the literals of does no work.
    assert!(!timing.contains("demo/never"), "{stdout}");
    let out = dechaff_in(&demo, &[&args[..], &["--to", "json"]].concat());
    let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert!(value["cleaning_nanos"].as_u64().unwrap() > 0);
    let rules = value["rules"].as_array().unwrap();
    let nanos = |id: &str| {
        let rule = rules.iter().find(|r| r["id"] == id).unwrap();
        rule["nanos"].as_u64().unwrap()
    };
    assert!(nanos("demo/banner") > 0);
    assert_eq!(nanos("demo/never"), 0);
    // Without --timing, no times.
    let out = dechaff_in(&demo, &["rules", "coverage", "corpus", "--rules", "rules"]);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("time in the rules"), "{stdout}");
}

#[test]
fn rules_test_runs_assertions_and_snapshots_per_site() {
    let demo = fixtures().join("demo");
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
    let out = dechaff_in(&demo, &args);
    assert_eq!(out.status.code(), Some(1));
    snapshot("tooling-rules-test", &text(&out.stdout));
    let out = dechaff_in(&demo, &[&args[..], &["demo/good"]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "ok      demo/good (1 documents)\n1 passed, 0 failed\n"
    );
}

/// `rendered_absent` asserts what must leave the rendered article though the source keeps
/// it: a line a metadata rule reads (where the piece first appeared) stays in source output
/// byte for byte, so `absent` would fail on it.
#[test]
fn rules_test_reads_rendered_absent_in_the_rendered_article() {
    let root = std::env::temp_dir().join(format!("dechaff-rendered-{}", std::process::id()));
    let site = root.join("blog/notes");
    std::fs::create_dir_all(&site).unwrap();
    let page = "---\ntitle: 一篇文章\n---\n\n第一段正文，说的是一件事。\n\n最后一段正文。\n\n始发于简书：冰冰船长\n";
    std::fs::write(site.join("001.md"), page).unwrap();
    let run = |expect: &str| {
        std::fs::write(site.join("expect.toml"), expect).unwrap();
        let out = dechaff_in(&root, &["rules", "test", "--corpus", ".", "--no-snapshots"]);
        (out.status.code(), text(&out.stdout))
    };
    let (code, stdout) =
        run("rendered_absent = ['始发于简书']\n[keep]\n\"001.md\" = ['最后一段正文。']\n");
    assert_eq!(code, Some(0), "{stdout}");
    let (code, stdout) = run("absent = ['始发于简书']\n");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("chaff `始发于简书` survives: "), "{stdout}");
    let (code, stdout) = run("rendered_absent = ['最后一段']\n");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("in the rendered article"), "{stdout}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_page_that_no_longer_triggers_expected_rules_warns() {
    let demo = fixtures().join("demo");
    let out = dechaff_in(&demo, &["--rules", "rules", "--family", "demo"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the demo rules may be out of date: demo/banner did not fire"),
        "{stderr}"
    );
}

/// A rule directory of one file per problem, `rules check`'s stderr.
fn check_files(name: &str, files: &[(&str, &str)]) -> String {
    let dir = std::env::temp_dir().join(format!("dechaff-tooling-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = dechaff_in(&dir, &["rules", "check", "."]);
    assert_eq!(out.status.code(), Some(1));
    text(&out.stderr)
}

#[test]
fn rules_check_refuses_files_no_layer_reads_and_detect_a_layer_ignores() {
    let stderr = check_files(
        "layers",
        &[
            (
                "outlet/dw.toml",
                "description = \"a typo in the directory\"\n",
            ),
            ("notes.toml", "description = \"beside common.toml\"\n"),
            ("platforms/p.toml", "[detect]\nhead = ['x']\n"),
            ("common.toml", "[detect]\nhead = ['x']\n"),
            (
                "outlets/o.toml",
                "[detect]\nhosts = ['o.com']\nsource_url = ['(x)']\n",
            ),
            (
                "families/f.toml",
                "[detect]\nhead = ['x']\nsource_url = ['(x)']\nhosts = ['f.com']\n",
            ),
        ],
    );
    assert!(
        stderr.contains("error: `outlet/dw.toml` is in no layer, so it would never run"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: `notes.toml` is in no layer"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: a platform is recognised only by `[[detect.signal]]`; here this would be ignored\n --> ./platforms/p.toml:2:9"),
        "{stderr}"
    );
    assert!(stderr.contains("--> ./common.toml:1:1"), "{stderr}");
    assert!(
        stderr.contains("error: `source_url` is read only in family files; here it would be ignored\n --> ./outlets/o.toml:3:15"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: `hosts` is read only in outlet files; here it would be ignored\n --> ./families/f.toml:4:10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dechaff: 6 problems in the rule files"),
        "{stderr}"
    );
}

#[test]
fn rules_check_suggests_actions_and_points_into_regexes() {
    let stderr = check_files(
        "hints",
        &[(
            "outlets/o.toml",
            "[detect]\nhosts = ['o.com']\n\n\
             [[rule]]\nid = \"a\"\naction = \"remove-if-txt\"\nselector = \"p\"\nnote = \"n\"\n\n\
             [[rule]]\nid = \"b\"\naction = \"drop-lines\"\npattern = '''\nab[z-a]'''\nnote = \"n\"\n",
        )],
    );
    assert!(
        stderr.contains("= help: did you mean `remove-if-text`? actions are: remove,"),
        "{stderr}"
    );
    // The caret stands under the bad range, on the pattern's own line.
    assert!(
        stderr.contains("--> ./outlets/o.toml:14:4\n   |\n14 | ab[z-a]'''\n   |    ^^^"),
        "{stderr}"
    );
}
