//! The `dechaff` command: glue between the command line and the library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
