//! The `budgetkit` command line: parses arguments, calls the library, maps
//! the result to an exit status (0 done, 1 error findings, 2 unreadable
//! input or usage error).

mod cli;

fn main() {
    std::process::exit(cli::run());
}
