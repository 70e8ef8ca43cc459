//! The one harness every fuzz target uses (docs/fuzzing.md): replay each file of
//! `fuzz/corpus/<target>/`, then feed mutations of those files, splices, dictionary soups and
//! random bytes for a bounded time from a seeded RNG. A panic (or a failed invariant assertion)
//! stops the run with the seed, the iteration and the input saved to a file.
//!
//! Environment: `OSSD_FUZZ_SECS` (seconds of mutation per target, default 3, fractions allowed),
//! `OSSD_FUZZ_SEED` (replay a run), `OSSD_FUZZ_ITERS` (run exactly that many mutated inputs
//! instead of a time budget).
//!
//! Included with `#[path]` by each target (no crate, no dependency), so every item may be unused
//! by one of them.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Default seconds of mutation per target (the CI budget, docs/fuzzing.md).
const DEFAULT_SECS: f64 = 3.0;
/// The longest input the mutator produces.
const MAX_INPUT: usize = 64 * 1024;

/// Bytes that often matter to parsers: delimiters, escapes, quotes, controls, UTF-8 lead bytes.
const SPECIAL_BYTES: &[u8] =
    b"\0\t\n\r \"#%&'()*+,-./:;<=>?@[\\]^_`{|}~\x7f\x80\xbf\xc0\xe4\xef\xf0\xff";
/// Replacements for runs of digits: boundaries of u8/u16/u32/i32/u64/i64 and beyond.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e309",
    "-1e-309",
    "0x10",
    "1.5",
    "NaN",
    "00000000000000000001",
];
/// Strings that often matter to text parsers.
const NASTY: &[&str] = &[
    "",
    "%",
    "%2",
    "%zz",
    "%00",
    "%C3%28",
    "%E4%B8%AD",
    "+",
    "\u{feff}",
    "\u{fffd}",
    "\u{202e}",
    "\u{10ffff}",
    "é",
    "中文",
    "🦀",
    "\r\n",
    "\\",
    "\"",
    "''",
    "==",
    "&&",
    "//",
    "..",
    "../",
    "*",
    "?",
];

/// A fuzz target: its name (the corpus directory) and the dictionary its mutations draw from.
pub(crate) struct Target {
    name: &'static str,
    dict: Vec<Vec<u8>>,
    corpus: Vec<(PathBuf, Vec<u8>)>,
}

