//! What a hostile or careless user found, one test per finding: files written over, modes
//! and owners lost, trees walked out of, outputs that collide, leftovers of killed runs.

mod common;

use common::{json_lines, run_in, scratch, text};
use std::path::Path;
use std::process::Output;

fn dechaff(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, args, "")
}

#[test]
fn output_onto_the_input_itself_is_refused() {
    let dir = scratch("onto-itself");
    let page = "<p>Article.</p><script>x()</script>\n";
    std::fs::write(dir.join("a.md"), page).unwrap();
    std::os::unix::fs::symlink("a.md", dir.join("link.md")).unwrap();
    std::fs::hard_link(dir.join("a.md"), dir.join("hard.md")).unwrap();
    for target in ["a.md", "./a.md", "link.md", "hard.md"] {
        let out = dechaff(&dir, &["-q", "a.md", "-o", target]);
        assert_eq!(out.status.code(), Some(2), "-o {target}");
        assert!(
            text(&out.stderr).contains("--in-place"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(std::fs::read_to_string(dir.join("a.md")).unwrap(), page);
    }
    let out = dechaff(&dir, &["-q", "--in-place", "a.md"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("a.md")).unwrap(),
        "<p>Article.</p>\n"
    );
}

#[test]
fn a_replaced_file_keeps_its_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = scratch("modes");
    let set = |name: &str, mode: u32| {
        let path = dir.join(name);
        std::fs::write(&path, "<p>Kept.</p><script>x()</script>\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        // Given away, when this user may (root in CI): the owner must survive too.
        let _ = std::os::unix::fs::chown(&path, Some(4321), Some(4321));
        std::fs::metadata(&path).unwrap()
    };
    let before = set("private.md", 0o600);
    let out = dechaff(&dir, &["-q", "--in-place", "--to", "source", "private.md"]);
    assert_eq!(out.status.code(), Some(0));
    let after = std::fs::metadata(dir.join("private.md")).unwrap();
    assert_eq!(after.mode() & 0o7777, 0o600);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    assert_eq!(
        std::fs::read_to_string(dir.join("private.md")).unwrap(),
        "<p>Kept.</p>\n"
    );

    let before = set("target.md", 0o640);
    std::fs::write(dir.join("in.md"), "<p>New.</p>\n").unwrap();
    for to in ["source", "markdown"] {
        let out = dechaff(&dir, &["-q", "--to", to, "in.md", "-o", "target.md"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let after = std::fs::metadata(dir.join("target.md")).unwrap();
        assert_eq!(after.mode() & 0o7777, 0o640, "--to {to}");
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A directory whose path is longer than the system lets a program open: unreadable even
/// for root, who reads every directory whatever its mode.
fn unreadable_dir(under: &Path) -> std::path::PathBuf {
    let level = "d".repeat(200);
    let twelve = [level.as_str(); 12].join("/");
    let mut deep = under.to_path_buf();
    // In two steps, each from the last one's end: no program can name the whole path.
    for _ in 0..2 {
        let made = std::process::Command::new("mkdir")
            .args(["-p", &twelve])
            .current_dir(&deep)
            .status()
            .unwrap();
        assert!(made.success());
        deep.push(&twelve);
    }
    assert!(std::fs::read_dir(&deep).is_err());
    deep
}

#[test]
fn a_tree_walk_stays_inside_the_tree_and_says_what_it_left() {
    let dir = scratch("walk");
    let tree = dir.join("in");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("a.md"), "<p>A.</p>\n").unwrap();
    std::fs::write(tree.join("BBC.html"), "<p>Capitals.</p>\n").unwrap();
    std::fs::write(tree.join("README.md"), "notes\n").unwrap();
    std::fs::write(dir.join("secret.md"), "<p>outside the tree</p>\n").unwrap();
    let link = |to: &str, at: &str| std::os::unix::fs::symlink(to, tree.join(at)).unwrap();
    link(".", "sub/self");
    link("..", "sub/up");
    link("../..", "sub/out");
    link("../secret.md", "secret.md");
    link("/etc/passwd", "passwd.md");
    link("a.md", "alias.md");
    let fifo = std::process::Command::new("mkfifo")
        .arg(tree.join("pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());

    let out = dechaff(&dir, &["in", "-o", "out"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let mut written: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir.join("out")).unwrap().flatten() {
        written.push(entry.file_name().to_string_lossy().into_owned());
    }
    written.sort();
    assert_eq!(written, ["BBC.md", "a.md", "alias.md"], "{stderr}");
    assert!(stderr.contains("3 documents cleaned"), "{stderr}");
    for reason in [
        "notes (an all-capital Markdown name, such as README.md) 1",
        "not a regular file (a FIFO, socket or device) 1",
        "links to directories (never followed) 2",
        "links that lead out of the tree 3",
    ] {
        assert!(stderr.contains(reason), "{reason}: {stderr}");
    }

    // Part of the tree that cannot be read fails the run; the rest is still cleaned.
    let deep = unreadable_dir(&tree);
    let out = dechaff(&dir, &["-q", "in", "-o", "out2"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 failed"), "{stderr}");
    let name = deep.file_name().unwrap().to_string_lossy().into_owned();
    assert!(stderr.contains(&format!("{name}: cannot read")), "{stderr}");
    assert!(dir.join("out2/a.md").exists());
    let _ = std::fs::remove_dir_all(&tree);
}

#[test]
fn documents_of_one_name_get_outputs_of_their_own() {
    let dir = scratch("collide");
    let tree = dir.join("in");
    std::fs::create_dir_all(&tree).unwrap();
    for (name, body) in [("x.md", "md"), ("x.html", "html"), ("x.htm", "htm")] {
        std::fs::write(tree.join(name), format!("<p>{body}</p>\n")).unwrap();
    }
    for run in 0..3 {
        let out = dechaff(&dir, &["-j", "2", "in", "-o", "out"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("3 documents cleaned"), "{stderr}");
        assert!(stderr.contains("named apart"), "{stderr}");
        for (name, body) in [("x.md", "md"), ("x.html.md", "html"), ("x.htm.md", "htm")] {
            assert_eq!(
                std::fs::read_to_string(dir.join("out").join(name)).unwrap(),
                format!("{body}\n"),
                "run {run}: {name}"
            );
        }
    }
    // A longer name that is taken too: that document fails, nothing is written over.
    std::fs::write(tree.join("x.html.md"), "<p>taken</p>\n").unwrap();
    let out = dechaff(&dir, &["-q", "in", "-o", "out3"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("x.html: its output"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out3/x.html.md")).unwrap(),
        "taken\n"
    );
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next() {
    let dir = scratch("leftovers");
    let tree = dir.join("in");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(tree.join("a.md"), "<p>A.</p>\n").unwrap();
    // A process id no process has (above Linux's largest), and this test's own, which runs.
    let dead = dir.join("out/.a.md.dechaff-4194305-0.tmp");
    let alive = dir.join(format!("out/.a.md.dechaff-{}-0.tmp", std::process::id()));
    std::fs::write(&dead, "half").unwrap();
    std::fs::write(&alive, "half").unwrap();
    let out = dechaff(&dir, &["in", "-o", "out"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!dead.exists());
    assert!(alive.exists(), "a running process's file stays");
    assert!(stderr.contains("removed 1 temporary files"), "{stderr}");
}

/// The raw HTML a Markdown reader would find in `markdown` (front matter read as YAML),
/// if any.
fn raw_html(markdown: &str) -> Option<String> {
    let options = pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | pulldown_cmark::Options::ENABLE_TABLES;
    pulldown_cmark::Parser::new_ext(markdown, options).find_map(|event| match event {
        pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => {
            Some(h.into_string())
        }
        _ => None,
    })
}

#[test]
fn no_raw_html_reaches_markdown_from_any_text() {
    let cleaner = dechaff::Cleaner::new().unwrap();
    let options = dechaff::Options {
        format: Some(dechaff::InputFormat::Html),
        ..dechaff::Options::default()
    };
    let tag = "<script>alert(1)</script>";
    let vectors = [
        format!("<p><img alt=\"{tag}\" src=\"ok.png\"></p>"),
        format!("<p><img alt='a\n{tag}' src=\"ok.png\"></p>"),
        "<p><img alt=\"&lt;img src=x onerror=alert(1)&gt;\" src=\"ok.png\"></p>".to_string(),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>".to_string(),
        "<h2>&lt;b onmouseover=alert(1)&gt;x</h2>".to_string(),
        "<p><a href=\"https://x.example/\">&lt;iframe src=x&gt;</a></p>".to_string(),
        "<table><tr><td>&lt;div&gt;</td></tr></table>".to_string(),
        format!("<p><code>a``{}</code></p>", html_escape(tag)),
        format!("<p><code>`{}`</code></p>", html_escape(tag)),
        format!("<pre>~~~~\n```\n{}\n</pre>", html_escape(tag)),
        format!("<pre>````\n\n{}\n</pre>", html_escape(tag)),
        "<p><a href=\"https://x.example/a>b\">link</a></p>".to_string(),
        "<p><img src=\"https://x.example/a b<script>\" alt=x></p>".to_string(),
        "<blockquote><p>&lt;!-- x --&gt;</p></blockquote>".to_string(),
        "<ul><li>&lt;?php x ?&gt;</li></ul>".to_string(),
    ];
    let mut found = Vec::new();
    for v in &vectors {
        let cleaned = cleaner.clean_str_with(v, &options).unwrap();
        for markdown in [
            cleaned.to(dechaff::Format::Markdown),
            cleaned.markdown_with_front_matter(),
        ] {
            if let Some(html) = raw_html(&markdown) {
                found.push(format!("{v:?} gave {markdown:?}: {html:?}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn metadata_urls_are_web_addresses_only() {
    let cleaner = dechaff::Cleaner::new().unwrap();
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/seeds/gfw-breaker-ntdtv-2023.md"
    ))
    .unwrap();
    let real = "https://www.ntdtv.com/gb/2023/05/25/a103719597.html";
    assert!(seed.contains(real));
    let cleaned = cleaner.clean_str(&seed);
    assert_eq!(cleaned.article().url.as_deref(), Some(real));
    for bad in [
        "javascript:alert(1)//",
        "JavaScript://%0Aalert(1)",
        "data:text/html,x",
        "//evil.example/x",
    ] {
        let page = seed.replace(real, bad);
        let cleaned = cleaner.clean_str(&page);
        assert_eq!(cleaned.report.source_url, None, "{bad}");
        assert_eq!(cleaned.article().url, None, "{bad}");
        assert!(
            !cleaned.markdown_with_front_matter().contains("\nurl:"),
            "{bad}"
        );
        assert!(
            cleaned.to(dechaff::Format::Json).contains("\"url\":null"),
            "{bad}"
        );
    }
    // Front matter's `from` as well.
    let page = "---\ntitle: \"T\"\nfrom: \"javascript:alert(1)\"\n---\n\nText.\n";
    assert_eq!(cleaner.clean_str(page).article().url, None);
}

#[test]
fn json_lines_answer_every_line_and_echo_ids_as_given() {
    let dir = scratch("jsonl");
    let input = concat!(
        "{\"id\": 18446744073709551616123, \"content\": \"<p>a</p>\", \"url\": \"javascript:alert(1)\"}\n",
        "   \n",
        "\n",
        "{\"id\":{ \"k\" : [1, 2.50, 1E4] },\"content\":\"<p>b</p>\"}\n",
        "[1, 2]\n",
        "{\"id\": -0.0, \"content\": 5}\n",
        "{\"id\": \"x\", \"content\": \"<p>c</p>\", \"url\": \"https://www.dw.com/zh/a-1\"}",
    );
    let out = run_in(&dir, &["--from", "jsonl", "-q"], input);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    assert!(
        lines[0].starts_with("{\"id\":18446744073709551616123,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("\"url\":null"), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "{\"id\":null,\"line\":2,\"error\":\"an empty line, not a document\"}"
    );
    assert_eq!(
        lines[2],
        "{\"id\":null,\"line\":3,\"error\":\"an empty line, not a document\"}"
    );
    assert!(
        lines[3].starts_with("{\"id\":{ \"k\" : [1, 2.50, 1E4] },"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("{\"id\":null,\"line\":5,\"error\":\"not a JSON object"),
        "{}",
        lines[4]
    );
    assert_eq!(
        lines[5],
        "{\"id\":-0.0,\"line\":6,\"error\":\"no string `content` field\"}"
    );
    assert!(
        lines[6].contains("\"url\":\"https://www.dw.com/zh/a-1\""),
        "{}",
        lines[6]
    );
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(value.is_object());
    }
}

#[test]
fn invalid_bytes_past_the_first_mib_are_warned_about_when_streamed() {
    // A document past the size held whole streams through the rewriter: the warning that
    // the whole-document decoder gives came only for the first MiB.
    let dir = scratch("late-invalid-bytes");
    let mut page = b"<p>".to_vec();
    page.extend(std::iter::repeat_n(b'a', 9 << 20));
    page.extend_from_slice(b"\xff\xfe bad</p>\n");
    std::fs::write(dir.join("big.html"), &page).unwrap();
    let mut gbk = b"<meta charset=\"gbk\"><p>".to_vec();
    gbk.extend(std::iter::repeat_n(b'a', 9 << 20));
    gbk.extend_from_slice(b"\x81\x20</p>\n");
    std::fs::write(dir.join("gbk.html"), &gbk).unwrap();
    for (name, says) in [
        ("big.html", "not valid UTF-8"),
        ("gbk.html", "not valid GBK"),
    ] {
        let out = dechaff(&dir, &["--to", "source", name]);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            text(&out.stderr).contains(says),
            "{name}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains('\u{FFFD}'), "{name}");
        // Written as UTF-8, and declared so, as a document held whole is.
        assert!(!text(&out.stdout).contains("charset=\"gbk\""), "{name}");
    }
    let out = dechaff(&dir, &["-q", "--to", "source", "gbk.html"]);
    assert!(text(&out.stdout).starts_with("<meta charset=\"utf-8\"><p>aaa"));
}

#[test]
fn a_rules_directory_is_read_only_through_its_own_files_and_directories() {
    let dir = scratch("rules-walk");
    let rules = dir.join("my-rules");
    std::fs::create_dir_all(rules.join("outlets")).unwrap();
    let rule = "[[rule]]\nid = \"ad\"\naction = \"remove\"\nselector = \"div.ad\"\nnote = \"An ad slot.\"\n";
    std::fs::write(rules.join("common.toml"), rule).unwrap();
    let outside = dir.join("secret.toml");
    std::fs::write(&outside, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    // A loop, a link out of the directory, a link to a device, a file too large to be one.
    std::os::unix::fs::symlink("..", rules.join("outlets/up")).unwrap();
    std::os::unix::fs::symlink(&outside, rules.join("outlets/passwd.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/null", rules.join("null.toml")).unwrap();
    std::fs::write(rules.join("huge.toml"), "# x\n".repeat(300_000)).unwrap();
    // A FIFO would hang a reader that opened it.
    let fifo = std::process::Command::new("mkfifo")
        .arg(rules.join("outlets/fifo.toml"))
        .status()
        .is_ok_and(|s| s.success());
    let out = dechaff(&dir, &["rules", "check", "my-rules"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("root:x"), "{stderr}");
    for name in [
        "outlets/up",
        "outlets/passwd.toml",
        "null.toml",
        "huge.toml",
    ] {
        assert!(
            stderr.contains(&format!("--> my-rules/{name}:1:1")),
            "{name}: {stderr}"
        );
    }
    assert_eq!(
        stderr.matches("error: a symbolic link").count(),
        3,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("error: larger than 1 MiB").count(),
        1,
        "{stderr}"
    );
    if fifo {
        assert!(stderr.contains("error: not a regular file"), "{stderr}");
        assert!(
            stderr.contains("--> my-rules/outlets/fifo.toml:1:1"),
            "{stderr}"
        );
    }
}

#[test]
fn a_document_too_large_to_clean_whole_is_cleaned_in_windows_and_a_block_too_large_is_reported() {
    use dechaff::{Cleaner, Error, Format, Options};
    let dir = scratch("too-large");
    let page = format!("<p>{}</p>\n", "An article. ".repeat(20));
    std::fs::write(dir.join("big.html"), &page).unwrap();
    std::fs::write(dir.join("small.html"), "<p>Small.</p>\n").unwrap();

    // The library: cleaned in windows (here one, holding all of it: as if whole); a block
    // larger than the bound is a typed error, and nothing is written.
    let cleaner = Cleaner::new().unwrap();
    let options = Options {
        max_document: 100,
        ..Options::default()
    };
    let one_block = Options {
        max_block: 100,
        window: 64,
        ..options.clone()
    };
    for format in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
        let (mut whole, mut out) = (Vec::new(), Vec::new());
        (cleaner.clean_to(page.as_bytes(), &mut whole, format, &Options::default())).unwrap();
        let result = cleaner.clean_to(page.as_bytes(), &mut out, format, &options);
        assert!(result.is_ok(), "{format:?}: {result:?}");
        assert_eq!(text(&out), text(&whole), "{format:?}");
        let mut out = Vec::new();
        let result = cleaner.clean_to(page.as_bytes(), &mut out, format, &one_block);
        assert!(
            matches!(
                result,
                Err(Error::BlockTooLarge {
                    limit: 100,
                    line: 1
                })
            ),
            "{format:?}: {result:?}"
        );
        assert!(out.is_empty(), "{format:?}");
    }
    // What gives the whole cleaned document fails on one larger than the bound.
    assert!(matches!(
        cleaner.clean_str_with(&page, &options),
        Err(Error::TooLarge { limit: 100 })
    ));
    assert!(matches!(
        cleaner.clean_bytes(page.as_bytes(), &options),
        Err(Error::TooLarge { .. })
    ));
    // The input's own format streams, whatever the limit.
    let mut out = Vec::new();
    cleaner
        .clean_to(page.as_bytes(), &mut out, Format::Source, &options)
        .unwrap();
    assert_eq!(text(&out), page);

    // The command: cleaned in windows, exit 0; with a block too large, exit 1, the file,
    // the line and what to do named, no output file.
    let whole = dechaff(&dir, &["-q", "big.html"]);
    for args in [
        &["big.html", "-o", "out.md"][..],
        &["big.html", "--to", "html", "-o", "out.md"][..],
    ] {
        let mut all = vec!["-q", "--max-document", "100"];
        all.extend_from_slice(args);
        let out = dechaff(&dir, &all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(dir.join("out.md").exists(), "{args:?}");
        std::fs::remove_file(dir.join("out.md")).unwrap();
        all.extend_from_slice(&["--window", "64", "--max-block", "100"]);
        let out = dechaff(&dir, &all);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("big.html: the block that begins at line 1 is larger than 100 bytes"),
            "{stderr}"
        );
        assert!(stderr.contains("--max-block"), "{stderr}");
        assert!(!dir.join("out.md").exists(), "{args:?}");
    }
    let small = [
        "--max-document",
        "100",
        "--window",
        "64",
        "--max-block",
        "100",
    ];
    // Replaced in place: cleaned in windows into the file that replaces it; with a block
    // too large, the file is left as it was.
    std::fs::copy(dir.join("big.html"), dir.join("in-place.html")).unwrap();
    let in_place = ["--in-place", "--to", "text"];
    let out = dechaff(
        &dir,
        &[&small[..], &in_place[..], &["in-place.html"]].concat(),
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("in-place.html: the block that begins at line 1")
            && stderr.contains("--max-block"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("in-place.html")).unwrap(),
        page
    );
    let out = dechaff(
        &dir,
        &[
            &["-q", "--max-document", "100"][..],
            &in_place[..],
            &["in-place.html"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let whole_text = dechaff(&dir, &["-q", "--to", "text", "big.html"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("in-place.html")).unwrap(),
        text(&whole_text.stdout)
    );
    let out = run_in(&dir, &["-q", "--max-document", "100"], &page);
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), text(&whole.stdout))
    );
    let out = run_in(&dir, &small, &page);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("<stdin>: the block that begins at line 1"));
    let out = dechaff(
        &dir,
        &["-q", "--max-document", "100", "--to", "source", "big.html"],
    );
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), page.clone())
    );

    // Several documents to JSON in one stream: each record says which it is, the one
    // cleaned in windows as the one cleaned whole, and holds the same article.
    let out = dechaff(
        &dir,
        &[
            "-q",
            "--max-document",
            "100",
            "--to",
            "json",
            "big.html",
            "small.html",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let records = json_lines(&out.stdout);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["big.html", "small.html"]);
    let alone = dechaff(&dir, &["-q", "--to", "json", "big.html"]);
    let alone: serde_json::Value = serde_json::from_str(&text(&alone.stdout)).unwrap();
    assert_eq!(records[0]["content"], alone["content"]);
    assert_eq!(
        text(&out.stdout).lines().next().unwrap().find("\"path\""),
        Some(1),
        "the path comes first"
    );

    // A tree: cleaned in windows; a block too large fails with its path, the others are
    // cleaned, exit 1.
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    std::fs::copy(dir.join("big.html"), dir.join("tree/big.html")).unwrap();
    std::fs::copy(dir.join("small.html"), dir.join("tree/small.html")).unwrap();
    let out = dechaff(&dir, &["--max-document", "100", "tree", "-o", "windows"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("windows/big.md")).unwrap(),
        text(&whole.stdout)
    );
    let out = dechaff(&dir, &[&small[..], &["tree", "-o", "clean"]].concat());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("tree/big.html: the block that begins at line 1"),
        "{stderr}"
    );
    assert!(dir.join("clean/small.md").exists());
    assert!(!dir.join("clean/big.md").exists());
    // Into a tree in the input's own format, each document streams: any size.
    let out = dechaff(
        &dir,
        &[
            "-q",
            "--max-document",
            "100",
            "--to",
            "source",
            "tree",
            "-o",
            "clean-source",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("clean-source/big.html")).unwrap(),
        page
    );

    // JSON Lines: the line gets an error record; the others are answered.
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": 1, "content": page}),
        serde_json::json!({"id": 2, "content": "<p>Small.</p>"})
    );
    let out = run_in(
        &dir,
        &["-q", "--from", "jsonl", "--max-document", "100"],
        &lines,
    );
    let answers = json_lines(&out.stdout);
    assert_eq!(answers.len(), 2);
    assert!(
        answers[0]["error"]
            .as_str()
            .unwrap()
            .contains("larger than 100 bytes")
    );
    assert_eq!(answers[1]["content"], "Small.\n");
}
