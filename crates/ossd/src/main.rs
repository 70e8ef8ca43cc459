//! `ossd`: a self-hostable object storage server that speaks the Alibaba Cloud OSS API.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod admin;
mod banner;
mod cli;
mod cluster;
mod config;
mod identity;
mod memory;
mod profile;
mod serve;
mod storage;
mod tls;

use std::process::ExitCode;

/// jemalloc instead of the C library's allocator: glibc's `malloc`/`free` took about a fifth of
/// the CPU of a small GET (docs/performance.md, "The memory allocator").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use clap::{Parser, Subcommand};

/// ossd — an OSS-compatible object storage server.
#[derive(Debug, Parser)]
#[command(name = "ossd", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (zero configuration: 127.0.0.1:9000, ./ossd-data, cn-hangzhou).
    Serve(Box<config::ServeArgs>),
    /// Manage users, keys, groups, roles and policies, and call STS, over the RPC API.
    Admin(Box<admin::AdminArgs>),
    /// Write or show the client profile file (~/.config/ossd/config.toml) of the object
    /// commands and `ossd admin` (docs/cli.md).
    #[command(subcommand)]
    Config(profile::command::ConfigCmd),
    /// Object commands: mb, rb, ls, cp, mv, rm, cat, stat, presign, sync (docs/cli.md).
    #[command(flatten)]
    Object(Box<cli::ObjectCommand>),
}

/// Runs the command; an error is one paragraph on stderr (the error and its causes, never a
/// backtrace, even under `RUST_BACKTRACE=1`) and exit code 1.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Admin(args) => admin::run(*args),
        Command::Config(cmd) => profile::command::run(cmd),
        Command::Object(command) => return cli::run(*command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
