//! The `budgetkit` command line: parses arguments, calls the library, maps
//! the result to an exit status (0 done, 1 error findings, 2 unreadable
//! input or usage error).

mod cli;

/// mimalloc: the reader, the rules and the writer make many small
/// allocations (a string per cell and per key); see the README's
/// Performance section for what it saves.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
