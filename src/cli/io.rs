//! Reading inputs and writing outputs: files read one after another, standard output that
//! ends quietly when its reader goes away, files replaced atomically.

use super::exit::{EXIT_FAILED, EXIT_OK};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How a document is named in messages: `-` is `<stdin>`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// The files a command reads: those given, else standard input (`-`).
pub fn inputs(files: &[PathBuf]) -> Vec<&Path> {
    if files.is_empty() {
        vec![Path::new("-")]
    } else {
        files.iter().map(PathBuf::as_path).collect()
    }
}

/// Why cleaning into a file that replaces `path` failed.
pub enum IntoFile {
    /// The cleaning: reading its input, a block too large.
    Clean(crate::Error),
    /// Writing the file.
    Write(io::Error),
}

impl std::fmt::Display for IntoFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntoFile::Clean(e) => write!(f, "{e}"),
            IntoFile::Write(e) => write!(f, "cannot write: {e}"),
        }
    }
}

/// Cleans into a temporary file that replaces `path` once `clean` succeeded (see
/// [`replace_with`]); a failure leaves `path` as it was.
pub fn clean_into<T>(
    path: &Path,
    sync: bool,
    clean: impl FnOnce(&mut io::BufWriter<&std::fs::File>) -> Result<T, crate::Error>,
) -> Result<T, IntoFile> {
    replace_with(path, sync, |w| clean(w).map_err(io::Error::other)).map_err(|e| match e
        .downcast::<crate::Error>()
    {
        Ok(e) => IntoFile::Clean(e),
        Err(e) => IntoFile::Write(e),
    })
}

/// Runs `each` on every file's bytes, in order (`-` is standard input, shown as
/// `<stdin>`); a file that cannot be read, or is larger than `limit` bytes, is reported
/// and skipped. The exit status is the worst of all.
pub fn for_each_file(
    files: &[PathBuf],
    limit: usize,
    mut each: impl FnMut(&Path, &str, Vec<u8>) -> i32,
) -> i32 {
    let mut status = EXIT_OK;
    for path in files {
        let shown = shown(path);
        match read_document(path, limit) {
            Ok(bytes) => status = status.max(each(path, &shown, bytes)),
            Err(message) => {
                eprintln!("dechaff: {shown}: {message}");
                status = status.max(EXIT_FAILED);
            }
        }
    }
    status
}

/// What to do about a document too large to be read whole.
pub const TOO_LARGE_HINT: &str = "clean it with `--to source`, which streams a document of any size, or raise the limit with `--max-document`";

/// A document read whole (`-` is standard input), at most `limit` bytes of it; or what went
/// wrong, said for people: a document too large says what to do about it.
pub fn read_document(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let read = if path.as_os_str() == "-" {
        read_whole(io::stdin().lock(), limit, None)
    } else {
        std::fs::File::open(path)
            .map_err(crate::Error::Io)
            .and_then(|file| {
                let size = file.metadata().ok().map(|m| m.len());
                read_whole(file, limit, size)
            })
    };
    read.map_err(|e| match e {
        crate::Error::TooLarge { .. } => format!("{e}; {TOO_LARGE_HINT}"),
        e => format!("cannot read: {e}"),
    })
}

/// All of `input`, or [`crate::Error::TooLarge`] when it holds more than `limit` bytes
/// (having read at most one byte more; none of a file whose `size` says so).
fn read_whole(
    input: impl io::Read,
    limit: usize,
    size: Option<u64>,
) -> Result<Vec<u8>, crate::Error> {
    match crate::clean::read_up_to(input, limit, size)? {
        crate::clean::Document::Whole(bytes) => Ok(bytes),
        crate::clean::Document::Large(_) => Err(crate::Error::TooLarge { limit }),
    }
}

/// A document read whole (`-` is standard input) when it holds at most `limit` bytes, else
/// what was read of it then the rest, to be cleaned in windows; or why it cannot be read.
pub fn open_document(
    path: &Path,
    limit: usize,
) -> Result<crate::clean::Document<Box<dyn io::Read>>, String> {
    let read = if path.as_os_str() == "-" {
        let stdin: Box<dyn io::Read> = Box::new(io::stdin().lock());
        crate::clean::read_up_to(stdin, limit, None)
    } else {
        std::fs::File::open(path).and_then(|file| {
            let size = file.metadata().ok().map(|m| m.len());
            let file: Box<dyn io::Read> = Box::new(file);
            crate::clean::read_up_to(file, limit, size)
        })
    };
    read.map_err(|e| format!("cannot read: {e}"))
}

