//! End to end: a real `ossd serve --memory` on port 0, driven through the object commands
//! (`ossd mb`, `ls`, `cp`, `mv`, `rm`, `cat`, `stat`, `presign`, `sync`, `rb`): outputs parsed
//! from `--json`, exit codes, error lines, a 12 MiB multipart copy, presigned URLs fetched with
//! plain HTTP.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, bail, ensure};
use serde_json::Value;

use support::Server;

/// The root key `support::Server` starts a non-`--dev` server with.
const ROOT_KEY: (&str, &str) = ("LTAIadmincli000000000000", "adminclirootsecret000000000000");

/// A 3×2 red PNG.
const PNG_3X2: [u8; 73] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 18, 22, 241, 77, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 65, 12,
    112, 22, 0, 65, 210, 5, 251, 135, 240, 185, 72, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// A server and a working directory to run `ossd` commands in.
struct Cli {
    server: Server,
    work: tempfile::TempDir,
    /// Credentials passed through the environment (`None`: the `--dev` default).
    key: Option<(String, String)>,
}

impl Cli {
    /// A `--memory` server signed for with its root key.
    fn start() -> anyhow::Result<Self> {
        Ok(Self {
            server: Server::start(&["--memory"])?,
            work: tempfile::tempdir()?,
            key: Some((ROOT_KEY.0.to_owned(), ROOT_KEY.1.to_owned())),
        })
    }

    /// A path in the working directory.
    fn path(&self, rel: &str) -> PathBuf {
        self.work.path().join(rel)
    }

    /// Runs `ossd <args>` in the working directory.
    fn run(&self, args: &[&str]) -> anyhow::Result<Output> {
        self.run_with_stdin(args, None)
    }

    fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> anyhow::Result<Output> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ossd"));
        cmd.args(args).current_dir(self.work.path());
        support::isolate(&mut cmd, &self.server.data_dir().join("config-home"));
        cmd.env("OSSD_ENDPOINT", &self.server.endpoint);
        if let Some((id, secret)) = &self.key {
            cmd.env("OSSD_ACCESS_KEY_ID", id)
                .env("OSSD_ACCESS_KEY_SECRET", secret);
        }
        let Some(input) = stdin else {
            return Ok(cmd.output()?);
        };
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn()?;
        child.stdin.take().context("stdin")?.write_all(input)?;
        Ok(child.wait_with_output()?)
    }

    /// Runs `ossd <args>`, which must succeed; its standard output.
    fn ok(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = self.run(args)?;
        ensure!(
            out.status.success(),
            "ossd {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    }

    /// Runs `ossd <args> --json`; one JSON value per output line.
    fn json(&self, args: &[&str]) -> anyhow::Result<Vec<Value>> {
        let mut all = args.to_vec();
        all.push("--json");
        self.ok(&all)?
            .lines()
            .map(|l| serde_json::from_str(l).with_context(|| format!("not JSON: {l:?}")))
            .collect()
    }

    /// Runs `ossd <args>`, which must fail with `code`; its standard error.
    fn fails(&self, args: &[&str], code: i32) -> anyhow::Result<String> {
        let out = self.run(args)?;
        ensure!(
            out.status.code() == Some(code),
            "ossd {args:?}: expected exit {code}, got {} (stderr {})",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stderr)?)
    }
}

/// `n` deterministic pseudo-random bytes.
fn bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

/// The string field `name` of a JSON object.
fn field<'a>(v: &'a Value, name: &str) -> anyhow::Result<&'a str> {
    v.get(name)
        .and_then(Value::as_str)
        .with_context(|| format!("no string {name} in {v}"))
}

/// A plain HTTP/1.1 request to an `http://` URL; the status and the body.
fn http(method: &str, url: &str, body: &[u8]) -> anyhow::Result<(u16, Vec<u8>)> {
    http_with(method, url, &[], body)
}

