//! [`Params`]: typed access to decoded RPC parameters (values always arrive as strings, docs/protocol/ram.md#ram-api-general-rules).

use crate::ActionError;
use crate::codes;
use crate::store::PolicyType;
use std::collections::BTreeMap;

/// Default `MaxItems` of list actions.
pub(crate) const DEFAULT_MAX_ITEMS: usize = 100;
/// Largest `MaxItems` of list actions.
pub(crate) const MAX_MAX_ITEMS: usize = 1000;

/// The parameters of one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params<'a>(pub &'a BTreeMap<String, String>);

impl<'a> Params<'a> {
    /// The value as sent (possibly empty).
    pub(crate) fn raw(&self, name: &str) -> Option<&'a str> {
        self.0.get(name).map(String::as_str)
    }

    /// A non-empty value.
    pub(crate) fn opt(&self, name: &str) -> Option<&'a str> {
        self.raw(name).filter(|v| !v.is_empty())
    }

    /// A non-empty value, or 400 `Missing{name}`.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str, ActionError> {
        self.opt(name).ok_or_else(|| codes::missing(name))
    }

    /// A boolean (`true`/`false`, any case), or 400 `InvalidParameter.{name}`.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ActionError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(codes::incorrect(name)),
        }
    }

    /// An integer in `min..=max`, or 400 `InvalidParameter.{name}`.
    pub(crate) fn int(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ActionError> {
        let Some(v) = self.opt(name) else {
            return Ok(None);
        };
        match v.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(codes::out_of_range(name, min, max)),
        }
    }

    /// `MaxItems`: 1–1000, default 100.
    pub(crate) fn max_items(&self) -> Result<usize, ActionError> {
        let max = self.int("MaxItems", 1, MAX_MAX_ITEMS as u64)?;
        Ok(max.map_or(DEFAULT_MAX_ITEMS, |n| n as usize))
    }

    /// `Marker` (empty: from the start).
    pub(crate) fn marker(&self) -> &'a str {
        self.raw("Marker").unwrap_or_default()
    }

    /// `PolicyType` (`System` / `Custom`), or 400 `InvalidParameter.PolicyType`.
    pub(crate) fn policy_type(&self) -> Result<Option<PolicyType>, ActionError> {
        match self.opt("PolicyType") {
            None => Ok(None),
            Some(v) => PolicyType::parse(v)
                .map(Some)
                .ok_or_else(|| codes::incorrect("PolicyType")),
        }
    }

    /// A required `PolicyType`.
    pub(crate) fn required_policy_type(&self) -> Result<PolicyType, ActionError> {
        self.policy_type()?
            .ok_or_else(|| codes::incorrect("PolicyType"))
    }
}
