//! Printing responses: the raw JSON (`--json`) or a readable summary / table.

use std::io::Write;

use anyhow::Context;
use serde_json::Value;

/// Prints each response either as JSON or through a formatter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    /// `--json`.
    json: bool,
}

impl Printer {
    /// A printer; `json` selects the raw JSON output.
    pub(crate) fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints `value` pretty-printed as JSON, or `human(value)`.
    pub(crate) fn emit(
        &self,
        value: &Value,
        human: impl FnOnce(&Value) -> String,
    ) -> anyhow::Result<()> {
        let mut text = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            human(value)
        };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .context("writing to stdout")
    }
}

/// A JSON value as text: strings unquoted, `null` empty, objects and arrays as compact JSON.
pub(super) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The value at a path of object keys, if present.
pub(super) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, key| v.get(key))
}

/// The array at `outer.inner` (`{"Users":{"User":[…]}}`), or an empty slice.
pub(super) fn items<'a>(v: &'a Value, outer: &str, inner: &str) -> &'a [Value] {
    at(v, &[outer, inner])
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `Name  value` lines for the present, non-empty `fields` of `obj`, names aligned.
pub(super) fn kv(obj: &Value, fields: &[&str]) -> String {
    let pairs: Vec<(&str, String)> = fields
        .iter()
        .filter_map(|&f| obj.get(f).map(|v| (f, text(v))))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}\n"))
        .collect()
}

/// A table of `rows` with one column per field: a header line, then one line per row.
pub(super) fn table(rows: &[Value], columns: &[&str]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(c).map(text).unwrap_or_default().replace('\n', " "))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let longest = cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.chars().count());
            longest.max().unwrap_or(0).max(c.len())
        })
        .collect();
    let header: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
    std::iter::once(&header)
        .chain(cells.iter())
        .map(|row| line(row, &widths))
        .collect()
}

/// One table line: cells padded to `widths`, two spaces apart, no trailing blanks.
fn line(row: &[String], widths: &[usize]) -> String {
    let last = row.len().saturating_sub(1);
    let mut out = String::new();
    for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
        out.push_str(cell);
        if i < last {
            let pad = width.saturating_sub(cell.chars().count()) + 2;
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A policy document, pretty-printed when it is JSON.
pub(super) fn document(doc: &str) -> String {
    serde_json::from_str::<Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_owned())
}

/// `n` and the noun in the right number: `1 bucket`, `2 buckets`, `0 buckets`.
pub(super) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(0, "bucket", "buckets"), "0 buckets");
        assert_eq!(count(1, "bucket", "buckets"), "1 bucket");
        assert_eq!(count(2, "bucket", "buckets"), "2 buckets");
    }

    #[test]
    fn key_values() {
        let user =
            json!({"UserName": "alice", "UserId": "123", "DisplayName": "", "N": 5, "B": true});
        assert_eq!(
            kv(
                &user,
                &["UserName", "DisplayName", "UserId", "N", "B", "Missing"]
            ),
            "UserName  alice\nUserId    123\nN         5\nB         true\n"
        );
        assert_eq!(kv(&json!({}), &["A"]), "");
    }

    #[test]
    fn tables() {
        let v = json!({"Users": {"User": [
            {"UserName": "alice", "UserId": "1", "DisplayName": "Älice A"},
            {"UserName": "bob-the-builder", "UserId": "22"}
        ]}});
        let t = table(
            items(&v, "Users", "User"),
            &["UserName", "UserId", "DisplayName"],
        );
        assert_eq!(
            t,
            "UserName         UserId  DisplayName\n\
             alice            1       Älice A\n\
             bob-the-builder  22\n"
        );
        assert_eq!(table(&[], &["A", "B"]), "A  B\n");
        assert!(items(&json!({"Users": {}}), "Users", "User").is_empty());
    }

    #[test]
    fn helpers() {
        let v = json!({"A": {"B": "x"}, "N": null});
        assert_eq!(at(&v, &["A", "B"]).map(text).as_deref(), Some("x"));
        assert_eq!(at(&v, &["A", "C"]), None);
        assert_eq!(text(&v["N"]), "");
        assert_eq!(document(r#"{"Version":"1"}"#), "{\n  \"Version\": \"1\"\n}");
        assert_eq!(document("not json"), "not json");
    }
}
