//! Reading inputs and writing outputs: files read one after another, standard output that
//! ends quietly when its reader goes away, files replaced atomically.

use super::exit::{EXIT_FAILED, EXIT_OK};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Runs `each` on every file's bytes, in order (`-` is standard input, shown as
/// `<stdin>`); a file that cannot be read is reported and skipped. The exit status is the
/// worst of all.
pub fn for_each_file(files: &[PathBuf], mut each: impl FnMut(&Path, &str, Vec<u8>) -> i32) -> i32 {
    let mut status = EXIT_OK;
    for path in files {
        let stdin = path.as_os_str() == "-";
        let shown = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let read = if stdin {
            let mut bytes = Vec::new();
            io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes).map(|_| bytes)
        } else {
            std::fs::read(path)
        };
        match read {
            Ok(bytes) => status = status.max(each(path, &shown, bytes)),
            Err(e) => {
                eprintln!("dechaff: {shown}: cannot read: {e}");
                status = status.max(EXIT_FAILED);
            }
        }
    }
    status
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
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.dechaff-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
