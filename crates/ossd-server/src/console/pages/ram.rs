//! Reading the RAM JSON the console's calls return (`{"Users":{"User":[…]}}`, docs/protocol/ram.md)
//! into the rows pages show.

use serde_json::Value;

/// The items of a wrapped list: `v[outer][inner]` (an array; a lone object counts as one).
pub(crate) fn items<'a>(v: &'a Value, outer: &str, inner: &str) -> Vec<&'a Value> {
    match v.get(outer).and_then(|o| o.get(inner)) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    }
}

/// A string field (numbers and booleans as written; missing is `""`).
pub(crate) fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A policy as lists show it.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRow {
    /// `System` or `Custom`.
    pub policy_type: String,
    /// The PolicyName.
    pub name: String,
    /// The description.
    pub description: String,
    /// The default version (lists of a policy's own), or the attach date (attachments).
    pub extra: String,
}

impl PolicyRow {
    /// The policies of a `Policies.Policy` list.
    pub(crate) fn list(v: &Value) -> Vec<Self> {
        items(v, "Policies", "Policy")
            .into_iter()
            .map(|p| Self {
                policy_type: text(p, "PolicyType"),
                name: text(p, "PolicyName"),
                description: text(p, "Description"),
                extra: {
                    let d = text(p, "DefaultVersion");
                    if d.is_empty() {
                        text(p, "AttachDate")
                    } else {
                        d
                    }
                },
            })
            .collect()
    }
}

/// A named entity (user, group, role) as lists show it.
#[derive(Debug, Clone)]
pub(crate) struct EntityRow {
    /// The name.
    pub name: String,
    /// The display name, or the comments / description.
    pub note: String,
    /// Created (or joined).
    pub date: String,
}

impl EntityRow {
    /// The entities of `v[outer][inner]` whose name is in `name_key`.
    pub(crate) fn list(v: &Value, outer: &str, inner: &str, name_key: &str) -> Vec<Self> {
        items(v, outer, inner)
            .into_iter()
            .map(|e| Self {
                name: text(e, name_key),
                note: [
                    text(e, "DisplayName"),
                    text(e, "Comments"),
                    text(e, "Description"),
                ]
                .into_iter()
                .find(|s| !s.is_empty())
                .unwrap_or_default(),
                date: {
                    let j = text(e, "JoinDate");
                    if j.is_empty() {
                        text(e, "CreateDate")
                    } else {
                        j
                    }
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrapped_lists() {
        let v: Value = serde_json::from_str(
            r#"{"Users":{"User":[{"UserName":"a","DisplayName":"A","CreateDate":"d"}]},"Policies":{"Policy":{"PolicyName":"p","PolicyType":"Custom","DefaultVersion":"v2"}}}"#,
        )
        .unwrap_or_default();
        let users = EntityRow::list(&v, "Users", "User", "UserName");
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].note, "A");
        let p = PolicyRow::list(&v);
        assert_eq!(p[0].extra, "v2");
        assert!(items(&v, "Groups", "Group").is_empty());
    }
}