/// [`http`] with extra headers.
fn http_with(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> anyhow::Result<(u16, Vec<u8>)> {
    let rest = url.strip_prefix("http://").context("not an http URL")?;
    let (authority, path) = rest.split_at(rest.find('/').context("no path")?);
    let mut stream = TcpStream::connect(authority)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    write!(
        stream,
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status")?;
    let mut payload = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        payload = dechunk(&payload)?;
    }
    Ok((status, payload))
}

fn dechunk(mut data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("chunk size")?;
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end])?.trim(), 16)?;
        if size == 0 {
            return Ok(out);
        }
        let start = line_end + 2;
        out.extend_from_slice(data.get(start..start + size).context("short chunk")?);
        data = data.get(start + size + 2..).context("chunk end")?;
    }
}

fn write(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(std::fs::write(path, data)?)
}

/// The relative paths of the files under `dir`, sorted.
fn tree(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                pending.push(p);
            } else {
                out.push(p.strip_prefix(dir)?.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    Ok(out)
}

#[test]
fn buckets_objects_and_json_lines() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    let made = cli.json(&["mb", "oss://photos"])?;
    assert_eq!(field(&made[0], "action")?, "make_bucket");
    cli.ok(&["mb", "oss://other"])?;
    let buckets = cli.json(&["ls"])?;
    let names: Vec<&str> = buckets.iter().filter_map(|b| b["name"].as_str()).collect();
    assert_eq!(names, ["other", "photos"]);

    // Upload with metadata; stat shows size, ETag, type and metadata.
    write(&cli.path("cat.txt"), b"meow")?;
    let up = cli.json(&["cp", "cat.txt", "oss://photos/pets/", "--meta", "Owner=me"])?;
    assert_eq!(field(&up[0], "target")?, "oss://photos/pets/cat.txt");
    assert_eq!(field(&up[0], "etag")?, "4A4BE40C96AC6314E91D93F38043A634");
    let stat = &cli.json(&["stat", "oss://photos/pets/cat.txt"])?[0];
    assert_eq!(stat["size"], 4);
    assert_eq!(field(stat, "etag")?, "4A4BE40C96AC6314E91D93F38043A634");
    assert_eq!(field(stat, "content_type")?, "text/plain");
    assert_eq!(field(stat, "type")?, "Normal");
    assert_eq!(stat["metadata"]["owner"], "me");
    let modified = field(stat, "last_modified")?;
    ensure!(
        modified.len() == 20 && modified.ends_with('Z'),
        "{modified}"
    );
    assert!(
        cli.ok(&["stat", "oss://photos/pets/cat.txt"])?
            .contains("meta owner")
    );
    assert_eq!(cli.ok(&["cat", "oss://photos/pets/cat.txt"])?, "meow");

    // Standard input and output.
    let out = cli.run_with_stdin(&["cp", "-", "oss://photos/in.bin"], Some(b"from stdin"))?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(cli.ok(&["cp", "oss://photos/in.bin", "-"])?, "from stdin");

    // One level with prefixes, or everything with -r.
    let level = cli.json(&["ls", "oss://photos"])?;
    let shown: Vec<String> = level
        .iter()
        .map(|v| {
            v.get("prefix")
                .or_else(|| v.get("key"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(shown, ["in.bin", "pets/"]);
    assert!(cli.ok(&["ls", "oss://photos"])?.contains("PRE  pets/"));
    let all = cli.json(&["ls", "-r", "oss://photos"])?;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1]["key"], "pets/cat.txt");

    // Remote to remote (CopyObject), then mv, then rm.
    cli.ok(&["cp", "oss://photos/pets/cat.txt", "oss://other/"])?;
    assert_eq!(cli.ok(&["cat", "oss://other/cat.txt"])?, "meow");
    let moved = cli.json(&["mv", "oss://other/cat.txt", "oss://other/kitten.txt"])?;
    assert_eq!(field(&moved[0], "action")?, "move");
    let keys = cli.json(&["ls", "-r", "oss://other"])?;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["key"], "kitten.txt");
    // mv local → remote removes the local file; remote → local downloads.
    write(&cli.path("dog.txt"), b"woof")?;
    cli.ok(&["mv", "dog.txt", "oss://other/dog.txt"])?;
    ensure!(!cli.path("dog.txt").exists());
    cli.ok(&["cp", "oss://other/dog.txt", "got/"])?;
    assert_eq!(std::fs::read(cli.path("got/dog.txt"))?, b"woof");

    // Directories: cp -r up and down, rm -r.
    write(&cli.path("site/index.html"), b"<h1>hi</h1>")?;
    write(&cli.path("site/css/a.css"), b"h1{}")?;
    cli.ok(&["cp", "-r", "site", "oss://photos/www"])?;
    let www = cli.json(&["ls", "-r", "oss://photos/www/"])?;
    let keys: Vec<&str> = www.iter().filter_map(|v| v["key"].as_str()).collect();
    assert_eq!(keys, ["www/css/a.css", "www/index.html"]);
    assert_eq!(www[1]["size"], 11);
    cli.ok(&["cp", "-r", "oss://photos/www", "copy"])?;
    assert_eq!(tree(&cli.path("copy"))?, ["css/a.css", "index.html"]);
    let removed = cli.json(&["rm", "-r", "oss://photos/www"])?;
    assert_eq!(removed.len(), 2);
    assert_eq!(cli.json(&["ls", "-r", "oss://photos/www/"])?.len(), 0);

    // rb refuses a bucket with objects; --force empties it.
    let err = cli.fails(&["rb", "oss://photos"], 1)?;
    ensure!(err.starts_with("ossd: BucketNotEmpty: "), "{err}");
    cli.ok(&["rb", "--force", "oss://photos"])?;
    let names: Vec<Value> = cli.json(&["ls"])?;
    assert_eq!(names.len(), 1);
    Ok(())
}

#[test]
fn multipart_copy_of_12_mib() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "oss://big"])?;
    let data = bytes(12 << 20, 7);
    write(&cli.path("big.bin"), &data)?;
    let up = cli.json(&[
        "cp",
        "big.bin",
        "oss://big/data/big.bin",
        "--part-size",
        "5MiB",
        "--multipart-threshold",
        "5MiB",
        "--parallel",
        "3",
        "--content-type",
        "application/x-test",
        "--meta",
        "origin=test",
    ])?;
    // Three parts (5 + 5 + 2 MiB): the multipart ETag ends with the part count.
    let etag = field(&up[0], "etag")?;
    ensure!(etag.ends_with("-3"), "{etag}");
    assert_eq!(up[0]["size"], 12 << 20);
    let stat = &cli.json(&["stat", "oss://big/data/big.bin"])?[0];
    assert_eq!(field(stat, "type")?, "Multipart");
    assert_eq!(stat["size"], 12 << 20);
    assert_eq!(field(stat, "etag")?, etag);
    // Default settings (8 MiB parts): two parts.
    let up = cli.json(&["cp", "big.bin", "oss://big/default.bin"])?;
    ensure!(field(&up[0], "etag")?.ends_with("-2"), "{}", up[0]);
    // Back down, byte for byte.
    cli.ok(&["cp", "oss://big/data/big.bin", "back.bin"])?;
    ensure!(
        std::fs::read(cli.path("back.bin"))? == data,
        "downloaded bytes differ"
    );
    // A reader that stops early (`ossd cat … | head`) is not a failure.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ossd"))
        .args([
            "cat",
            "oss://big/data/big.bin",
            "--endpoint",
            &cli.server.endpoint,
        ])
        .env("OSSD_ACCESS_KEY_ID", ROOT_KEY.0)
        .env("OSSD_ACCESS_KEY_SECRET", ROOT_KEY.1)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut head = [0u8; 10];
    child
        .stdout
        .take()
        .context("stdout")?
        .read_exact(&mut head)?;
    let out = child.wait_with_output()?;
    assert_eq!(head.as_slice(), &data[..10]);
    ensure!(
        out.status.success() && out.stderr.is_empty(),
        "{}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // Remote to remote above the threshold: UploadPartCopy parts, with the source's type and
    // metadata; below it, CopyObject.
    let copied = cli.json(&["cp", "oss://big/data/big.bin", "oss://big/copy.bin"])?;
    ensure!(field(&copied[0], "etag")?.ends_with("-2"), "{}", copied[0]);
    let copy = &cli.json(&["stat", "oss://big/copy.bin"])?[0];
    assert_eq!(copy["size"], 12 << 20);
    assert_eq!(field(copy, "content_type")?, "application/x-test");
    assert_eq!(copy["metadata"]["origin"], "test");
    cli.ok(&["cp", "oss://big/copy.bin", "copy.bin"])?;
    ensure!(
        std::fs::read(cli.path("copy.bin"))? == data,
        "copied bytes differ"
    );
    let small = cli.json(&[
        "cp",
        "oss://big/data/big.bin",
        "oss://big/small-copy.bin",
        "--multipart-threshold",
        "16MiB",
    ])?;
    // CopyObject writes a whole object: the content's MD5 (docs/protocol/objects.md#etag).
    ensure!(!field(&small[0], "etag")?.contains('-'), "{}", small[0]);
    let small = &cli.json(&["stat", "oss://big/small-copy.bin"])?[0];
    assert_eq!(field(small, "type")?, "Normal");
    assert_eq!(small["metadata"]["origin"], "test");
    // A presigned GET of it with plain HTTP.
    let url = field(&cli.json(&["presign", "oss://big/data/big.bin"])?[0], "url")?.to_owned();
    let (status, body) = http("GET", &url, b"")?;
    assert_eq!(status, 200);
    ensure!(body == data, "presigned GET bytes differ");
    Ok(())
}

