//! Plain-text reports of `--multipart-check` and `--versions-check`: one line per round or pass,
//! then medians and spreads of the ratios.

use crate::checks::{median, spread};
use crate::multipart::MultipartReport;
use crate::versions::{PAGE, Pass, VersionsReport};

/// `  name: median M (min A, max B)`.
fn summary(name: &str, values: Vec<f64>) -> String {
    let (lo, hi) = spread(&values);
    let mid = median(values);
    format!("  {name}: median {mid:.2} (min {lo:.2}, max {hi:.2})\n")
}

impl MultipartReport {
    /// The plain-text report.
    pub(crate) fn text(&self) -> String {
        let mut out = format!(
            "multipart-check: {} object, {} parts of {}, {} in parallel (content verified)\n",
            self.size, self.parts, self.part_size, self.parallel
        );
        for (i, r) in self.rounds.iter().enumerate() {
            let first = if r.multipart_first {
                "multipart"
            } else {
                "plain"
            };
            let (p, m) = (&r.plain, &r.multipart);
            out += &format!(
                "  round {i} ({first} first): plain PUT {:.1} MiB/s (peak RSS {:.1} MiB) | multipart \
                 {:.1} MiB/s (peak RSS {:.1} MiB) | ratio {:.2} | complete {:.2} ms, wchar {} B, \
                 write_bytes {} B\n",
                p.mib_per_sec,
                p.peak_rss_mib,
                m.mib_per_sec,
                m.peak_rss_mib,
                m.mib_per_sec / p.mib_per_sec,
                r.complete_ms,
                r.complete_wchar,
                r.complete_write_bytes,
            );
        }
        let each = |f: fn(&crate::multipart::Round) -> f64| self.rounds.iter().map(f).collect();
        out += &summary("plain PUT MiB/s", each(|r| r.plain.mib_per_sec));
        out += &summary("multipart MiB/s", each(|r| r.multipart.mib_per_sec));
        out += &summary("ratio multipart/plain per round", each(|r| r.ratio()));
        out += &summary("complete ms", each(|r| r.complete_ms));
        out += &summary("peak RSS plain MiB", each(|r| r.plain.peak_rss_mib));
        out += &summary("peak RSS multipart MiB", each(|r| r.multipart.peak_rss_mib));
        out + &format!("  multipart/plain (ratio of medians): {:.2}\n", self.ratio)
    }
}

impl crate::multipart::Round {
    /// Multipart MiB/s ÷ plain PUT MiB/s in this round.
    fn ratio(&self) -> f64 {
        self.multipart.mib_per_sec / self.plain.mib_per_sec
    }
}

impl Pass {
    /// Pages/s of (versions, objects).
    fn rates(&self) -> (f64, f64) {
        let rate = |(pages, secs): (u64, f64)| pages as f64 / secs;
        (rate(self.versions), rate(self.objects))
    }

    /// One line per pass.
    pub(crate) fn line(&self) -> String {
        let (v, o) = self.rates();
        format!(
            "ListObjectVersions {} pages in {:.3} s ({v:.1} pages/s) | ListObjects {} pages in \
             {:.3} s ({o:.1} pages/s) | ratio {:.2} | ListObjects 1 key: versioned {:.2} ms, \
             one-object {:.2} ms",
            self.versions.0,
            self.versions.1,
            self.objects.0,
            self.objects.1,
            v / o,
            self.versioned_list_ms,
            self.one_object_list_ms
        )
    }
}

impl VersionsReport {
    /// The plain-text report with medians and spreads over the passes.
    pub(crate) fn text(&self) -> String {
        let mut out = format!(
            "versions-check: {n} versions of one key vs {n} keys, {} writers, pages of {PAGE}\n  \
             writes: versions {:.0} PUT/s, distinct keys {:.0} PUT/s (ratio {:.2})\n",
            self.writers,
            self.version_puts_per_sec,
            self.key_puts_per_sec,
            self.version_puts_per_sec / self.key_puts_per_sec,
            n = self.count,
        );
        for (i, p) in self.passes.iter().enumerate() {
            out += &format!("  pass {i}: {}\n", p.line());
        }
        let each = |f: fn(&Pass) -> f64| self.passes.iter().map(f).collect();
        out += &summary("ListObjectVersions pages/s", each(|p| p.rates().0));
        out += &summary("ListObjects pages/s", each(|p| p.rates().1));
        out += &summary(
            "ratio versions/objects",
            each(|p| p.rates().0 / p.rates().1),
        );
        out += &summary(
            "ListObjects 1 key, versioned ms",
            each(|p| p.versioned_list_ms),
        );
        out += &summary(
            "ListObjects 1 key, one-object ms",
            each(|p| p.one_object_list_ms),
        );
        let probe = |p: &Pass| p.versioned_list_ms / p.one_object_list_ms;
        out + &summary("ratio versioned/one-object", each(probe))
    }
}