/// Writes to standard output; a reader that went away (`| head`) ends the run quietly and
/// successfully, as it does for other Unix filters.
pub fn out(text: &str) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OK);
        }
        eprintln!("dechaff: <stdout>: cannot write: {e}");
        std::process::exit(EXIT_FAILED);
    }
}

/// `println!` through [`out`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::io::out(&format!("{}\n", format_args!($($arg)*))) };
}
pub(crate) use outln;

/// Writes to a temporary file beside `path`, then renames it into place, so `path` is
/// either the old file or the new one, never half of one; synced to disk first.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_replacing(path, bytes, true)
}

/// [`write_atomically`], with the sync to disk optional: a tree of thousands of files pays
/// for a sync per file many times over, and the rename alone already means an interrupted
/// run leaves each file old or new, never half.
pub fn write_replacing(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    replace_with(path, sync, |f| f.write_all(bytes))
}

/// Replaces `path` with what `write` writes, through a temporary file beside it that is
/// renamed into place (synced to disk first when `sync`). A file that `path` already names
/// keeps its permissions and, where the system allows it, its owner and group. On an
/// error the temporary file is removed and `path` is untouched. A path that names
/// something other than a regular file or a directory (`/dev/null`, a FIFO, a terminal) is
/// written to, never replaced: a rename would put a regular file in its place (as root,
/// even over `/dev/null`, which every other program then reads from).
pub fn replace_with<T>(
    path: &Path,
    sync: bool,
    write: impl FnOnce(&mut io::BufWriter<&std::fs::File>) -> io::Result<T>,
) -> io::Result<T> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        let mut buffered = io::BufWriter::with_capacity(64 << 10, &file);
        let value = write(&mut buffered)?;
        buffered.flush()?;
        return Ok(value);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file path"))?;
    let existing = std::fs::metadata(path).ok().filter(|m| m.is_file());
    let tmp = dir.join(temp_name(&name.to_string_lossy()));
    let result = (|| {
        let file = create_private(&tmp, existing.as_ref())?;
        let mut buffered = io::BufWriter::with_capacity(64 << 10, &file);
        let value = write(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
        if let Some(old) = &existing {
            keep_owner_and_mode(&file, old)?;
        }
        if sync {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&tmp, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What temporary files are called: `.NAME.dechaff-PID-N.tmp`, hidden beside the file they
/// become, naming the process that writes them and unique within it (two threads never
/// share one). A file of that shape whose process is gone was left by a run that was
/// killed (see [`remove_stale_temps`]).
fn temp_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.dechaff-{}-{n}.tmp", std::process::id())
}

/// The process that wrote a temporary file named as [`temp_name`] names them, if `name`
/// is one (also the older `.NAME.dechaff-PID.tmp`).
pub fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, tail) = rest.rsplit_once(".dechaff-")?;
    let pid = tail.split_once('-').map_or(tail, |(pid, n)| {
        if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() {
            pid
        } else {
            ""
        }
    });
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` still runs. Known only where `/proc` lists processes; elsewhere
/// every process counts as running, so that no file another run is writing is removed.
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes from `dir` the temporary files of runs that were killed before they could
/// rename them into place (their process is gone); returns how many.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular && !process_runs(pid) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A new file only this user can read until it is complete (or with the mode of the file
/// it replaces); never an existing file or a link.
fn create_private(path: &Path, existing: Option<&std::fs::Metadata>) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let mode = existing.map_or(0o666, |m| m.permissions().mode() & 0o777);
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = existing;
    options.open(path)
}

/// Gives the new file the owner, group and mode of the one it replaces. An owner this user
/// may not give (only root may give files away) stays this user's, as with `sed -i`; the
/// group is kept if this user belongs to it. The mode is set last: a change of owner
/// clears the set-id bits.
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = file.metadata()?;
        if (now.uid(), now.gid()) != (old.uid(), old.gid())
            && std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err()
        {
            let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
        }
    }
    file.set_permissions(old.permissions())
}

/// Whether two paths name the same file (the same device and inode on Unix, where hard
/// and symbolic links count; the same resolved path elsewhere).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_unique_and_name_their_process() {
        let a = temp_name("x.md");
        let b = temp_name("x.md");
        assert_ne!(a, b);
        assert_eq!(temp_owner(&a), Some(std::process::id()));
        assert_eq!(temp_owner(".x.md.dechaff-123.tmp"), Some(123));
        assert_eq!(temp_owner(".a.dechaff-b.md.dechaff-77-3.tmp"), Some(77));
        for other in [
            "x.md",
            ".x.md.tmp",
            ".x.dechaff-.tmp",
            ".x.dechaff-1-.tmp",
            "x.dechaff-1.tmp",
        ] {
            assert_eq!(temp_owner(other), None, "{other}");
        }
    }
}
