//! ossd-bench: a load generator and benchmark for ossd, measured against a do-nothing hyper server.
//!
//! `cargo run --release -p ossd-bench -- --quick` starts a reference server and `target/release/ossd`
//! as child processes, runs PUT/GET/HEAD/LIST phases against both and prints a table with ratios.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod bench;
mod body;
mod check_report;
mod checks;
mod cli;
mod client;
mod db_work;
mod icount;
mod machine;
mod multipart;
mod process;
mod procfs;
mod reference;
mod report;
mod rss_check;
mod servers;
mod sign;
mod sign_oss;
mod sign_s3;
mod stats;
mod versions;
mod workload;
mod xml;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Args, Command};
use crate::machine::Machine;

fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match &args.command {
        Some(Command::ReferenceServer { addr }) => runtime
            .block_on(reference::serve(addr))
            .map(|()| ExitCode::SUCCESS),
        Some(Command::Icount(ic)) => {
            runtime
                .block_on(icount::run(&args.ossd_bin, ic))
                .map(|pass| {
                    if pass {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                })
        }
        None if args.rss_check => runtime.block_on(rss(&args)),
        None if args.multipart_check => runtime.block_on(checks(&args, Check::Multipart)),
        None if args.versions_check => runtime.block_on(checks(&args, Check::Versions)),
        None => runtime.block_on(phases(&args)),
    }
}

/// The phase benchmark: table or JSON on stdout, progress on stderr.
async fn phases(args: &Args) -> anyhow::Result<ExitCode> {
    let mut machine = Machine::probe(&scratch_root(args));
    let rows = bench::run(args).await?;
    machine.finish();
    if args.json {
        println!("{}", report::json(&machine, settings(args), &rows)?);
    } else {
        print!("{}", report::table(&machine, &rows));
    }
    Ok(ExitCode::SUCCESS)
}

/// The 1 GiB RSS check; exit status 1 when over the limit.
async fn rss(args: &Args) -> anyhow::Result<ExitCode> {
    let mut machine = Machine::probe(&scratch_root(args));
    let report = rss_check::run(args).await?;
    machine.finish();
    if args.json {
        let doc = serde_json::json!({ "machine": machine, "settings": settings(args), "rss_check": report });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}\n\n{}", machine.describe(), report.text());
    }
    Ok(if report.pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The issue-4 checks.
#[derive(Debug, Clone, Copy)]
enum Check {
    /// `--multipart-check`.
    Multipart,
    /// `--versions-check`.
    Versions,
}

/// `--multipart-check` or `--versions-check`: report on stdout (text or JSON), progress on stderr.
async fn checks(args: &Args, check: Check) -> anyhow::Result<ExitCode> {
    let mut machine = Machine::probe(&scratch_root(args));
    let (text, doc) = match check {
        Check::Multipart => {
            let report = multipart::run(args).await?;
            (report.text(), serde_json::to_value(&report)?)
        }
        Check::Versions => {
            let report = versions::run(args).await?;
            (report.text(), serde_json::to_value(&report)?)
        }
    };
    machine.finish();
    if args.json {
        let doc =
            serde_json::json!({ "machine": machine, "settings": settings(args), "report": doc });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}\n\n{text}", machine.describe());
    }
    Ok(ExitCode::SUCCESS)
}

/// Where ossd's scratch data directory is created.
fn scratch_root(args: &Args) -> PathBuf {
    args.scratch_dir.clone().unwrap_or_else(std::env::temp_dir)
}

/// The settings worth recording next to the figures (never the secret).
fn settings(args: &Args) -> serde_json::Value {
    let (secs, big) = args.timing();
    serde_json::json!({
        "dialect": args.dialect,
        "endpoint": args.endpoint,
        "ossd_bin": args.ossd_bin,
        "phases": args.phases,
        "duration_secs": secs,
        "concurrency": args.concurrency,
        "big_concurrency": big,
        "quick": args.quick,
        "rss_size": args.rss_size,
        "multipart_size": args.multipart_size,
        "part_size": args.part_size,
        "part_parallel": args.part_parallel,
        "versions_count": args.versions_count,
        "rounds": args.rounds,
    })
}
