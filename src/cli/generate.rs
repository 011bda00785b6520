//! `dechaff --generate KIND`: a man page or shell completions, made from the argument
//! definitions themselves, so they never drift from the command (ripgrep's convention).

use super::exit::{EXIT_FAILED, EXIT_OK};
use super::io::out;
use clap::ValueEnum;
use clap_complete::Shell;

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// A roff man page: `dechaff --generate man > dechaff.1`.
    Man,
    /// Bash completions.
    CompleteBash,
    /// Zsh completions.
    CompleteZsh,
    /// Fish completions.
    CompleteFish,
}

/// Prints what `kind` asks for, made from `command`.
pub fn print(kind: Generate, mut command: clap::Command) -> i32 {
    let mut bytes = Vec::new();
    let shell = match kind {
        Generate::Man => None,
        Generate::CompleteBash => Some(Shell::Bash),
        Generate::CompleteZsh => Some(Shell::Zsh),
        Generate::CompleteFish => Some(Shell::Fish),
    };
    match shell {
        Some(shell) => clap_complete::generate(shell, &mut command, "dechaff", &mut bytes),
        None => {
            if let Err(e) = clap_mangen::Man::new(command).render(&mut bytes) {
                eprintln!("dechaff: cannot make the man page: {e}");
                return EXIT_FAILED;
            }
        }
    }
    out(&String::from_utf8_lossy(&bytes));
    EXIT_OK
}