impl Target {
    /// Loads `fuzz/corpus/<name>/` (every regular file, sorted; panics if none) and builds the
    /// dictionary from `tokens`, the built-in nasty strings and the words of the corpus.
    pub(crate) fn new(name: &'static str, tokens: &[&str]) -> Self {
        let dir = corpus_dir(name);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("fuzz corpus {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        let corpus: Vec<(PathBuf, Vec<u8>)> = paths
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p)
                    .unwrap_or_else(|e| panic!("fuzz corpus {}: {e}", p.display()));
                (p, bytes)
            })
            .collect();
        assert!(!corpus.is_empty(), "fuzz corpus {} is empty", dir.display());
        let mut dict: Vec<Vec<u8>> = tokens
            .iter()
            .chain(NASTY)
            .chain(NUMBERS)
            .map(|t| t.as_bytes().to_vec())
            .collect();
        for (_, bytes) in &corpus {
            harvest_words(bytes, &mut dict);
        }
        dict.sort();
        dict.dedup();
        Self { name, dict, corpus }
    }

    /// The corpus files, in name order.
    pub(crate) fn corpus(&self) -> impl Iterator<Item = (&Path, &[u8])> {
        self.corpus.iter().map(|(p, b)| (p.as_path(), b.as_slice()))
    }

    /// The realistic corpus files (every name not starting with `nasty-`), which the target
    /// asserts are accepted.
    pub(crate) fn realistic(&self) -> impl Iterator<Item = (String, &[u8])> {
        self.corpus().filter_map(|(path, bytes)| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            (!name.starts_with("nasty-")).then_some((name, bytes))
        })
    }

    /// Runs `check` on every corpus file, then on generated inputs until the budget is spent.
    /// `check` asserts the target's invariants; any panic fails the test with a reproduction.
    pub(crate) fn run(&self, check: impl Fn(&[u8])) {
        for (path, bytes) in &self.corpus {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(bytes))) {
                panic!(
                    "fuzz {}: corpus file {} failed: {}",
                    self.name,
                    path.display(),
                    panic_text(&*panic)
                );
            }
        }
        let seed = env_u64("OSSD_FUZZ_SEED").unwrap_or_else(fresh_seed);
        let iters = env_u64("OSSD_FUZZ_ITERS");
        let budget = budget();
        let mut rng = Rng(seed);
        let start = Instant::now();
        let mut n: u64 = 0;
        loop {
            match iters {
                Some(max) if n >= max => break,
                None if start.elapsed() >= budget => break,
                _ => {}
            }
            let input = self.generate(&mut rng);
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
                let saved = save_failure(self.name, &input);
                panic!(
                    "fuzz {name}: input {n} of seed {seed} failed: {msg}\n  input: {shown}\n  \
                     saved: {saved}\n  reproduce: OSSD_FUZZ_SEED={seed} OSSD_FUZZ_ITERS={iters} \
                     cargo test <crate test target> fuzz_{name}\n  or copy the saved file into \
                     fuzz/corpus/{name}/ (replayed first on every run)",
                    name = self.name,
                    msg = panic_text(&*panic),
                    shown = escape(&input, 2048),
                    iters = n + 1,
                );
            }
            n += 1;
        }
        eprintln!(
            "fuzz {}: {} corpus files, {n} generated inputs in {:.1?} (seed {seed})",
            self.name,
            self.corpus.len(),
            start.elapsed()
        );
    }

    /// Like [`Target::run`] for text parsers: the bytes are read as UTF-8, lossily.
    pub(crate) fn run_str(&self, check: impl Fn(&str)) {
        self.run(|bytes| check(&String::from_utf8_lossy(bytes)));
    }

    /// One input: mostly stacked mutations of a corpus file, sometimes a splice of two files,
    /// a soup of dictionary tokens, or random bytes.
    fn generate(&self, rng: &mut Rng) -> Vec<u8> {
        let mut input = match rng.below(20) {
            0..=13 => self.pick(rng).to_vec(),
            14..=16 => {
                let (a, b) = (self.pick(rng), self.pick(rng));
                let (i, j) = (rng.below(a.len() + 1), rng.below(b.len() + 1));
                [&a[..i], &b[j..]].concat()
            }
            17..=18 => {
                let mut out = Vec::new();
                for _ in 0..rng.below(24) {
                    out.extend_from_slice(&self.dict[rng.below(self.dict.len())]);
                }
                out
            }
            _ => {
                let printable = rng.below(2) == 0;
                (0..rng.below(256))
                    .map(|_| match printable {
                        true => b' ' + rng.below(95) as u8,
                        false => rng.next() as u8,
                    })
                    .collect()
            }
        };
        let rounds = 1 + rng.below(4) * rng.below(4);
        for _ in 0..rounds {
            self.mutate(rng, &mut input);
        }
        input.truncate(MAX_INPUT);
        input
    }

    fn pick(&self, rng: &mut Rng) -> &[u8] {
        &self.corpus[rng.below(self.corpus.len())].1
    }

    /// One structure-aware or byte-level mutation in place.
    fn mutate(&self, rng: &mut Rng, input: &mut Vec<u8>) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(12) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => input[at.min(len - 1)] = SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())],
            2 => input.insert(at, SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())]),
            3 | 4 => {
                let token = &self.dict[rng.below(self.dict.len())];
                input.splice(at..at, token.iter().copied());
            }
            5 => {
                // Replace the word (or digit run) around `at` with a token or a number.
                let (s, e) = word_at(input, at);
                let with: &[u8] = if input[s..e].iter().all(u8::is_ascii_digit) && s < e {
                    NUMBERS[rng.below(NUMBERS.len())].as_bytes()
                } else {
                    &self.dict[rng.below(self.dict.len())]
                };
                input.splice(s..e, with.iter().copied());
            }
            6 if len > 0 => {
                let end = (at + 1 + rng.below(32)).min(len);
                input.drain(at.min(len - 1)..end);
            }
            7 if len > 0 => {
                // Repeat a slice: deep nesting, long lists, repeated fields.
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let piece = input[start..end].to_vec();
                let most = if rng.below(8) == 0 { 300 } else { 4 };
                let times = 1 + rng.below(most);
                let mut rep = Vec::with_capacity(piece.len() * times);
                (0..times).for_each(|_| rep.extend_from_slice(&piece));
                let to = rng.below(len + 1);
                input.splice(to..to, rep);
            }
            8 => input.truncate(at),
            9 if len > 1 => {
                // Swap two slices' order by rotating a window.
                let end = (at + 2 + rng.below(64)).min(len);
                let start = at.min(end - 1);
                let mid = start + rng.below(end - start);
                input[start..end].rotate_left(mid - start);
            }
            10 => {
                // Crossover: a slice of another corpus file.
                let other = self.pick(rng);
                let s = rng.below(other.len() + 1);
                let e = (s + rng.below(128)).min(other.len());
                input.splice(at..at, other[s..e].iter().copied());
            }
            _ => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
        }
    }
}