#[test]
fn presigned_urls() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "--versioning", "oss://share"])?;
    write(&cli.path("v.txt"), b"version one")?;
    cli.ok(&["cp", "v.txt", "oss://share/doc.txt"])?;
    write(&cli.path("v.txt"), b"version two")?;
    cli.ok(&["cp", "v.txt", "oss://share/doc.txt"])?;

    let url = cli.ok(&["presign", "oss://share/doc.txt", "--expires", "15m"])?;
    let (status, body) = http("GET", url.trim(), b"")?;
    assert_eq!((status, body.as_slice()), (200, &b"version two"[..]));

    // An old version by id.
    let versions = cli.json(&["ls", "--versions", "oss://share"])?;
    let old = versions
        .iter()
        .find(|v| v["is_latest"] == false)
        .context("no old version")?;
    let id = field(old, "version_id")?;
    let url = cli.ok(&["presign", "oss://share/doc.txt", "--version-id", id])?;
    let (status, body) = http("GET", url.trim(), b"")?;
    assert_eq!((status, body.as_slice()), (200, &b"version one"[..]));

    // A PUT URL, used without credentials.
    let put = &cli.json(&["presign", "oss://share/up.txt", "--method", "put"])?[0];
    assert_eq!(field(put, "method")?, "PUT");
    let expires_at = field(put, "expires_at")?;
    ensure!(
        expires_at.len() == 20 && expires_at.ends_with('Z'),
        "{expires_at}"
    );
    let (status, _) = http("PUT", field(put, "url")?, b"uploaded")?;
    assert_eq!(status, 200);
    assert_eq!(cli.ok(&["cat", "oss://share/up.txt"])?, "uploaded");

    // A processed GET: the image's info as JSON (a 3×2 PNG).
    write(&cli.path("dot.png"), &PNG_3X2)?;
    cli.ok(&["cp", "dot.png", "oss://share/"])?;
    let info_url = cli.ok(&["presign", "oss://share/dot.png", "--process", "image/info"])?;
    let (status, body) = http("GET", info_url.trim(), b"")?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let info: Value = serde_json::from_slice(&body)?;
    assert_eq!(info["ImageWidth"]["value"], "3");
    assert_eq!(info["ImageHeight"]["value"], "2");

    // A tampered URL is refused; a bad expiry is a usage error.
    let (status, _) = http("GET", &url.trim().replace("doc.txt", "up.txt"), b"")?;
    assert_eq!(status, 403);
    cli.fails(&["presign", "oss://share/doc.txt", "--expires", "8d"], 2)?;
    Ok(())
}

