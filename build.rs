//! The rule files and example documents are embedded in the binary: rebuild when a file is
//! added to or removed from their directories, not only when one changes.
fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=tests/corpus/seeds");
}
