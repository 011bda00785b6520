//! Arbitrary bytes through the shipped rules, as Markdown, as HTML, and rendered in every
//! format: nothing may panic, and no format may let active content through.
#![no_main]

use dechaff::{Cleaner, Format, InputFormat, Options};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    for format in [None, Some(InputFormat::Markdown), Some(InputFormat::Html)] {
        let options = Options { format, ..Options::default() };
        let Ok(cleaned) = cleaner().clean_bytes(data, &options) else { continue };
        for out in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
            let text = cleaned.to(out);
            if matches!(out, Format::Html) {
                let lower = text.to_ascii_lowercase();
                assert!(!lower.contains("<script"), "{text}");
                assert!(!lower.contains("javascript:"), "{text}");
            }
        }
        let mut streamed = Vec::new();
        let _ = cleaner().clean(data, &mut streamed, &options);
    }
});
