//! The shipped rule files.

use dechaff::Catalog;
use dechaff::rules::Layer;

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

#[test]
fn every_family_and_outlet_can_be_detected_and_explains_itself() {
    let catalog = Catalog::built_in().unwrap();
    for file in catalog
        .files()
        .filter(|f| matches!(f.layer, Layer::Family | Layer::Outlet))
    {
        assert!(
            !file.detect.is_empty(),
            "{} has no [detect] table",
            file.path
        );
        assert!(
            file.description.is_some(),
            "{} has no description",
            file.path
        );
    }
    for family in catalog.families() {
        assert!(
            !family.detect.source_url.is_empty(),
            "{} cannot find the article's URL",
            family.path
        );
    }
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
