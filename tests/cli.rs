//! The `dechaff` binary, run as a user would: output, exit codes, error messages.

mod common;

use common::{run_in, scratch, text};
use std::process::Output;

fn dechaff(args: &[&str], stdin: &str) -> Output {
    run_in(&std::env::temp_dir(), args, stdin)
}

#[test]
fn cleans_a_built_in_example_from_any_directory() {
    let out = dechaff(&["--example", "gfw-breaker-epochtimes-2023"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("责任编辑：叶紫微"));
    assert!(!stdout.contains("手把手翻墙教程"));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn lists_examples() {
    let out = dechaff(&["--list-examples"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).lines().any(|l| l == "feedx-dw-2023"));
}

#[test]
fn filters_standard_input() {
    let out = dechaff(
        &["--from", "html", "--to", "source"],
        "<p>x</p><script>t()</script>",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "<p>x</p>");
}

#[test]
fn warnings_go_to_stderr_and_quiet_silences_them() {
    let out = dechaff(&["--to", "source"], "<p>x</p>\n");
    assert_eq!(text(&out.stdout), "<p>x</p>\n");
    assert!(text(&out.stderr).contains("warning: <stdin>: no mirror family recognised"));
    let out = dechaff(&["-q"], "<p>x</p>\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn verbose_names_detection_and_fired_rules() {
    let out = dechaff(&["-v", "--example", "feedx-dw-2023"], "");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("family feedx, outlet dw"), "{stderr}");
    assert!(stderr.contains("feed-items/rss-footer"), "{stderr}");
    assert!(
        stderr.contains("rules/platforms/feed-items.toml:"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_an_input_error_and_the_rest_still_run() {
    let dir = scratch("missing");
    let good = dir.join("good.html");
    std::fs::write(&good, "<p>ok</p>").unwrap();
    let missing = dir.join("missing.md");
    let out = dechaff(
        &[
            "-q",
            "--to",
            "source",
            missing.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("missing.md: cannot read"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "<p>ok</p>");
}

/// An output path that names a FIFO (or a device, such as `/dev/null`) is written to, not
/// replaced by a regular file.
#[cfg(unix)]
#[test]
fn an_output_path_that_is_not_a_regular_file_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo-output");
    let fifo = dir.join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = dechaff(
        &["-q", "--to", "source", "-o", fifo.to_str().unwrap()],
        "<p>ok</p><script>x</script>",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(reader.join().unwrap(), "<p>ok</p>");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_file_is_written_whole_and_input_untouched() {
    let dir = scratch("output");
    let input = dir.join("in.html");
    std::fs::write(&input, "<p>ok</p><script>x</script>").unwrap();
    let output = dir.join("out.html");
    let out = dechaff(
        &[
            "-q",
            "--to",
            "source",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "<p>ok</p>");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "<p>ok</p><script>x</script>"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn unknown_family_is_a_usage_error() {
    let out = dechaff(&["--family", "nope"], "x");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no family named `nope`"));
}

#[test]
fn bad_flags_are_usage_errors() {
    assert_eq!(dechaff(&["--no-such-flag"], "").status.code(), Some(2));
    assert_eq!(dechaff(&["--site", "feedx"], "").status.code(), Some(2));
}

#[test]
fn broken_rules_name_file_line_and_column_and_stop_everything() {
    let dir = scratch("rules");
    std::fs::create_dir_all(dir.join("outlets")).unwrap();
    std::fs::write(
        dir.join("outlets/bad.toml"),
        "[[rule]]\nid = \"x\"\naction = \"remove\"\nselector = \"h2 + p\"\nnote = \"n\"\n\n[[rule]]\nid = \"y\"\naction = \"remove\"\nselecter = \"div\"\nnote = \"n\"\n",
    )
    .unwrap();
    let out = dechaff(&["--rules", dir.to_str().unwrap()], "<p>x</p>");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stdout),
        "",
        "nothing is cleaned with a broken rule set"
    );
    let stderr = text(&out.stderr);
    let bad = dir.join("outlets/bad.toml").display().to_string();
    assert!(stderr.contains(&format!("--> {bad}:4:12")), "{stderr}");
    assert!(
        stderr.contains("help: lol_html has no `+` or `~` combinator"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("--> {bad}:10:1")), "{stderr}");
    assert!(stderr.contains("unknown field `selecter`"), "{stderr}");
}

#[test]
fn a_rules_directory_adds_and_overrides_files() {
    let dir = scratch("override");
    std::fs::create_dir_all(dir.join("families")).unwrap();
    std::fs::write(
        dir.join("families/mine.toml"),
        "[detect]\nhead = ['^MINE']\n[[rule]]\nid = \"banner\"\naction = \"drop-lines\"\npattern = '^MINE'\nnote = \"banner\"\n",
    )
    .unwrap();
    let out = dechaff(
        &["-q", "--rules", dir.to_str().unwrap()],
        "MINE banner\n\nText.\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Text.\n");
}

#[test]
fn a_tree_is_cleaned_into_the_same_layout_and_one_bad_document_stops_nothing() {
    let dir = scratch("tree");
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("a/b")).unwrap();
    std::fs::write(input.join("a/one.html"), "<p>One.</p><script>x()</script>").unwrap();
    std::fs::write(input.join("a/b/two.md"), "Two.\n").unwrap();
    std::fs::write(input.join("README.md"), "notes, not a document\n").unwrap();
    std::os::unix::fs::symlink(input.join("missing"), input.join("a/broken.md")).unwrap();
    let output = dir.join("out");
    let out = dechaff(
        &[
            "-j",
            "2",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failure is reported in the exit status"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("2 documents cleaned"), "{stderr}");
    assert!(
        stderr.contains("1 failed") && stderr.contains("broken.md: cannot read"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(output.join("a/one.md")).unwrap(),
        "One.\n"
    );
    assert_eq!(
        std::fs::read_to_string(output.join("a/b/two.md")).unwrap(),
        "Two.\n"
    );
    assert!(!output.join("README.md").exists());
}

#[test]
fn a_tree_is_never_written_into_itself() {
    let dir = scratch("overlap");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("x.md"), "X.\n").unwrap();
    for target in [input.join("out"), input.clone(), dir.clone()] {
        let out = dechaff(
            &[input.to_str().unwrap(), "-o", target.to_str().unwrap()],
            "",
        );
        assert_eq!(out.status.code(), Some(2), "{}", target.display());
        assert!(text(&out.stderr).contains("overlap"));
    }
    assert!(!input.join("out").exists(), "nothing was created");
    let out = dechaff(&[input.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give -o OUTDIR"));
}

#[test]
fn outlet_none_cleans_with_the_family_and_common_rules_only() {
    let out = dechaff(&["-v", "--example", "feedx-dw-2023"], "");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("dw/copyright"), "{stderr}");
    for args in [
        ["-v", "--example", "feedx-dw-2023", "--outlet", "none"],
        ["-v", "--example", "feedx-dw-2023", "--site", "feedx/none"],
    ] {
        let out = dechaff(&args, "");
        assert_eq!(out.status.code(), Some(0));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("family feedx, outlet -"), "{stderr}");
        assert!(stderr.contains("outlet rules switched off"), "{stderr}");
        // The family's rules still run; the outlet's do not, and nothing warns about it.
        assert!(stderr.contains("feed-items/rss-footer"), "{stderr}");
        assert!(!stderr.contains("dw/"), "{stderr}");
        assert!(!stderr.contains("warning"), "{stderr}");
        // The outlet's copyright notice goes all the same: the generic layer knows its kind.
        assert!(stderr.contains("generic/copyright-notice"), "{stderr}");
        assert!(!text(&out.stdout).contains("德国之声版权声明"));
    }
}

/// A tree of six pages of one outlet dechaff has no rules for, in the jekyll family's
/// shape: each its own story, each with the same promo line.
fn unknown_outlet_tree(name: &str) -> std::path::PathBuf {
    let dir = scratch(name).join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let stories = [
        "The river flooded the lower town after three days of rain.",
        "A new railway line opened between the two valley towns.",
        "The harbour authority approved a plan for a larger pier.",
        "Farmers in the orchard district expect a late harvest.",
        "The old bridge will close for repairs in the spring.",
        "Market traders protested against the new stall fees.",
    ];
    for (n, story) in stories.iter().enumerate() {
        let page = format!(
            "---\nlayout: post\ntitle: \"Story {n}\"\nfrom: https://news.example.org/story/{n}\n---\n<!--1595136758000-->\n[Story {n}](https://news.example.org/story/{n})\n------\n\n<div><p>{story}</p><p class=\"promo\">Valley Courier, the news of the valley since 1921</p></div>\n"
        );
        std::fs::write(dir.join(format!("{n:03}.md")), page).unwrap();
    }
    dir
}

#[test]
fn rules_learn_proposes_a_file_that_loads_explains_and_is_never_overwritten() {
    let pages = unknown_outlet_tree("learn");
    let rules = pages.parent().unwrap().join("learned");
    let (p, r) = (pages.to_str().unwrap(), rules.to_str().unwrap());
    let out = dechaff(&["rules", "learn", p, "-o", r], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("jekyll/news.example.org: 6 pages, 1 rule"),
        "{stdout}"
    );
    let file = rules.join("outlets/news-example-org.toml");
    let proposed = std::fs::read_to_string(&file).unwrap();
    assert!(proposed.contains("selector = 'p.promo'"), "{proposed}");
    assert!(
        proposed.contains("hosts = ['news.example.org']"),
        "{proposed}"
    );
    assert!(proposed.contains("found on 6 of 6 pages"), "{proposed}");

    let out = dechaff(&["rules", "check", r], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = pages.join("002.md");
    let out = dechaff(&["explain", "--rules", r, page.to_str().unwrap()], "");
    let report = text(&out.stdout);
    assert!(report.contains("outlet: news-example-org"), "{report}");
    assert!(
        report.contains("news-example-org/learned-text-1 (remove-if-text"),
        "{report}"
    );
    let out = dechaff(&["rules", "coverage", p, "--rules", r], "");
    assert!(
        text(&out.stdout).contains("6  news-example-org/learned-text-1"),
        "{}",
        text(&out.stdout)
    );

    // An existing file is kept unless --force says otherwise.
    std::fs::write(&file, "# edited by hand\n").unwrap();
    let out = dechaff(&["rules", "learn", p, "-o", r], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("give --force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# edited by hand\n"
    );
    let out = dechaff(&["rules", "learn", p, "-o", r, "--force"], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), proposed);
}

#[test]
fn a_tree_run_with_learn_removes_what_recurs_and_says_so() {
    let pages = unknown_outlet_tree("learn-tree");
    let out_dir = pages.parent().unwrap().join("clean");
    let out = dechaff(
        &[
            pages.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--learn",
            "--to",
            "source",
            "-j",
            "1",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("learned 1 rule for 1 of 1 sites"),
        "{stderr}"
    );
    assert!(
        stderr.contains("learned-jekyll-news-example-org/learned-text-1 (remove-if-text) removed"),
        "{stderr}"
    );
    assert!(stderr.contains("from 6 pages"), "{stderr}");
    for n in 0..6 {
        let cleaned = std::fs::read_to_string(out_dir.join(format!("{n:03}.md"))).unwrap();
        assert!(!cleaned.contains("Valley Courier"), "{cleaned}");
        assert!(cleaned.contains("<p>"), "{cleaned}");
        assert!(cleaned.contains(&format!("[Story {n}]")), "{cleaned}");
    }
    // --explain names the learned rule on each page.
    let out = dechaff(
        &[
            pages.to_str().unwrap(),
            "-o",
            pages.parent().unwrap().join("clean2").to_str().unwrap(),
            "--learn",
            "--explain",
        ],
        "",
    );
    assert_eq!(
        text(&out.stderr)
            .matches("learned-jekyll-news-example-org/learned-text-1 (remove-if-text, learned:jekyll/news.example.org:")
            .count(),
        6,
        "{}",
        text(&out.stderr)
    );
    // Without a tree there is nothing to learn from.
    let out = dechaff(&["--learn", pages.join("000.md").to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_tree_run_with_learn_applies_no_rule_that_acts_on_too_few_pages() {
    // The pitch ends with a tracking pixel: the learner sees the line as the common rules
    // leave it, while a learned `drop-lines` would read the page's own line, pixel and
    // all, and act on none. --learn checks what it learned, as `rules learn` does, and
    // lists only what acts.
    let dir = scratch("learn-settle").join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let stories = [
        "The river flooded the lower town after three days of rain.",
        "A new railway line opened between the two valley towns.",
        "The harbour authority approved a plan for a larger pier.",
        "Farmers in the orchard district expect a late harvest.",
        "The old bridge will close for repairs in the spring.",
        "Market traders protested against the new stall fees.",
    ];
    for (n, story) in stories.iter().enumerate() {
        let page = format!(
            "---\nlayout: post\ntitle: \"Story {n}\"\n---\n\n{story}\n\nJoin our readers club today <img src=\"https://px.example.org/p.gif\" width=\"1\" height=\"1\">\n\nValley Courier, the news of the valley since 1921\n"
        );
        std::fs::write(dir.join(format!("{n:03}.md")), page).unwrap();
    }
    let out_dir = dir.parent().unwrap().join("clean");
    let out = dechaff(
        &[
            dir.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--learn",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("learned 1 rule for 1 of 1 sites"),
        "{stderr}"
    );
    assert!(!stderr.contains("from 0 pages"), "{stderr}");
    assert!(
        stderr.contains("removed 300 bytes from 6 pages: Valley Courier"),
        "{stderr}"
    );
    for (n, story) in stories.iter().enumerate() {
        let cleaned = std::fs::read_to_string(out_dir.join(format!("{n:03}.md"))).unwrap();
        assert!(cleaned.contains(story), "{cleaned}");
        assert!(!cleaned.contains("Valley Courier"), "{cleaned}");
    }
}

#[test]
fn rules_learn_says_when_pages_are_not_detected_as_the_proposed_outlet() {
    let dir = scratch("learn-dir").join("archive");
    std::fs::create_dir_all(&dir).unwrap();
    let words = ["river", "bridge", "harbour", "orchard", "market", "railway"];
    for (n, word) in words.iter().enumerate() {
        let page = format!(
            "# A story about the {word}\n\nWhat happened at the {word} this week, told once.\n\nThis archive keeps articles that were deleted elsewhere\n"
        );
        std::fs::write(dir.join(format!("{n:03}.md")), page).unwrap();
    }
    let rules = dir.parent().unwrap().join("learned");
    let out = dechaff(
        &[
            "rules",
            "learn",
            dir.to_str().unwrap(),
            "-o",
            rules.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("archive/: 6 pages, 1 rule"), "{stdout}");
    assert!(
        stdout.contains("not detected as outlet `archive`; run its rules with --outlet archive"),
        "{stdout}"
    );
    let page = dir.join("003.md");
    let out = dechaff(
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--outlet",
            "archive",
            page.to_str().unwrap(),
        ],
        "",
    );
    let cleaned = text(&out.stdout);
    assert!(!cleaned.contains("This archive keeps"), "{cleaned}");
    assert!(
        cleaned.contains("What happened at the orchard"),
        "{cleaned}"
    );
}
