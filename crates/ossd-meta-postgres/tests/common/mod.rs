//! The test harness: a throw-away PostgreSQL cluster, started with the installed `initdb` and
//! `pg_ctl` on a free port, its data directory under the target dir, one fresh database per
//! test. One cluster serves every test process using that target dir at the same time (nextest
//! runs each test in its own process): each process holds a shared lock on `users.lock` for its
//! life, and a watchdog started with the cluster stops it and removes its directory once no
//! process has held that lock for a few seconds. `setup.lock` orders starting and stopping.
//!
//! Binaries are looked up in `$OSSD_PG_BIN`, then `PATH`, `/usr/local/bin` and
//! `/usr/lib/postgresql/<version>/bin`. Missing binaries fail the tests with a message, unless
//! `OSSD_TEST_NO_POSTGRES=1`, which skips them with a notice. As root (PostgreSQL refuses to
//! run as root) the cluster runs as the `postgres` user through `runuser`.
#![allow(dead_code, clippy::expect_used, clippy::panic, unreachable_pub)]

use ossd_meta_postgres::PgMeta;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// A running cluster.
#[derive(Debug)]
pub struct Cluster {
    /// TCP port on 127.0.0.1.
    pub port: u16,
    /// The data directory.
    pub data: PathBuf,
    /// This process's shared lock on `users.lock`, which keeps the cluster running.
    _user: File,
}

impl Cluster {
    /// The URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://ossd@127.0.0.1:{}/{db}", self.port)
    }
}

/// The cluster of this test process, started (or joined) on first use; `None` when PostgreSQL
/// is missing and `OSSD_TEST_NO_POSTGRES=1`.
pub fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER.get_or_init(start).as_ref()
}

/// A fresh database on the cluster: its URL, or `None` (with a notice) when skipping.
pub async fn fresh_database() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster()?;
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let (client, connection) =
        tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
            .await
            .expect("connect to the test cluster");
    let driver = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    drop(client);
    let _ = driver.await;
    Some(cluster.url(&name))
}

/// A store on a fresh database (the URL is the guard), or `None` when skipping.
pub async fn fresh() -> Option<(String, PgMeta)> {
    let url = fresh_database().await?;
    let store = PgMeta::connect(&url).await.expect("connect the store");
    Some((url, store))
}

/// The directory holding `initdb` and `pg_ctl`.
fn find_bin() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("OSSD_PG_BIN") {
        return Some(PathBuf::from(dir)).filter(|d| has(d));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut candidates: Vec<PathBuf> = std::env::split_paths(&path).collect();
    candidates.push(PathBuf::from("/usr/local/bin"));
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.sort();
    candidates.extend(versions.into_iter().rev());
    candidates.into_iter().find(|d| has(d))
}

/// The user the cluster runs as: `None` to run as ourselves, `Some("postgres")` as root.
fn run_as() -> Option<&'static str> {
    rustix::process::geteuid().is_root().then_some("postgres")
}

/// A command running `program` from `bin` as the cluster's user.
fn command(bin: &Path, program: &str) -> Command {
    let program = bin.join(program);
    match run_as() {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.arg("-u").arg(user).arg("--").arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// Runs `cmd` to completion; panics with its output if it fails.
fn check(mut cmd: Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Output of `id <flag> <user>` as a number.
fn id_of(flag: &str, user: &str) -> u32 {
    let out = Command::new("id").arg(flag).arg(user).output().expect("id");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("running as root needs a `{user}` user to run PostgreSQL"))
}

/// Joins the shared cluster, starting it if none runs (see the module docs).
fn start() -> Option<Cluster> {
    let Some(bin) = find_bin() else {
        if std::env::var("OSSD_TEST_NO_POSTGRES").as_deref() == Ok("1") {
            eprintln!(
                "NOTICE: PostgreSQL (initdb, pg_ctl) not found; OSSD_TEST_NO_POSTGRES=1, so the \
                 ossd-meta-postgres tests are skipped"
            );
            return None;
        }
        panic!(
            "PostgreSQL 15+ (initdb, pg_ctl) not found in $OSSD_PG_BIN, PATH, /usr/local/bin or \
             /usr/lib/postgresql/*/bin: install Debian's `postgresql` package, or set \
             OSSD_TEST_NO_POSTGRES=1 to skip these tests"
        );
    };
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pg-shared");
    std::fs::create_dir_all(&root).expect("create the cluster directory");
    let open = |name: &str| {
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(name))
            .expect("open a cluster lock file")
    };
    let setup = open("setup.lock");
    setup.lock().expect("lock setup.lock");
    let user = open("users.lock");
    user.lock_shared().expect("share users.lock");
    let data = root.join("data");
    let port = match running_port(&bin, &root, &data) {
        Some(port) => port,
        None => init_and_start(&bin, &root, &data),
    };
    setup.unlock().expect("unlock setup.lock");
    Some(Cluster {
        port,
        data,
        _user: user,
    })
}

/// The port of the cluster in `data` if it is running.
fn running_port(bin: &Path, root: &Path, data: &Path) -> Option<u16> {
    let port: u16 = std::fs::read_to_string(root.join("port"))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let mut status = command(bin, "pg_ctl");
    status.arg("-D").arg(data).arg("status");
    let running = status
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    running.then_some(port)
}

/// Creates a new cluster in `data` (replacing any stale one), starts it on a free port with
/// its watchdog, and returns the port.
fn init_and_start(bin: &Path, root: &Path, data: &Path) -> u16 {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data).expect("create the data directory");
    if let Some(user) = run_as() {
        std::os::unix::fs::chown(data, Some(id_of("-u", user)), Some(id_of("-g", user)))
            .expect("chown the data directory");
    }
    let mut initdb = command(bin, "initdb");
    initdb.arg("-D").arg(data).args([
        "-U",
        "ossd",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "-N",
    ]);
    check(initdb, "initdb");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    // Durability is not under test: skip fsyncs to keep the suite quick.
    let options = format!(
        "-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        data.display()
    );
    let mut pg_ctl = command(bin, "pg_ctl");
    pg_ctl
        .arg("-D")
        .arg(data)
        .arg("-l")
        .arg(data.join("server.log"))
        .args(["-w", "-t", "60", "-o", &options, "start"]);
    check(pg_ctl, "pg_ctl start");
    std::fs::write(root.join("port"), port.to_string()).expect("record the port");
    watchdog(bin, root, data);
    port
}

/// Starts a shell that stops the cluster and removes its data directory once no test process
/// has held `users.lock` for five checks in a row. It outlives the test process by design, so
/// it is never waited for.
#[allow(clippy::zombie_processes)]
fn watchdog(bin: &Path, root: &Path, data: &Path) {
    let stop = command(bin, "pg_ctl");
    let mut line = vec![stop.get_program().to_string_lossy().into_owned()];
    line.extend(stop.get_args().map(|a| a.to_string_lossy().into_owned()));
    let script = format!(
        "exec 8>>'{root}/setup.lock' 9>>'{root}/users.lock'; idle=0
         while sleep 1; do
           flock -x 8
           if flock -x -n 9; then idle=$((idle + 1)); flock -u 9; else idle=0; fi
           if [ $idle -ge 5 ]; then
             {stop} -D '{data}' -m immediate stop; rm -rf '{data}' '{root}/port'; exit 0
           fi
           flock -u 8
         done",
        root = root.display(),
        stop = line.join(" "),
        data = data.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the cluster watchdog");
}
