//! Errors that point into a rule file: `file:line:col`, the line, a caret, a hint.

use std::fmt;
use std::ops::Range;

/// One problem found in a rule file, located to the byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user knows it (`rules/outlets/dw.toml` or a path under `--rules`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// The offending line of the file, for the caret display.
    pub source_line: String,
    /// How many characters the caret underlines.
    pub width: usize,
    /// A next step, where one helps.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Locates `span` (byte offsets into `text`) and builds the diagnostic.
    pub fn at(path: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let col = text[line_start..start].chars().count() + 1;
        let width = text[start..end.min(line_end)].chars().count().max(1);
        Diagnostic {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
            source_line: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            width,
            help: None,
        }
    }

    /// A diagnostic about a whole file (no position inside it).
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: 1,
            col: 1,
            message: message.into(),
            source_line: String::new(),
            width: 0,
            help: None,
        }
    }

    /// The diagnostic with a next step shown under it (`= help: …`).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The candidate closest to a mistyped `word`, when one is close enough to be what was
/// meant: at most two edits away, and fewer than half the word's length.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d > 0 && *d <= 2 && *d * 2 < word.chars().count())
        .min()
        .map(|(_, c)| c)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"):
/// `did you mean` the closest expected name, if one is close.
pub(crate) fn unknown_name_hint(message: &str) -> Option<String> {
    if !message.starts_with("unknown field") && !message.starts_with("unknown variant") {
        return None;
    }
    let mut quoted = message.split('`').skip(1).step_by(2);
    let word = quoted.next()?;
    did_you_mean(word, quoted).map(|best| format!("did you mean `{best}`?"))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "error: {}", self.message)?;
        write!(f, "{pad}--> {}:{}:{}", self.path, self.line, self.col)?;
        if !self.source_line.is_empty() {
            let indent: String = self
                .source_line
                .chars()
                .take(self.col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{pad} |\n{number} | {}\n{pad} | {indent}{}",
                self.source_line,
                "^".repeat(self.width)
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// A size in bytes as people read it: `16 MiB`, `1.5 KiB`, `700 bytes`.
pub(crate) fn size(bytes: usize) -> String {
    const UNITS: [&str; 3] = ["GiB", "MiB", "KiB"];
    for (i, unit) in UNITS.iter().enumerate() {
        let scale = 1usize << (10 * (3 - i));
        if bytes >= scale {
            // Tenths rounded up: a size just past a bound never reads as the bound.
            let tenths = (bytes as u128 * 10).div_ceil(scale as u128);
            let (whole, tenths) = (tenths / 10, tenths % 10);
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let text = "a = 1\n名 = \"x\"\nselecter = \"div\"\n";
        let start = text.find("selecter").unwrap();
        let d = Diagnostic::at("r.toml", text, start..start + 8, "unknown field");
        assert_eq!((d.line, d.col, d.width), (3, 1, 8));
        let start = text.find("\"x\"").unwrap();
        let d = Diagnostic::at("r.toml", text, start..start + 3, "m");
        assert_eq!((d.line, d.col), (2, 5));
    }

    #[test]
    fn suggests_a_close_name_only() {
        let names = ["selector", "pattern", "max_chars"];
        assert_eq!(did_you_mean("selecter", names), Some("selector"));
        assert_eq!(did_you_mean("max-chars", names), Some("max_chars"));
        assert_eq!(did_you_mean("colour", names), None);
        assert_eq!(
            unknown_name_hint("unknown field `patern`, expected one of `id`, `pattern`"),
            Some("did you mean `pattern`?".into())
        );
        assert_eq!(unknown_name_hint("invalid type: integer"), None);
    }

    #[test]
    fn renders_caret_under_the_span() {
        let text = "selector = \"a + b\"\n";
        let d = Diagnostic::at("r.toml", text, 11..18, "bad selector").with_help("no `+`");
        let shown = d.to_string();
        assert!(shown.contains("\n --> r.toml:1:12\n"), "{shown}");
        assert!(shown.contains("1 | selector = \"a + b\""), "{shown}");
        assert!(shown.contains("  |            ^^^^^^^"), "{shown}");
        assert!(shown.ends_with("\n  = help: no `+`"), "{shown}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(super::size(16 << 20), "16 MiB");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(700), "700 bytes");
        assert_eq!(super::size(3 << 30), "3 GiB");
        assert_eq!(super::size((1 << 20) + 1), "1.1 MiB");
    }
}