#[test]
fn versions_listed_read_and_removed() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "--versioning", "oss://ver"])?;
    for body in ["one", "two"] {
        write(&cli.path("f.txt"), body.as_bytes())?;
        cli.ok(&["cp", "f.txt", "oss://ver/k.txt"])?;
    }
    cli.ok(&["rm", "oss://ver/k.txt"])?;
    let versions = cli.json(&["ls", "--versions", "oss://ver"])?;
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0]["delete_marker"], true);
    assert_eq!(versions[0]["is_latest"], true);
    let err = cli.fails(&["cat", "oss://ver/k.txt"], 1)?;
    ensure!(err.starts_with("ossd: NoSuchKey: "), "{err}");
    let err = cli.fails(&["stat", "oss://ver/k.txt"], 1)?;
    ensure!(
        err.starts_with("ossd: NoSuchKey: "),
        "HEAD error from x-oss-err: {err}"
    );
    let oldest = field(&versions[2], "version_id")?;
    assert_eq!(
        cli.ok(&["cat", "oss://ver/k.txt", "--version-id", oldest])?,
        "one"
    );
    let stat = &cli.json(&["stat", "oss://ver/k.txt", "--version-id", oldest])?[0];
    assert_eq!(field(stat, "version_id")?, oldest);
    // Every version (and the delete marker) goes.
    let removed = cli.json(&["rm", "--versions", "oss://ver/k.txt"])?;
    assert_eq!(removed.len(), 3);
    assert_eq!(cli.json(&["ls", "--versions", "oss://ver"])?.len(), 0);
    cli.ok(&["rb", "oss://ver"])?;
    Ok(())
}

