//! The `dechaff` command: glue between the process and the library's command line.

/// The command's allocator: mimalloc (without transparent huge pages, which doubled the
/// peak memory of a small run). A tree run makes millions of short-lived allocations; with
/// it the corpus takes 9 % fewer instructions. The library leaves the allocator to whoever
/// links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(dechaff::cli::run());
}
