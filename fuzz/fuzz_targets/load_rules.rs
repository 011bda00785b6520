//! Arbitrary text as a rule file, in every layer: loading reports errors, never panics.
#![no_main]

use dechaff::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for key in ["common", "families/f", "outlets/o", "platforms/p"] {
        let sources = vec![(key.to_string(), format!("{key}.toml"), text.to_string())];
        if let Ok(catalog) = Catalog::from_sources(sources) {
            let _ = catalog.lint();
            let cleaner = dechaff::Cleaner::with_catalog(catalog);
            let _ = cleaner.clean_str("<p>x</p><div class=ad>y</div>\n\n#### [a](http://b)\n");
        }
    }
});
