//! The shipped rule files.

use dechaff::Catalog;

#[test]
fn every_shipped_rule_file_loads() {
    let catalog = Catalog::built_in().unwrap_or_else(|e| panic!("{e}"));
    let on_disk = walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules"
    )));
    assert_eq!(
        catalog.files().count(),
        on_disk,
        "every .toml under rules/ is built in"
    );
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "toml"))
            }
        })
        .sum()
}