/// `fuzz/corpus/<name>` of the repository (this file is `fuzz/harness.rs`; crates are
/// `crates/<crate>`).
pub(crate) fn corpus_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name)
}

/// The mutation budget per target.
pub(crate) fn budget() -> Duration {
    let secs = std::env::var("OSSD_FUZZ_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(DEFAULT_SECS);
    Duration::from_secs_f64(secs)
}

/// Splits a request file into the request line, `Name: value` headers and the body after the
/// first empty line (`\r\n` or `\n` line ends). Never fails: missing parts are empty.
pub(crate) fn split_request(text: &str) -> (&str, Vec<(&str, &str)>, &str) {
    let (head, body) = match (text.find("\r\n\r\n"), text.find("\n\n")) {
        (Some(a), Some(b)) if b < a => (&text[..b], &text[b + 2..]),
        (Some(a), _) => (&text[..a], &text[a + 4..]),
        (None, Some(b)) => (&text[..b], &text[b + 2..]),
        (None, None) => (text, ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default();
    let headers = lines
        .map(|l| match l.split_once(':') {
            Some((n, v)) => (n.trim(), v.strip_prefix(' ').unwrap_or(v)),
            None => (l.trim(), ""),
        })
        .collect();
    (request_line, headers, body)
}

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
pub(crate) struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        match n {
            0 => 0,
            n => (self.next() % n as u64) as usize,
        }
    }
}

/// The word (ASCII alphanumerics, `_`, `-`) around `at`, as a range; empty between words.
fn word_at(input: &[u8], at: usize) -> (usize, usize) {
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
    let mut s = at.min(input.len());
    while s > 0 && is_word(&input[s - 1]) {
        s -= 1;
    }
    let mut e = at.min(input.len());
    while e < input.len() && is_word(&input[e]) {
        e += 1;
    }
    (s, e)
}

/// Adds the corpus's words (3 to 40 bytes) and XML-like tags to the dictionary.
fn harvest_words(bytes: &[u8], dict: &mut Vec<Vec<u8>>) {
    let mut i = 0;
    while i < bytes.len() {
        let (_, e) = word_at(bytes, i);
        if e > i {
            if (3..=40).contains(&(e - i)) {
                dict.push(bytes[i..e].to_vec());
            }
            i = e;
            continue;
        }
        if bytes[i] == b'<'
            && let Some(end) = bytes[i..].iter().take(64).position(|b| *b == b'>')
        {
            dict.push(bytes[i..=i + end].to_vec());
        }
        i += 1;
    }
}

// A seed needs entropy, not the time of the emulated clock.
#[allow(clippy::disallowed_methods)]
fn fresh_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic)".to_owned()
    }
}

/// The input as an escaped Rust byte string, cut at `max` bytes.
fn escape(input: &[u8], max: usize) -> String {
    let mut out = String::from("b\"");
    for b in input.iter().take(max) {
        let _ = write!(out, "{}", std::ascii::escape_default(*b));
    }
    out.push('"');
    if input.len() > max {
        let _ = write!(out, " ... ({} bytes)", input.len());
    }
    out
}

/// Writes a failing input under the temp directory; returns where (or why not).
fn save_failure(name: &str, input: &[u8]) -> String {
    let dir = std::env::temp_dir().join("ossd-fuzz").join(name);
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("crash-{hash:016x}"));
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input)) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(not saved: {e})"),
    }
}
