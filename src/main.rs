//! The `dechaff` command: glue between the process and the library's command line.

fn main() {
    std::process::exit(dechaff::cli::run());
}
