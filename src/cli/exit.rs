//! The command line's exit statuses.

/// Success.
pub const EXIT_OK: i32 = 0;
/// A document could not be read, cleaned or written, or a check failed; the other
/// documents were still cleaned.
pub const EXIT_FAILED: i32 = 1;
/// Bad rules or bad usage: nothing was cleaned.
pub const EXIT_USAGE: i32 = 2;