#[test]
fn sync_both_ways_with_delete() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "oss://sync"])?;
    write(&cli.path("src/a.txt"), b"a")?;
    write(&cli.path("src/sub/b.txt"), b"bb")?;
    write(&cli.path("src/big.bin"), &bytes(300 << 10, 3))?;
    let small_parts = ["--multipart-threshold", "100KiB", "--part-size", "100KiB"];
    let mut up: Vec<&str> = vec!["sync", "src", "oss://sync/backup"];
    up.extend(small_parts);
    let first = cli.json(&up)?;
    assert_eq!(first.len(), 3);
    // Nothing changed: nothing to do (multipart ETags compared too).
    assert_eq!(cli.json(&up)?.len(), 0);
    // A change, an addition and a removal.
    write(&cli.path("src/a.txt"), b"A")?;
    write(&cli.path("src/c.txt"), b"ccc")?;
    std::fs::remove_file(cli.path("src/sub/b.txt"))?;
    let mut up_delete = up.clone();
    up_delete.push("--delete");
    let dry = {
        let mut d = up_delete.clone();
        d.push("--dry-run");
        cli.json(&d)?
    };
    assert_eq!(dry.len(), 3);
    assert!(dry.iter().all(|v| v["dry_run"] == true));
    let second = cli.json(&up_delete)?;
    // Files go `--parallel` at a time, so in any order; deletes come after every upload.
    let mut actions: Vec<(String, String)> = second
        .iter()
        .map(|v| {
            (
                field(v, "action").unwrap_or_default().to_owned(),
                field(v, "target").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    actions[..2].sort();
    assert_eq!(
        actions,
        [
            ("upload".to_owned(), "oss://sync/backup/a.txt".to_owned()),
            ("upload".to_owned(), "oss://sync/backup/c.txt".to_owned()),
            (
                "delete".to_owned(),
                "oss://sync/backup/sub/b.txt".to_owned()
            ),
        ]
    );
    let keys: Vec<String> = cli
        .json(&["ls", "-r", "oss://sync/backup"])?
        .iter()
        .filter_map(|v| v["key"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(keys, ["backup/a.txt", "backup/big.bin", "backup/c.txt"]);

    // And back down into another directory, with a stray file deleted.
    write(&cli.path("dst/stray.txt"), b"x")?;
    let down = cli.json(&["sync", "oss://sync/backup", "dst", "--delete"])?;
    assert_eq!(down.len(), 4);
    assert_eq!(tree(&cli.path("dst"))?, ["a.txt", "big.bin", "c.txt"]);
    assert_eq!(std::fs::read(cli.path("dst/a.txt"))?, b"A");
    assert_eq!(std::fs::read(cli.path("dst/big.bin"))?, bytes(300 << 10, 3));
    let mut again: Vec<&str> = vec!["sync", "oss://sync/backup", "dst"];
    again.extend(small_parts);
    assert_eq!(cli.json(&again)?.len(), 0, "in sync by ETag");
    assert_eq!(
        cli.json(&["sync", "oss://sync/backup", "dst", "--compare", "mtime"])?
            .len(),
        0,
        "downloads carry the object's time"
    );
    Ok(())
}

#[test]
fn errors_and_exit_codes() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    // A server error: the code, the message and the request id; exit 1.
    let err = cli.fails(&["ls", "oss://nope"], 1)?;
    ensure!(
        err.starts_with("ossd: NoSuchBucket: The specified bucket does not exist. (RequestId "),
        "{err}"
    );
    let err = cli.fails(&["cp", "oss://nope/k", "x"], 1)?;
    ensure!(err.starts_with("ossd: NoSuchBucket: "), "{err}");
    ensure!(!cli.path("x").exists());
    // Usage errors: exit 2, from clap and from the commands.
    cli.fails(&["cp", "only-one"], 2)?;
    cli.fails(&["ls", "--no-such-flag"], 2)?;
    let err = cli.fails(&["cp", "a", "b"], 2)?;
    ensure!(err.starts_with("ossd: both paths are local"), "{err}");
    cli.fails(&["cp", "oss://b/prefix/", "x"], 2)?;
    cli.fails(&["stat", "s3://b/k"], 2)?;
    cli.fails(&["cp", "--part-size", "1KiB", "a", "oss://b/k"], 2)?;
    // A local failure: exit 1.
    cli.fails(&["cp", "missing.txt", "oss://b/k"], 1)?;
    // Wrong credentials.
    let mut wrong = Cli::start()?;
    wrong.key = Some((ROOT_KEY.0.to_owned(), "not-the-secret".to_owned()));
    let err = wrong.fails(&["ls"], 1)?;
    ensure!(err.starts_with("ossd: SignatureDoesNotMatch: "), "{err}");
    // No credentials at all against a server that is not --dev: the dev key fails, with a hint.
    wrong.key = None;
    let err = wrong.fails(&["ls"], 1)?;
    let lines: Vec<&str> = err.lines().collect();
    ensure!(lines.len() == 2, "{err}");
    ensure!(lines[0].starts_with("ossd: InvalidAccessKeyId: "), "{err}");
    ensure!(
        lines[1].starts_with("ossd: hint: no credentials were set"),
        "{err}"
    );
    Ok(())
}

#[test]
fn dev_server_works_without_configuration() -> anyhow::Result<()> {
    let cli = Cli {
        server: Server::start(&["--dev", "--memory"])?,
        work: tempfile::tempdir()?,
        key: None,
    };
    let out = cli.ok(&["mb", "oss://demo"])?;
    assert_eq!(out, "make_bucket: oss://demo\n");
    write(&cli.path("hello.txt"), b"hello")?;
    let out = cli.ok(&["cp", "hello.txt", "oss://demo/"])?;
    assert_eq!(out, "upload: hello.txt -> oss://demo/hello.txt\n");
    // -q drops the action lines, not the results.
    assert_eq!(cli.ok(&["cp", "-q", "hello.txt", "oss://demo/"])?, "");
    let listed = cli.ok(&["ls", "oss://demo"])?;
    ensure!(listed.trim_end().ends_with("5  hello.txt"), "{listed}");
    if listed.is_empty() {
        bail!("nothing listed");
    }
    Ok(())
}

#[test]
fn sts_credentials_sign_requests_and_urls() -> anyhow::Result<()> {
    let server = Server::start(&["--dev", "--memory"])?;
    // The dev user assumes the dev role (`ossd admin sts assume-role`).
    let issued = server.json(
        &[
            "sts",
            "assume-role",
            "acs:ram::1000000000000001:role/dev",
            "--session",
            "cli",
        ],
        &[
            ("OSSD_ACCESS_KEY_ID", "LTAI5tDevUserAccessKey01"),
            ("OSSD_ACCESS_KEY_SECRET", "DevUserSecretNotForProduction0"),
        ],
    )?;
    let creds = issued.get("Credentials").context("no Credentials")?;
    let (id, secret, token) = (
        field(creds, "AccessKeyId")?,
        field(creds, "AccessKeySecret")?,
        field(creds, "SecurityToken")?,
    );
    ensure!(id.starts_with("STS."), "{id}");
    let work = tempfile::tempdir()?;
    let run = |args: &[&str]| -> anyhow::Result<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_ossd"))
            .args(args)
            .current_dir(work.path())
            .env("OSSD_ENDPOINT", &server.endpoint)
            .env("OSSD_ACCESS_KEY_ID", id)
            .env("OSSD_ACCESS_KEY_SECRET", secret)
            .env("OSSD_SECURITY_TOKEN", token)
            .env_remove("OSSD_DATA_DIR")
            .output()?;
        ensure!(
            out.status.success(),
            "ossd {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    };
    run(&["mb", "oss://temp"])?;
    write(&work.path().join("t.txt"), b"temporary")?;
    run(&["cp", "t.txt", "oss://temp/t.txt"])?;
    assert_eq!(run(&["cat", "oss://temp/t.txt"])?, "temporary");
    // The token travels in the URL (x-oss-security-token).
    let url = run(&["presign", "oss://temp/t.txt"])?;
    ensure!(url.contains("x-oss-security-token="), "{url}");
    let (status, body) = http("GET", url.trim(), b"")?;
    assert_eq!((status, body.as_slice()), (200, &b"temporary"[..]));
    Ok(())
}

#[test]
fn listings_follow_pages() -> anyhow::Result<()> {
    // More than one page (1000 keys) of objects and of versions.
    const N: usize = 1003;
    let cli = Cli::start()?;
    cli.ok(&["mb", "--versioning", "oss://many"])?;
    for i in 0..N {
        write(&cli.path(&format!("many/{:02}/f{i:04}", i % 7)), b"x")?;
    }
    let up = cli.json(&["cp", "-r", "many", "oss://many/", "--parallel", "8"])?;
    assert_eq!(up.len(), N);
    assert_eq!(cli.json(&["ls", "-r", "oss://many"])?.len(), N);
    let level = cli.json(&["ls", "oss://many"])?;
    assert_eq!(level.len(), 7, "seven common prefixes");
    assert_eq!(
        cli.json(&["ls", "--versions", "-r", "oss://many"])?.len(),
        N
    );
    assert_eq!(cli.json(&["rm", "-r", "oss://many"])?.len(), N);
    assert_eq!(cli.json(&["ls", "-r", "oss://many"])?.len(), 0);
    // Every version and delete marker: two per key.
    let versions = cli.json(&["ls", "--versions", "-r", "oss://many"])?;
    assert_eq!(versions.len(), 2 * N);
    cli.ok(&["rb", "--force", "oss://many"])?;
    assert_eq!(cli.json(&["ls"])?.len(), 0);
    Ok(())
}

/// A V4-signed path-style request as the root key of `support::Server` (docs/protocol/signatures.md#v4-header-signature).
fn signed(
    server: &Server,
    method: &str,
    (bucket, key): (&str, &str),
    query: &[(&str, &str)],
    body: &[u8],
) -> anyhow::Result<(u16, Vec<u8>)> {
    #[allow(clippy::disallowed_methods)] // the server checks the real time
    let now = time::OffsetDateTime::now_utc();
    let date = ossd_sig::format_iso8601_basic(now);
    let mut headers = vec![
        (
            "x-oss-content-sha256".to_owned(),
            ossd_sig::UNSIGNED_PAYLOAD.to_owned(),
        ),
        ("x-oss-date".to_owned(), date.clone()),
    ];
    let params: Vec<ossd_sig::QueryParam> = query
        .iter()
        .map(|(k, v)| match v.is_empty() {
            true => ossd_sig::QueryParam::bare(*k),
            false => ossd_sig::QueryParam::new(*k, *v),
        })
        .collect();
    let path = format!("/{bucket}/{}", ossd_sig::uri_encode_path(key));
    let view = ossd_sig::SigningView {
        method,
        bucket: Some(bucket),
        key: (!key.is_empty()).then_some(key),
        query: &params,
        headers: &headers,
        raw_path: &path,
        body_sha256: None,
    };
    let scope = ossd_sig::Scope::new(&date[..8], "cn-hangzhou", "oss");
    let auth = ossd_sig::v4_authorization(ROOT_KEY.0, ROOT_KEY.1, &view, &scope, &[]);
    headers.push(("Authorization".to_owned(), auth));
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| match v.is_empty() {
            true => (*k).to_owned(),
            false => format!("{k}={}", ossd_sig::uri_encode(v)),
        })
        .collect();
    let url = format!("{}{path}?{}", server.endpoint, query.join("&"));
    http_with(method, &url, &headers, body)
}

#[test]
fn interrupted_upload_is_resumed() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "oss://res"])?;
    let part = 100 << 10;
    let data = bytes(3 * part + 10, 11);
    write(&cli.path("big.bin"), &data)?;
    // An upload left behind: part 1 as the file has it, part 2 with other bytes.
    let key = ("res", "big.bin");
    let (status, body) = signed(&cli.server, "POST", key, &[("uploads", "")], b"")?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let text = String::from_utf8(body)?;
    let id = text
        .split("<UploadId>")
        .nth(1)
        .and_then(|r| r.split("</UploadId>").next())
        .context("no UploadId")?
        .to_owned();
    let wrong = bytes(part, 99);
    for (number, content) in [("1", &data[..part]), ("2", &wrong[..])] {
        let q = [("partNumber", number), ("uploadId", id.as_str())];
        let (status, _) = signed(&cli.server, "PUT", key, &q, content)?;
        assert_eq!(status, 200);
    }
    let args = [
        "cp",
        "big.bin",
        "oss://res/big.bin",
        "--part-size",
        "100KiB",
        "--multipart-threshold",
        "100KiB",
    ];
    let up = cli.json(&args)?;
    assert_eq!(up[0]["resumed_parts"], 1, "{}", up[0]);
    let etag = field(&up[0], "etag")?;
    ensure!(etag.ends_with("-4"), "{etag}");
    cli.ok(&["cp", "oss://res/big.bin", "back.bin"])?;
    ensure!(
        std::fs::read(cli.path("back.bin"))? == data,
        "resumed bytes differ"
    );
    // The left-behind upload was the one completed: none is left.
    let (status, body) = signed(&cli.server, "GET", ("res", ""), &[("uploads", "")], b"")?;
    assert_eq!(status, 200);
    ensure!(
        !String::from_utf8(body)?.contains("<Upload>"),
        "an upload is left"
    );
    // Nothing left to continue: the next upload starts afresh.
    let up = cli.json(&args)?;
    ensure!(up[0].get("resumed_parts").is_none(), "{}", up[0]);
    Ok(())
}

