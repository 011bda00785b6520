//! The `dechaff` command: glue between the process and the library's command line.

use std::ffi::{c_int, c_long};

/// The command's allocator: mimalloc (without transparent huge pages, which doubled the
/// peak memory of a small run). A tree run makes millions of short-lived allocations; with
/// it the corpus takes 9 % fewer instructions. The library leaves the allocator to whoever
/// links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long, in milliseconds, mimalloc keeps memory freed before it gives it back to the
/// system: mimalloc 2's default. Mimalloc 3 waits a second, and a large document's stages
/// (input, cleaned document, HTML of a Markdown document, article tree) each free what
/// the next allocates afresh: peak RSS of 200 MB of Markdown to Markdown was 1,115 MB,
/// with 10 ms 824 MB, the same corpus run in the same instructions. A
/// `MIMALLOC_PURGE_DELAY` set in the environment is left to rule.
const PURGE_DELAY_MS: c_long = 10;

/// `mi_option_purge_delay`'s place in mimalloc's `mi_option_t` (the same in mimalloc 2
/// and 3; the test below checks the option there has purge_delay's default).
const MI_OPTION_PURGE_DELAY: c_int = 15;

unsafe extern "C" {
    /// mimalloc's `long mi_option_get(mi_option_t option)`.
    #[cfg_attr(not(test), allow(dead_code))]
    fn mi_option_get(option: c_int) -> c_long;
    /// mimalloc's `void mi_option_set(mi_option_t option, long value)`.
    fn mi_option_set(option: c_int, value: c_long);
}

/// Sets mimalloc's purge delay, unless the environment sets it.
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc (linked by the `mimalloc` crate) exports this function with
        // this signature (an enum option, a long value); it only stores the value, for any
        // option and value, at any time.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

fn main() {
    tune_allocator();
    std::process::exit(dechaff::cli::run());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: as in `tune_allocator`; reading an option has no conditions either.
        let default = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        // Mimalloc 3's purge_delay (mimalloc 2's is 10): no neighbouring option has it.
        assert_eq!(
            default, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not purge_delay"
        );
        tune_allocator();
        // SAFETY: as above.
        assert_eq!(
            unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) },
            PURGE_DELAY_MS
        );
    }
}
