//! Response shaping (docs/protocol/rpc.md#responses, docs/protocol/ram.md#ram-api-general-rules):
//! timestamps, XML-style wrapped lists, optional fields.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::macros::format_description;

/// Formats Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (UTC), the only timestamp form of RAM/STS.
pub(crate) fn timestamp(unix: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

/// `{"Outer":{"Inner":[items]}}`, e.g. `{"Users":{"User":[…]}}` (also when empty).
pub(crate) fn wrapped(outer: &str, inner: &str, items: Vec<Value>) -> (String, Value) {
    let mut list = Map::new();
    list.insert(inner.to_owned(), Value::Array(items));
    (outer.to_owned(), Value::Object(list))
}

/// A JSON object builder that leaves out empty optional strings.
#[derive(Debug, Default)]
pub struct Obj(Map<String, Value>);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_owned(), value.into());
        self
    }

    /// Adds a string field unless it is empty.
    pub fn opt(self, key: &str, value: &str) -> Self {
        if value.is_empty() {
            self
        } else {
            self.set(key, value)
        }
    }

    /// Adds a timestamp field from Unix seconds.
    pub fn time(self, key: &str, unix: i64) -> Self {
        self.set(key, timestamp(unix))
    }

    /// Adds a `(key, value)` pair such as one made by [`wrapped`].
    pub fn pair(self, (key, value): (String, Value)) -> Self {
        self.set(&key, value)
    }

    /// The object as a value.
    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Self {
        o.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_no_fraction() {
        assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn wrapped_lists_keep_their_shape_when_empty() {
        let body = Obj::new().pair(wrapped("Users", "User", vec![])).build();
        assert_eq!(body.to_string(), r#"{"Users":{"User":[]}}"#);
    }
}