#[test]
fn a_put_only_user_uploads_in_parts() -> anyhow::Result<()> {
    let cli = Cli::start()?;
    cli.ok(&["mb", "oss://drop"])?;
    // A RAM user allowed oss:PutObject only: no listing of uploads or parts to resume from.
    let root = [
        ("OSSD_ACCESS_KEY_ID", ROOT_KEY.0),
        ("OSSD_ACCESS_KEY_SECRET", ROOT_KEY.1),
    ];
    cli.server.json(&["user", "create", "uploader"], &root)?;
    let key = cli
        .server
        .json(&["key", "create", "--user", "uploader"], &root)?;
    let creds = key.get("AccessKey").context("no AccessKey")?;
    let policy = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject"],"Resource":["acs:oss:*:*:drop/*"]}]}"#;
    let file = cli.path("policy.json");
    write(&file, policy.as_bytes())?;
    let file = file.to_string_lossy().into_owned();
    cli.server
        .json(&["policy", "create", "PutOnly", "--document", &file], &root)?;
    cli.server.json(
        &[
            "attach", "--policy", "PutOnly", "--type", "custom", "--user", "uploader",
        ],
        &root,
    )?;
    let as_user = Cli {
        key: Some((
            field(creds, "AccessKeyId")?.to_owned(),
            field(creds, "AccessKeySecret")?.to_owned(),
        )),
        ..cli
    };
    write(&as_user.path("f.bin"), &bytes(250 << 10, 5))?;
    let up = as_user.json(&[
        "cp",
        "f.bin",
        "oss://drop/f.bin",
        "--part-size",
        "100KiB",
        "--multipart-threshold",
        "100KiB",
    ])?;
    ensure!(field(&up[0], "etag")?.ends_with("-3"), "{}", up[0]);
    let err = as_user.fails(&["ls", "oss://drop"], 1)?;
    ensure!(err.starts_with("ossd: AccessDenied: "), "{err}");
    Ok(())
}
